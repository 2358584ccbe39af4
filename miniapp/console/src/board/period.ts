// The board's periods as date ranges (Asia/Shanghai days, YYYY-MM-DD), and the drill-down link to the visits behind
// a number. Day, week and month run up to the chosen date (week and month to date), as the morning board does, so a
// board of the 10th judges the month's first ten days pro rata rather than a month that has not happened yet.
import type { RouteLocationRaw } from 'vue-router';
import type { Band } from '../types/board.ts';

export type PeriodKind = 'day' | 'week' | 'month' | 'custom';

import { addDays } from '../china-time.ts';

export { addDays, shanghaiToday } from '../china-time.ts';

export function rangeOf(kind: PeriodKind, date: string, custom?: { from?: string; to?: string }): { from: string; to: string } {
  if (kind === 'day') return { from: date, to: date };
  if (kind === 'week') {
    const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
    return { from: addDays(date, -weekday), to: date };
  }
  if (kind === 'custom' && custom?.from && custom.to) return { from: custom.from, to: custom.to };
  return { from: `${date.slice(0, 7)}-01`, to: date };
}

export const isDate = (s: unknown): s is string => typeof s === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(s);

/** `#/visits?repId=&from=&to=&band=`: the list of visits behind a number (the visits page filters on these). */
export function visitsLink(range: { from: string; to: string }, o: { repId?: string; band?: Band } = {}): RouteLocationRaw {
  const query: Record<string, string> = {};
  if (o.repId) query.repId = o.repId;
  query.from = range.from;
  query.to = range.to;
  if (o.band) query.band = o.band;
  return { path: '/visits', query };
}
