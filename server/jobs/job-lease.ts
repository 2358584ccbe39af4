// Leases on job runs: exactly one instance runs a given (tenant, job, period). The first holder is whoever inserts
// the run document; a later instance may take over a run whose holder died (lease over) or that failed (after a
// pause, a few times), with one update conditional on the attempt it saw: of several instances exactly one wins.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import type { JobRunDoc } from './job-run.model.ts';
import { isDuplicateKey, retryTransient } from '../db/transient.ts';

export interface RunKey { tenantId: Types.ObjectId; job: string; period: string; scheduledFor: Date }

export interface LeaseOptions {
  holder: string;
  leaseMs: number;
  /** Attempts per run, the first included. */
  maxAttempts?: number;
  /** Pause before a failed run is tried again. */
  retryDelayMs?: number;
}

export const runIdOf = (k: Pick<RunKey, 'tenantId' | 'job' | 'period'>): string => `${String(k.tenantId)}:${k.job}:${k.period}`;

export function jobLeases(models: Models, options: LeaseOptions) {
  const maxAttempts = options.maxAttempts ?? 3;
  const retryDelayMs = options.retryDelayMs ?? 5 * 60_000;
  const leaseEnd = (now: Date) => new Date(now.getTime() + options.leaseMs);

  /** The next attempt of a run whose holder died or that failed, unless another instance took it first. */
  async function takeOver(run: JobRunDoc, now: Date): Promise<number | null> {
    if (run.attempt >= maxAttempts) return null;
    const next = run.attempt + 1;
    const won = await models.JobRun.findOneAndUpdate(
      // As seen: a holder that renewed its lease meanwhile is alive, and keeps the run.
      { tenantId: run.tenantId, _id: run._id, attempt: run.attempt, status: run.status, leaseUntil: run.leaseUntil },
      { $set: { attempt: next, holder: options.holder, status: 'running', startedAt: now, leaseUntil: leaseEnd(now), retryAt: null, error: null } },
    ).lean();
    return won ? next : null;
  }

  return {
    /** The attempt number this instance now holds, or null when the run is done or someone else has it. */
    async claim(key: RunKey, now: Date, late: boolean): Promise<number | null> {
      const _id = runIdOf(key);
      try {
        await retryTransient(() => models.JobRun.create({
          _id, tenantId: key.tenantId, job: key.job, period: key.period, scheduledFor: key.scheduledFor, attempt: 1,
          holder: options.holder, status: 'running', startedAt: now, leaseUntil: leaseEnd(now), late,
        }));
        return 1;
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
      const run = await models.JobRun.findOne({ tenantId: key.tenantId, _id }).lean<JobRunDoc>();
      if (!run || run.status === 'done' || run.attempt >= maxAttempts) return null;
      const dead = run.status === 'running' && run.leaseUntil <= now;
      const retry = run.status === 'failed' && (run.retryAt === null || run.retryAt <= now);
      return dead || retry ? takeOver(run, now) : null;
    },

    /** Keeps the lease while the run works (a live holder is never taken over). */
    async renew(key: RunKey, attempt: number, now: Date): Promise<void> {
      await models.JobRun.updateOne({ tenantId: key.tenantId, _id: runIdOf(key), attempt }, { $set: { leaseUntil: leaseEnd(now) } });
    },

    async finish(key: RunKey, attempt: number, now: Date, result: { created: number; existing: number; skipped: number }): Promise<void> {
      await models.JobRun.updateOne({ tenantId: key.tenantId, _id: runIdOf(key), attempt }, { $set: { status: 'done', finishedAt: now, result } });
    },

    async fail(key: RunKey, attempt: number, now: Date, error: string): Promise<void> {
      await models.JobRun.updateOne({ tenantId: key.tenantId, _id: runIdOf(key), attempt }, {
        $set: { status: 'failed', finishedAt: now, error: error.slice(0, 500), retryAt: new Date(now.getTime() + retryDelayMs) },
      });
    },
  };
}

export type JobLeases = ReturnType<typeof jobLeases>;
