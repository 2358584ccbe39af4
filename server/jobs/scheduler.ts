// The scheduler: node-cron fires each tenant's jobs at their configured times (Asia/Shanghai). Whatever fires —
// a cron task, the start-up catch-up, the 5-minute reconcile — does the same: take the job's latest occurrence, and
// if it is still within the job's catch-up window and nobody has run it (job_runs), lease it and run it. So a run
// missed while every instance was down is made up once on start, and never twice: its run document says it is done.
import cron, { type ScheduledTask } from 'node-cron';
import type { Models } from '../db/models.ts';
import type { Clock } from '../lib/clock.ts';
import { logger } from '../lib/logger.ts';
import type { OutgoingMessage } from '../messages/outbox.ts';
import { dailyBoardJob } from './board.job.ts';
import type { JobContext, JobDeps, TenantRow } from './job-context.ts';
import { jobLeases, type RunKey } from './job-lease.ts';
import { CATCH_UP_MS, SCHEDULED_JOBS, effectiveSettings, specOf, type JobName } from './notification-settings.ts';
import { eveningReminderJob, followUpReminderJob, planReminderJob, reportReminderJob } from './reminder.jobs.ts';
import { cronOf, lastOccurrence, periodOf, TIMEZONE } from './schedule.ts';
import { callbackSampleJob, visitCardsJob, weeklySummaryJob } from './summary.jobs.ts';

type Runner = (ctx: JobContext, deps: JobDeps) => Promise<{ messages: OutgoingMessage[]; skipped: number }>;

const RUNNERS: Record<JobName, Runner> = {
  dailyBoard: dailyBoardJob,
  eveningReminder: eveningReminderJob,
  followUpReminder: followUpReminderJob,
  planReminder: planReminderJob,
  reportReminder: reportReminderJob,
  weeklySummary: weeklySummaryJob,
  callbackSample: callbackSampleJob,
  visitCards: visitCardsJob,
};

/** node-cron may fire a hair before the minute our clock reads; an occurrence this close ahead counts as now. */
const FIRE_SLACK_MS = 1000;
const LATE_AFTER_MS = 60_000;

export interface RunOutcome {
  tenant: string;
  job: JobName;
  period: string;
  status: 'ran' | 'taken' | 'failed';
  late?: boolean;
  created?: number;
  existing?: number;
  skipped?: number;
}

export interface SchedulerOptions {
  clock: Clock;
  instanceId: string;
  /** Job run lease; renewed while a run works. */
  leaseMs?: number;
  enqueue(messages: OutgoingMessage[], now: Date): Promise<{ created: number; existing: number }>;
}

