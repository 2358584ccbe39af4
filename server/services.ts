// Wires the domain services of one app instance.
import type { Config } from './config.ts';
import type { Models } from './db/models.ts';
import { FormValidatorCache } from './forms/form-validators.ts';
import { formsService } from './forms/forms.service.ts';
import { scoringService } from './scoring/scoring.service.ts';
import { templatesService } from './templates/templates.service.ts';
import { tenantsService } from './tenants/tenants.service.ts';
import { usersService } from './users/users.service.ts';
import { systemClock } from './lib/clock.ts';
import { customerRepo } from './customers/customer.repo.ts';
import { customersService } from './customers/customers.service.ts';
import { customerImporter } from './customers/customer-import.ts';
import type { Connection } from 'mongoose';
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

/** What a visit needs of its customer, read through the customers service (so reps reach only their own). */
function customerSource(customers: CustomersService): CustomerSource {
  return {
    async forVisit(actor, customerId) {
      const c = await customers.load(actor as Parameters<CustomersService['load']>[0], customerId);
      return {
        id: c._id, name: c.name, address: c.address, type: c.type, class: c.class,
        location: { lng: c.location.lng, lat: c.location.lat }, polygon: c.fence?.polygon ?? undefined,
        fenceRadiusM: c.fenceRadiusM ?? undefined, contactCount: c.contacts.length,
      };
    },
  };
}

export function createServices(models: Models, config: Config, conn: Connection) {
  const templates = templatesService(models);
  const users = usersService(models, config.sessionTtlHours);
  const customerStore = customerRepo(models);
  const customers = customersService(customerStore, users, systemClock);
  const forms = formsService(models, templates, new FormValidatorCache());
  const scoring = scoringService(models, templates);
  const qr = qrService(models, config.qrSecret);
  const photos = photosService(models, conn, config);
  const visits = visitsService(models, { forms, scoring, qr, photos, customers: customerSource(customers) });
  const tasks = tasksService(models, customers, systemClock);
  const plans = plansService(planRepo(models), { customers, users, visits, coverageRules: activeCoverageRules(scoring, templates) }, systemClock);
  return {
    templates,
    tenants: tenantsService(models, templates),
    users,
    customers,
    customerImport: customerImporter(customerStore, users, systemClock),
    forms,
    scoring,
    qr,
    photos,
    visits,
    tasks,
    plans,
    today: todayService({ tasks, visits, customers, plans }, systemClock),
    reviews: reviewsService(models),
    hosts: hostsService(models, { config, apps: hostApps(config), users, hostUsers: hostUsersRepo(models), visits, clock: systemClock }),
  };
}

export type Services = ReturnType<typeof createServices>;
