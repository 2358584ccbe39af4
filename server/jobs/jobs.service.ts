// The jobs domain as the rest of the app sees it: a tenant's notification settings (read, update with checks),
// the summary card written when a visit is submitted, and the scheduler factory the runtime (or a test) starts.
import { Types } from 'mongoose';
import type { Config } from '../config.ts';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { AppError, fieldError, type FieldError } from '../http/errors.ts';
import { dingtalkSettings, wecomSettings } from '../hosts/host-settings.ts';
import type { HostMessaging } from '../hosts/messaging.ts';
import type { Clock } from '../lib/clock.ts';
import { logger } from '../lib/logger.ts';
import type { BoardSource, MessagesService } from '../messages/messages.service.ts';
import type { AuthState } from '../users/auth.ts';
import { personalHost, type CallbackSource, type JobDeps, type PlanSource, type TenantRow } from './job-context.ts';
import { jobData } from './job-data.ts';
import { effectiveSettings, type NotificationSettings } from './notification-settings.ts';
import { jobScheduler } from './scheduler.ts';
import { visitCardMessage } from './summary.jobs.ts';

export interface JobsDeps {
  config: Config;
  messaging: HostMessaging;
  messages: MessagesService;
  clock: Clock;
  board: BoardSource;
  plans: PlanSource;
  reviews: CallbackSource;
  customers: { namesOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, string>> };
}

/** The settings body: any subset of the settings; what is left out keeps its current value. */
export type SettingsInput = { schedule?: Partial<Record<string, unknown>>; channels?: Partial<Record<string, unknown>> };

export function jobsService(models: Models, deps: JobsDeps) {
  const data = jobData(models);
  const jobDeps = (board: BoardSource = deps.board): JobDeps => ({
    data, board, plans: deps.plans, reviews: deps.reviews, publicUrl: deps.config.publicUrl,
    customerNames: (tenantId, ids) => deps.customers.namesOf(tenantId, ids),
    robots: (code) => deps.messaging.robots(code),
  });

  async function tenantOf(tenantId: Types.ObjectId): Promise<TenantRow> {
    const tenant = await models.Tenant.findOne({ _id: tenantId }, { code: 1, name: 1, host: 1, corpId: 1, hosts: 1, notifications: 1 }).lean<TenantRow>();
    if (!tenant) throw new AppError('UNAUTHENTICATED');
    return tenant;
  }

  function view(tenant: TenantRow, settings: NotificationSettings) {
    return { ...settings, robots: deps.messaging.robots(tenant.code), personalHostInUse: personalHost(tenant, settings) };
  }

  /** Checks what the schema cannot: managers exist in the tenant, robots exist in config, the host is connected. */
  async function problems(tenant: TenantRow, s: NotificationSettings): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const robots = new Set(deps.messaging.robots(tenant.code).map((r) => r.id));
    const managerIds = s.channels.teams.map((t) => t.managerId);
    const found = new Set((await models.User.find({ tenantId: tenant._id, active: true, _id: op({ $in: managerIds.map((id) => new Types.ObjectId(id)) }) }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((u) => String(u._id)));
    s.channels.teams.forEach((t, i) => {
      if (!found.has(t.managerId)) errors.push(fieldError(`/channels/teams/${i}/managerId`, 'NOT_FOUND', '主管不存在或已停用', 'No active user with this id'));
      if (managerIds.indexOf(t.managerId) !== i) errors.push(fieldError(`/channels/teams/${i}/managerId`, 'DUPLICATE', '同一主管只能配置一次', 'Each manager may appear once'));
      t.robotIds.forEach((r, j) => {
        if (!robots.has(r)) errors.push(fieldError(`/channels/teams/${i}/robotIds/${j}`, 'ROBOT_NOT_CONFIGURED', `服务器未配置机器人 ${r}`, `No robot ${r} is configured for this tenant`));
      });
    });
    s.channels.defaultRobotIds.forEach((r, j) => {
      if (!robots.has(r)) errors.push(fieldError(`/channels/defaultRobotIds/${j}`, 'ROBOT_NOT_CONFIGURED', `服务器未配置机器人 ${r}`, `No robot ${r} is configured for this tenant`));
    });
    const host = s.channels.personalHost;
    if (host && !(host === 'wecom' ? wecomSettings(tenant) : dingtalkSettings(tenant))) {
      errors.push(fieldError('/channels/personalHost', 'HOST_NOT_CONFIGURED', '该企业未接入此平台', 'The tenant is not connected to this host'));
    }
    return errors;
  }

  /** Writes the summary card of a just-submitted visit. Never fails the submit: the 10-minute sweep retries. */
  async function visitSubmitted(tenantId: Types.ObjectId, visitId: string): Promise<void> {
    try {
      const tenant = await tenantOf(tenantId);
      const settings = effectiveSettings(tenant.notifications);
      if (!settings.schedule.visitCards.enabled) return;
      const card = await visitCardMessage({ tenant, settings }, jobDeps(), visitId);
      if (card) await deps.messages.enqueue([card]);
    } catch (err) {
      logger.warn('visit card not written', { visitId, error: String((err as Error)?.message ?? err) });
    }
  }

  return {
    async settings(auth: AuthState) {
      const tenant = await tenantOf(auth.tenantId);
      return view(tenant, effectiveSettings(tenant.notifications));
    },

    /** The host personal messages (and the board preview) use for the tenant. */
    async hostInUse(tenantId: Types.ObjectId) {
      const tenant = await tenantOf(tenantId);
      return personalHost(tenant, effectiveSettings(tenant.notifications));
    },

    async updateSettings(auth: AuthState, input: SettingsInput) {
      const tenant = await tenantOf(auth.tenantId);
      const next = effectiveSettings(input, effectiveSettings(tenant.notifications));
      const errors = await problems(tenant, next);
      if (errors.length > 0) throw new AppError('VALIDATION_FAILED', errors);
      await models.Tenant.updateOne({ _id: tenant._id }, { $set: { notifications: next } });
      return view(tenant, next);
    },

    visitSubmitted,

    /** Wraps the visits' submit so the summary card is written right after a submit succeeds. */
    cardOnSubmit<A extends { tenantId: Types.ObjectId }, I, R extends { _id: unknown }>(submit: (actor: A, id: string, input: I) => Promise<R>) {
      return async (actor: A, id: string, input: I): Promise<R> => {
        const visit = await submit(actor, id, input);
        await visitSubmitted(actor.tenantId, String(visit._id));
        return visit;
      };
    },

    /** A scheduler for this process; `board` replaces the KPI board source (tests with hand-made boards). */
    scheduler(options: { clock: Clock; instanceId: string; leaseMs?: number; board?: BoardSource }) {
      return jobScheduler(models, jobDeps(options.board), { ...options, enqueue: (messages, now) => deps.messages.enqueue(messages, now) });
    },
  };
}

export type JobsService = ReturnType<typeof jobsService>;