export function jobScheduler(models: Models, deps: JobDeps, options: SchedulerOptions) {
  const { clock } = options;
  const leaseMs = options.leaseMs ?? 10 * 60_000;
  const leases = jobLeases(models, { holder: options.instanceId, leaseMs });
  const tasks = new Map<string, { expression: string; task: ScheduledTask }>();
  let reconcile: ScheduledTask | null = null;
  const inFlight = new Set<Promise<unknown>>();

  const loadTenants = () => models.Tenant.find({}, { code: 1, name: 1, host: 1, corpId: 1, hosts: 1, notifications: 1 }).lean<TenantRow[]>();

  async function runOccurrence(tenant: TenantRow, job: JobName, occurrence: Date, period: string): Promise<RunOutcome> {
    const now = clock.now();
    const late = now.getTime() - occurrence.getTime() > LATE_AFTER_MS;
    const key: RunKey = { tenantId: tenant._id, job, period, scheduledFor: occurrence };
    const attempt = await leases.claim(key, now, late);
    if (attempt === null) return { tenant: tenant.code, job, period, status: 'taken' };
    const heartbeat = setInterval(() => void leases.renew(key, attempt, clock.now()).catch(() => undefined), Math.max(1000, leaseMs / 3));
    heartbeat.unref();
    try {
      const ctx: JobContext = { tenant, settings: effectiveSettings(tenant.notifications), occurrence, period, now };
      const { messages, skipped } = await RUNNERS[job](ctx, deps);
      const written = await options.enqueue(messages, clock.now());
      await leases.finish(key, attempt, clock.now(), { ...written, skipped });
      logger.info('job ran', { tenant: tenant.code, job, period, attempt, late, ...written, skipped });
      return { tenant: tenant.code, job, period, status: 'ran', late, ...written, skipped };
    } catch (err) {
      const message = String((err as Error)?.message ?? err);
      logger.error('job failed', { tenant: tenant.code, job, period, attempt, error: message });
      await leases.fail(key, attempt, clock.now(), message);
      return { tenant: tenant.code, job, period, status: 'failed' };
    } finally {
      clearInterval(heartbeat);
    }
  }

  /** The job's latest occurrence, if still due: enabled, within the catch-up window. */
  function dueOccurrence(tenant: TenantRow, job: JobName, now: Date): { occurrence: Date; period: string } | null {
    const schedule = effectiveSettings(tenant.notifications).schedule;
    if (!schedule[job].enabled) return null;
    const spec = specOf(job, schedule);
    const occurrence = lastOccurrence(spec, new Date(now.getTime() + FIRE_SLACK_MS));
    if (now.getTime() - occurrence.getTime() > CATCH_UP_MS[job]) return null;
    return { occurrence, period: periodOf(spec, occurrence) };
  }

  function track<T>(work: Promise<T>): Promise<T> {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work)).catch(() => undefined);
    return work;
  }

  async function check(tenant: TenantRow, job: JobName): Promise<RunOutcome | null> {
    const due = dueOccurrence(tenant, job, clock.now());
    return due ? track(runOccurrence(tenant, job, due.occurrence, due.period)) : null;
  }

  /** Every job of every tenant that is due and not yet run: the start-up catch-up and the 5-minute safety net. */
  async function runDue(): Promise<RunOutcome[]> {
    const out: RunOutcome[] = [];
    for (const tenant of await loadTenants()) {
      for (const job of SCHEDULED_JOBS) {
        const r = await check(tenant, job).catch((err: unknown) => {
          logger.error('job check failed', { tenant: tenant.code, job, error: String((err as Error)?.message ?? err) });
          return null;
        });
        if (r) out.push(r);
      }
    }
    return out;
  }

  /** What a cron task does when it fires: re-read the tenant (settings may have changed) and check that job. */
  async function fire(tenantId: string, job: JobName): Promise<RunOutcome | null> {
    const tenant = (await loadTenants()).find((t) => String(t._id) === tenantId);
    return tenant ? check(tenant, job) : null;
  }

  /** One node-cron task per tenant and enabled job, re-created when its time changes. */
  async function sync(): Promise<void> {
    const wanted = new Map<string, string>();
    for (const tenant of await loadTenants()) {
      const schedule = effectiveSettings(tenant.notifications).schedule;
      for (const job of SCHEDULED_JOBS) if (schedule[job].enabled) wanted.set(`${String(tenant._id)}|${job}`, cronOf(specOf(job, schedule)));
    }
    for (const [key, entry] of tasks) {
      if (wanted.get(key) === entry.expression) continue;
      await entry.task.destroy();
      tasks.delete(key);
    }
    for (const [key, expression] of wanted) {
      if (tasks.has(key)) continue;
      const [tenantId, job] = key.split('|') as [string, JobName];
      const task = cron.schedule(expression, () => fire(tenantId, job), { timezone: TIMEZONE, name: `${job}:${tenantId}`, noOverlap: true });
      tasks.set(key, { expression, task });
    }
  }

  return {
    runDue,
    fire,
    sync,
    /** The cron expressions scheduled now, by "tenantId|job". */
    scheduled: (): Map<string, string> => new Map([...tasks].map(([k, v]) => [k, v.expression])),

    /** Catches up missed runs, schedules every tenant's jobs, and re-checks both every 5 minutes. */
    async start(): Promise<RunOutcome[]> {
      const caughtUp = await runDue();
      await sync();
      reconcile ??= cron.schedule('*/5 * * * *', async () => {
        await sync();
        await runDue();
      }, { timezone: TIMEZONE, name: 'jobs:reconcile', noOverlap: true });
      return caughtUp;
    },

    async stop(): Promise<void> {
      for (const { task } of tasks.values()) await task.destroy();
      tasks.clear();
      await reconcile?.destroy();
      reconcile = null;
      await Promise.allSettled([...inFlight]);
    },
  };
}

export type JobScheduler = ReturnType<typeof jobScheduler>;
