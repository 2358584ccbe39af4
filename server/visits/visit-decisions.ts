// Decisions on a submitted visit made after the machine verdict — a manager's override, approval or call-back, a
// call-back's outcome, an appeal filed or decided. Each is one conditional update of the visit that also records
// what it owes (the rollup of the visit's day when the band that counts may change, the appeal's own record), so a
// crash between the decision and its consequences loses nothing: the effects worker finishes them.
import type { Types } from 'mongoose';
import { shanghaiDate } from '../lib/time.ts';
import { EFFECTS_GRACE_MS, effectsOf, type NewEffect } from './visit-effects.ts';
import type { VisitDoc } from './visit.model.ts';

export interface VisitDecision {
  /** The visit as the caller read it (its day is the rollup a band change touches). */
  visit: Pick<VisitDoc, '_id' | 'checkIn' | 'start'>;
  /** What the visit must still be like for the decision to apply, besides being submitted. */
  when?: Record<string, unknown>;
  set: Record<string, unknown>;
  /** Audit entries, in order. */
  audit: Record<string, unknown>[];
  /** The band that counts may change: the visit's day is recomputed. */
  rescores?: boolean;
  /** The appeal whose own record follows the decision. */
  appealId?: Types.ObjectId;
}

export function decisionUpdate(d: VisitDecision, now: Date) {
  const owed: NewEffect[] = [
    ...(d.rescores ? [{ kind: 'rollup' as const, date: shanghaiDate(d.visit.checkIn?.deviceTime ?? d.visit.start.deviceTime) }] : []),
    ...(d.appealId ? [{ kind: 'appealDecided' as const, appealId: d.appealId }] : []),
  ];
  const effects = effectsOf(owed);
  return {
    filter: { _id: d.visit._id, status: 'submitted', ...d.when } as Record<string, unknown>,
    update: {
      $set: d.set,
      $push: { audit: { $each: d.audit }, ...(effects.length > 0 ? { effects: { $each: effects } } : {}) },
      ...(effects.length > 0 ? { $min: { effectsDueAt: new Date(now.getTime() + EFFECTS_GRACE_MS) } } : {}),
    },
    owesEffects: effects.length > 0,
  };
}
