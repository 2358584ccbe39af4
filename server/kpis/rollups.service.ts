// Keeps the per-day rollups current: a visit's submission or re-judgement (override, call-back, appeal) records the
// rep-days it touches as effects that call refreshDay (visits/visit-effects.ts); a follow-up's change calls
// taskChanged. A day is recomputed from its visits and tasks and written whole, so retries, several instances and
// a back-fill all converge on the same document.
import { Types } from 'mongoose';
import { addDays, shanghaiDate, shanghaiDayStart } from '../lib/time.ts';
import { logger } from '../lib/logger.ts';
import type { KpiRepo } from './kpi.repo.ts';
import type { ScoringConfigSource } from './kpi-config.ts';
import { buildDailyRollup } from './rollup.ts';
import { systemClock, type Clock } from '../lib/clock.ts';

const toId = (id: Types.ObjectId | string) => (typeof id === 'string' ? new Types.ObjectId(id) : id);

/** What the task service tells the KPIs (the hook never fails the caller's write). */
export interface RollupHooks {
  /** A follow-up task was created, completed or cancelled. */
  taskChanged(tenantId: Types.ObjectId, taskId: Types.ObjectId | string): Promise<void>;
}

export function rollupsService(repo: KpiRepo, scoringConfig: ScoringConfigSource, clock: Clock = systemClock) {
  async function refreshDay(tenantId: Types.ObjectId, repId: Types.ObjectId, date: string): Promise<void> {
    // Taken before reading: a write based on an older read never replaces one based on a newer read.
    const asOf = clock.now();
    const [visits, tasks, config] = await Promise.all([
      repo.visitsOfDay(tenantId, repId, date), repo.followUpsDueOn(tenantId, repId, date), scoringConfig(tenantId),
    ]);
    const rollup = buildDailyRollup({ tenantId: String(tenantId), repId: String(repId), date, asOf }, visits, tasks, config.authenticity?.reportDeadlineHours ?? 24);
    await repo.writeRollup(rollup);
  }

  async function quietly(what: string, fields: Record<string, unknown>, work: () => Promise<void>): Promise<void> {
    try {
      await work();
    } catch (err) {
      // The visit or task is already written; a rebuild repairs the rollup.
      logger.error(`kpi rollup: ${what} failed`, { ...fields, error: (err as Error).message });
    }
  }

  const hooks: RollupHooks = {
    taskChanged(tenantId, taskId) {
      return quietly('task', { tenantId: String(tenantId), taskId: String(taskId) }, async () => {
        const task = await repo.task(tenantId, taskId);
        if (task) await refreshDay(tenantId, task.repId, task.dueDate);
      });
    },
  };

  return {
    ...hooks,
    refreshDay,

    /** Back-fill: recomputes every rep-day of [from, to] (YYYY-MM-DD) that has visits or follow-ups due. */
    async rebuildRollups(tenantId: Types.ObjectId | string, from: string, to: string): Promise<{ days: number }> {
      const tenant = toId(tenantId);
      const keys = new Map<string, { repId: Types.ObjectId; date: string }>();
      const add = (repId: Types.ObjectId, date: string) => keys.set(`${String(repId)}:${date}`, { repId, date });
      for await (const v of repo.submittedVisitKeys(tenant, shanghaiDayStart(from), shanghaiDayStart(addDays(to, 1)))) {
        if (v.checkIn?.deviceTime) add(v.repId, shanghaiDate(v.checkIn.deviceTime));
      }
      for (const t of await repo.followUpKeys(tenant, from, to)) add(t.repId, t.dueDate);
      // Rollups of days that no longer have anything go; the others are replaced.
      await repo.dropRollups(tenant, from, to);
      const list = [...keys.values()];
      for (let i = 0; i < list.length; i += 8) await Promise.all(list.slice(i, i + 8).map((k) => refreshDay(tenant, k.repId, k.date)));
      return { days: list.length };
    },
  };
}

export type RollupsService = ReturnType<typeof rollupsService>;
