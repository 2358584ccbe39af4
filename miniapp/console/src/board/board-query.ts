// Which KPI request the dashboard makes for its URL (pure: the page and the early request in main.ts share it).
import { isDate, rangeOf, shanghaiToday, type PeriodKind } from './period.ts';

export const PERIOD_KINDS: readonly PeriodKind[] = ['day', 'week', 'month', 'custom'];

export interface BoardQuery { period: PeriodKind; date: string; team: string; range: { from: string; to: string } }

const str = (v: unknown) => (typeof v === 'string' ? v : undefined);

/** The board's settings from the route query; a manager's default team is their own, an admin's all teams. */
export function boardQuery(query: Record<string, unknown>, me: { id: string; role: string } | undefined): BoardQuery {
  const period = PERIOD_KINDS.find((p) => p === query.period) ?? 'month';
  const d = str(query.date);
  const date = isDate(d) ? d : shanghaiToday();
  const team = str(query.team) ?? (me?.role === 'manager' ? me.id : 'all');
  return { period, date, team, range: rangeOf(period, date, { from: str(query.from), to: str(query.to) }) };
}

/** The query string of the board's KPI request; the trend and funnel ask with the same scope and period. */
export function kpisQuery(q: BoardQuery): string {
  const tenantWide = q.team === 'all' || q.team === 'unassigned';
  return query(tenantWide
    ? { scope: 'tenant', from: q.range.from, to: q.range.to }
    : { scope: 'team', id: q.team, from: q.range.from, to: q.range.to });
}

export const kpisPath = (q: BoardQuery): string => `/kpis${kpisQuery(q)}`;

const query = (params: Record<string, string>) => `?${new URLSearchParams(params).toString()}`;

/** The route query when a console URL hash opens the board (`#/board?…`, or the bare console, which redirects there). */
export function boardHashQuery(hash: string): Record<string, string> | null {
  const m = /^#?\/?(board)?(?:\?(.*))?$/.exec(hash);
  if (!m || (!m[1] && hash.replace(/^#?\/?/, '') !== '')) return null;
  return Object.fromEntries(new URLSearchParams(m[2] ?? ''));
}
