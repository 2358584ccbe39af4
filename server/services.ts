// Wires the domain services of one app instance.
import type { Config } from './config.ts';
import type { Models } from './db/models.ts';
import { FormValidatorCache } from './forms/form-validators.ts';
import { formsService } from './forms/forms.service.ts';
import { scoringService } from './scoring/scoring.service.ts';
import { templatesService } from './templates/templates.service.ts';
import { tenantsService } from './tenants/tenants.service.ts';
import { usersService } from './users/users.service.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { customerRepo } from './customers/customer.repo.ts';
import { customersService } from './customers/customers.service.ts';
import { customerImporter } from './customers/customer-import.ts';
import { customerActivity } from './customers/customer-activity.ts';
import { lngLatOf, outlineOf } from './customers/customer-geo.ts';
import type { Connection, Types } from 'mongoose';
import { qrService } from './qr/qr.service.ts';
import { photosService } from './photos/photos.service.ts';
import { visitsService, type CustomerSource } from './visits/visits.service.ts';
import { reviewsService } from './reviews/reviews.service.ts';
import type { CustomersService } from './customers/customers.service.ts';
import { tasksService } from './tasks/tasks.service.ts';
import { todayService } from './today/today.service.ts';
import { hostsService } from './hosts/hosts.service.ts';
import { hostApps } from './hosts/host-apps.ts';
import { hostUsersRepo } from './users/host-users.ts';
import { plansService } from './plans/plans.service.ts';
import { planRepo } from './plans/plan.repo.ts';
import { activeCoverageRules } from './plans/plan-rules.ts';
import { hostMessaging } from './hosts/messaging.ts';
import { messagesService, type BoardSource } from './messages/messages.service.ts';
import { jobsService } from './jobs/jobs.service.ts';
import { kpiRepo } from './kpis/kpi.repo.ts';
import { activeScoringConfig } from './kpis/kpi-config.ts';
import { rollupsService } from './kpis/rollups.service.ts';
import { kpisService } from './kpis/kpis.service.ts';
import { exportsRepo } from './exports/exports.repo.ts';
import { exportsService } from './exports/exports.service.ts';
import { photoZipService } from './exports/photo-zip.ts';
import { appealsService } from './appeals/appeals.service.ts';

/** What a visit needs of its customer, read through the customers service (so reps reach only their own). */
function customerSource(customers: CustomersService): CustomerSource {
  return {
    async forVisit(actor, customerId) {
      const c = await customers.load(actor as Parameters<CustomersService['load']>[0], customerId);
      return {
        id: c._id, name: c.name, address: c.address, type: c.type, class: c.class,
        location: lngLatOf(c.point), polygon: c.fence ? outlineOf(c.fence) : undefined,
        fenceRadiusM: c.fenceRadiusM ?? undefined, contactCount: c.contacts.length,
      };
    },
  };
}

export function createServices(models: Models, config: Config, conn: Connection, clock: Clock = systemClock) {
  const templates = templatesService(models);
  const tenants = tenantsService(models, templates);
  const users = usersService(models, config.sessionTtlHours, clock);
  const customerStore = customerRepo(models);
  const customers = customersService(customerStore, users, clock);
  const forms = formsService(models, templates, new FormValidatorCache());
  const scoring = scoringService(models, templates);
  const qr = qrService(models, config.qrSecret, clock);
  const photos = photosService(models, conn, config, clock);
  const kpiStore = kpiRepo(models);
  const scoringConfig = activeScoringConfig(scoring);
  const rollups = rollupsService(kpiStore, scoringConfig, clock);
  const tasks = tasksService(models, customers, users, clock, rollups);
  const visits = visitsService(models, { forms, scoring, qr, photos, customers: customerSource(customers), rollups, tasks, team: users, devices: users, clock });
  const plans = plansService(planRepo(models), { customers, users, visits, coverageRules: activeCoverageRules(scoring, templates) }, clock);
  const reviews = reviewsService(models, users, visits);
  const apps = hostApps(config);
  const messaging = hostMessaging(config, apps);
  const kpis = kpisService({ repo: kpiStore, scoringConfig, plans });
  const board: BoardSource = kpis;
  const messages = messagesService(models, { config, messaging, board, clock });
  const exportStore = exportsRepo(models);
  const jobs = jobsService(models, { config, messaging, messages, clock, board, plans, reviews, customers });
  const appeals = appealsService(models, {
    visits, photos, users,
    notice: {
      hostInUse: (tenantId) => jobs.hostInUse(tenantId), enqueue: (m) => messages.enqueue(m), publicUrl: config.publicUrl,
      hostUserIdOf: async (tenantId, userId) => (await models.User.findOne({ tenantId, _id: userId }, { hostUserId: 1 }).lean<{ hostUserId?: string | null }>())?.hostUserId || null,
    },
  });
  return {
    templates,
    tenants,
    users,
    customers,
    customerImport: customerImporter(customerStore, users, clock),
    customerActivity: customerActivity(customers, { visits, users, scoring, clock }),
    forms,
    scoring,
    qr,
    photos,
    // A submit also writes the visit summary card for the rep's manager.
    visits: { ...visits, submit: jobs.cardOnSubmit(visits.submit) },
    tasks,
    plans,
    today: todayService({ tasks, visits, customers, plans }, clock),
    reviews,
    appeals,
    hosts: hostsService(models, { config, apps, users, hostUsers: hostUsersRepo(models), visits, clock }),
    messages,
    jobs,
    kpis,
    rollups,
    /** What the effects worker needs: the tenants, and each tenant's visits with effects due. */
    effects: { tenantIds: () => tenants.ids(), runDueEffects: (tenantId: Types.ObjectId) => visits.runDueEffects(tenantId) },
    exports: exportsService({ repo: exportStore, kpis }),
    photoExports: photoZipService(exportStore, photos),
  };
}

export type Services = ReturnType<typeof createServices>;
