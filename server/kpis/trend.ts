// The per-day series behind the console's trend charts: visits by band, valid-visit rate and visit length per day
// of a period, pooled over the reps of a scope from their daily rollups. Pure.
import { addDays } from '../lib/time.ts';
import type { DailyRollup, ROLLUP_COUNTERS } from './rollup.ts';

export interface TrendDay {
  date: string;
  visits: number;
  onsite: number;
  phone: number;
  green: number;
  yellow: number;
  red: number;
  valid: number;
  /** valid ÷ visits in %, one decimal; null on a day without visits. */
  validVisitRate: number | null;
  /** Mean check-in → check-out minutes, one decimal; null without timed visits. */
  avgVisitMinutes: number | null;
  followUpsDue: number;
  followUpsOnTime: number;
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** One entry per day of [from, to] (days without rollups are zeros), from the rollups of the reps in scope. */
export function trendDays(from: string, to: string, rollups: readonly Pick<DailyRollup, 'date' | (typeof ROLLUP_COUNTERS)[number]>[]): TrendDay[] {
  const days = new Map<string, TrendDay & { durationSum: number; durationCount: number }>();
  for (let d = from; d <= to; d = addDays(d, 1)) {
    days.set(d, {
      date: d, visits: 0, onsite: 0, phone: 0, green: 0, yellow: 0, red: 0, valid: 0, validVisitRate: null, avgVisitMinutes: null,
      followUpsDue: 0, followUpsOnTime: 0, durationSum: 0, durationCount: 0,
    });
  }
  for (const r of rollups) {
    const day = days.get(r.date);
    if (!day) continue;
    day.visits += r.visits; day.onsite += r.onsite; day.phone += r.phone;
    day.green += r.green; day.yellow += r.yellow; day.red += r.red; day.valid += r.valid;
    day.durationSum += r.durationSum; day.durationCount += r.durationCount;
    day.followUpsDue += r.followUpsDue; day.followUpsOnTime += r.followUpsOnTime;
  }
  return [...days.values()].map(({ durationSum, durationCount, ...day }) => ({
    ...day,
    validVisitRate: day.visits > 0 ? round1((100 * day.valid) / day.visits) : null,
    avgVisitMinutes: durationCount > 0 ? round1(durationSum / durationCount) : null,
  }));
}
