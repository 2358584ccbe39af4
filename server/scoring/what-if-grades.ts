// What-if for grades: how the verdicts a draft would give (and its report deadline) change the per-day rollups the
// KPIs are computed from. Pure: the what-if streams each visit through `add`, the KPIs read adjusted rollups.
import { effectiveBand, type Band } from '../reviews/reviews.service.ts';
import { isValidVisit, type DailyRollup } from '../kpis/rollup.ts';
import { shanghaiDate } from '../lib/time.ts';

/** What a submitted visit contributes to its rep-day rollup that a scoring template can change. */
export interface WhatIfVisit {
  repId: unknown;
  /** The stored machine verdict (Mixed in the visit model). */
  verdict?: unknown;
  override?: { band?: Band } | null;
  callback?: { outcome?: 'confirmed' | 'denied' | 'unreachable' | null } | null;
  checkIn?: { deviceTime: Date } | null;
  checkOut?: { deviceTime: Date } | null;
  submitted?: { deviceTime: Date } | null;
}

export interface RollupDelta { green: number; yellow: number; red: number; valid: number; reportsOnTime: number }

const zero = (): RollupDelta => ({ green: 0, yellow: 0, red: 0, valid: 0, reportsOnTime: 0 });

function onTime(v: WhatIfVisit, deadlineHours: number): boolean {
  const from = v.checkOut?.deviceTime ?? v.checkIn?.deviceTime;
  return Boolean(from && v.submitted && v.submitted.deviceTime.getTime() - from.getTime() <= deadlineHours * 3_600_000);
}

/**
 * Collects, per rep-day (`repId:YYYY-MM-DD` of the check-in), the difference between a visit's contribution now and
 * under the draft: its band (a manager's override or a call-back still wins over the machine), whether it is valid,
 * and whether it was reported in time (the draft may move the deadline).
 */
export function rollupDeltas(deadlines: { before: number; after: number }) {
  const deltas = new Map<string, RollupDelta>();
  return {
    deltas,
    add(v: WhatIfVisit, next: { band: Band }): void {
      if (!v.checkIn?.deviceTime) return;
      const now = { verdict: v.verdict as { band?: Band } | null | undefined, override: v.override, callback: v.callback };
      const then = { ...now, verdict: { band: next.band } };
      const d = zero();
      const [b0, b1] = [effectiveBand(now), effectiveBand(then)];
      if (b0) d[b0] -= 1;
      if (b1) d[b1] += 1;
      d.valid = Number(isValidVisit(then)) - Number(isValidVisit(now));
      d.reportsOnTime = Number(onTime(v, deadlines.after)) - Number(onTime(v, deadlines.before));
      if (Object.values(d).every((x) => x === 0)) return;
      const key = `${String(v.repId)}:${shanghaiDate(v.checkIn.deviceTime)}`;
      const sum = deltas.get(key) ?? zero();
      for (const k of Object.keys(d) as (keyof RollupDelta)[]) sum[k] += d[k];
      deltas.set(key, sum);
    },
    /** The rollup as it would be under the draft. */
    apply(r: DailyRollup): DailyRollup {
      const d = deltas.get(`${r.repId}:${r.date}`);
      if (!d) return r;
      const out = { ...r };
      for (const k of Object.keys(d) as (keyof RollupDelta)[]) out[k] = Math.max(0, out[k] + d[k]);
      return out;
    },
  };
}
