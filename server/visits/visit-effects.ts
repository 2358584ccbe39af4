// What a visit's state change must cause elsewhere (its follow-up task, the KPI rollups of the days it touches, the
// appeal record of a decision made on the visit), recorded in the same single-document update as the change itself, then carried out: at once by the request that
// made the change, and by the effects worker (jobs/) for whatever that request could not finish (an error, a
// crash). Every effect is idempotent, so running one twice is harmless; a done effect is pulled from the visit.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { Clock } from '../lib/clock.ts';
import { logger } from '../lib/logger.ts';
import type { VisitDoc } from './visit.model.ts';

export type NewEffect = { kind: 'followUpTask' } | { kind: 'rollup'; date: string } | { kind: 'appealDecided'; appealId: Types.ObjectId };

export type VisitEffect = NewEffect & { _id: Types.ObjectId; attempts: number; lastError?: string };

const effectKey = (e: NewEffect) => (e.kind === 'rollup' ? `rollup:${e.date}` : e.kind === 'appealDecided' ? `appeal:${String(e.appealId)}` : e.kind);

/** The effects as the update that records them writes them. */
export function effectsOf(list: NewEffect[]): VisitEffect[] {
  const seen = new Set<string>();
  return list.filter((e) => {
    const key = effectKey(e);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  }).map((e) => ({ _id: new Types.ObjectId(), attempts: 0, ...e }));
}

export interface EffectRunners {
  /** Creates the visit's follow-up task under the id the visit already names (idempotent). */
  followUpTask(visit: VisitDoc): Promise<void>;
  /** Recomputes one rep-day's KPI rollup (idempotent: a recompute, never an increment). */
  rollup(tenantId: Types.ObjectId, repId: Types.ObjectId, date: string): Promise<void>;
  /** Brings the appeal's own record (and the rep's notice) in line with the decision the visit holds (idempotent). */
  appealDecided(visit: VisitDoc, appealId: Types.ObjectId): Promise<void>;
}

/** A tenant's visits whose effects are due (the worker's query). */
export const effectsDueFilter = (tenantId: Types.ObjectId, now: Date) => ({ tenantId, effectsDueAt: op({ $lte: now }) });

/** How long the request that made a change has to carry out its effects before the worker may take them over. */
export const EFFECTS_GRACE_MS = 30_000;

/** Retry pauses: 10 s, 20 s, 40 s … up to an hour. */
export const effectBackoffMs = (attempts: number) => Math.min(10_000 * 2 ** attempts, 3_600_000);
/** How long the worker holds a visit it is working on before another worker may try. */
const WORKER_LEASE_MS = 60_000;

export function visitEffects(models: Models, runners: EffectRunners, clock: Clock) {
  async function runOne(visit: VisitDoc, effect: VisitEffect): Promise<void> {
    if (effect.kind === 'followUpTask') return runners.followUpTask(visit);
    if (effect.kind === 'appealDecided') return runners.appealDecided(visit, effect.appealId);
    return runners.rollup(visit.tenantId, visit.repId, effect.date);
  }

  /** Runs every effect a visit still owes; failures stay recorded with a later due time. */
  async function run(tenantId: Types.ObjectId, visitId: Types.ObjectId): Promise<void> {
    const visit = await models.Visit.findOne({ tenantId, _id: visitId }).lean<VisitDoc>();
    for (const effect of visit?.effects ?? []) {
      try {
        await runOne(visit!, effect);
        await models.Visit.updateOne({ tenantId, _id: visitId }, { $pull: { effects: { _id: effect._id } } });
      } catch (err) {
        const message = (err as Error).message;
        logger.warn('visit effect failed; it will be retried', { tenantId: String(tenantId), visitId: String(visitId), kind: effect.kind, error: message });
        await models.Visit.updateOne(
          { tenantId, _id: visitId, 'effects._id': effect._id },
          { $inc: { 'effects.$.attempts': 1 }, $set: { 'effects.$.lastError': message.slice(0, 300), effectsDueAt: new Date(clock.now().getTime() + effectBackoffMs(effect.attempts)) } },
        );
      }
    }
    await models.Visit.updateOne({ tenantId, _id: visitId, effects: op({ $size: 0 }) }, { $unset: { effectsDueAt: 1 } });
  }

  return {
    run,

    /** The worker's pass over one tenant: takes each visit with effects due (one worker per visit at a time) and runs them. */
    async runDue(tenantId: Types.ObjectId, limit = 100): Promise<number> {
      let done = 0;
      for (; done < limit; done += 1) {
        const now = clock.now();
        const taken = await models.Visit.findOneAndUpdate(
          effectsDueFilter(tenantId, now),
          { $set: { effectsDueAt: new Date(now.getTime() + WORKER_LEASE_MS) } },
          { projection: { _id: 1 } },
        ).lean<{ _id: Types.ObjectId }>();
        if (!taken) break;
        await run(tenantId, taken._id);
      }
      return done;
    },
  };
}

export type VisitEffects = ReturnType<typeof visitEffects>;
