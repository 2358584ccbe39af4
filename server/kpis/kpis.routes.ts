// KPI routes: indicators and scores per scope and period, the daily red/yellow/green board, the behaviour funnel,
// and the rollup back-fill.
import { route } from '../http/route.ts';
import { AppError, fieldError } from '../http/errors.ts';
import type { Clock } from '../lib/clock.ts';
import { addDays, shanghaiDate } from '../lib/time.ts';
import type { FunnelStep } from './funnel.ts';
import type { KpisService, Scope } from './kpis.service.ts';
import type { RollupsService } from './rollups.service.ts';

const EVERYONE = ['admin', 'manager', 'rep'] as const;
const MANAGERS = ['admin', 'manager'] as const;
const S = (name: string) => `api/kpis.json#/$defs/${name}`;

interface KpiQuery { scope: Scope; id?: string; from?: string; to?: string; period?: 'day' | 'week' | 'month'; date?: string }
interface FunnelQuery { scope: Scope; id?: string; from: string; to: string; start: FunnelStep; end: FunnelStep; steps?: string }

/** The [from, to] of a query: explicit dates, or the day/week/month around `date`. */
export function rangeOf(q: Pick<KpiQuery, 'from' | 'to' | 'period' | 'date'>, today: string): { from: string; to: string } {
  if (q.period) {
    const date = q.date ?? today;
    if (q.period === 'day') return { from: date, to: date };
    if (q.period === 'week') {
      const weekday = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7; // Monday = 0
      return { from: addDays(date, -weekday), to: addDays(date, 6 - weekday) };
    }
    const from = `${date.slice(0, 7)}-01`;
    return { from, to: addDays(`${addDays(from, 31).slice(0, 7)}-01`, -1) };
  }
  if (!q.from || !q.to) {
    throw new AppError('VALIDATION_FAILED', [fieldError(q.from ? '/query/to' : '/query/from', 'REQUIRED', '请给出 from 和 to，或 period', 'Give from and to, or period')]);
  }
  return { from: q.from, to: q.to };
}

export function kpiRoutes(kpis: KpisService, rollups: RollupsService, clock: Clock) {
  return [
    route<unknown, KpiQuery>({
      method: 'get', path: '/kpis', tag: 'kpis', roles: EVERYONE, query: S('KpiQuery'),
      summary: '指标与得分（业务员/团队/企业）/ KPIs and scores for a rep, a team or the tenant',
      handler: async ({ auth, query }) => kpis.indicators(auth, { scope: query.scope, id: query.id, ...rangeOf(query, shanghaiDate(clock.now())) }),
    }),
    route<unknown, { date?: string; managerId?: string }>({
      method: 'get', path: '/kpis/board', tag: 'kpis', roles: MANAGERS, query: S('BoardQuery'),
      summary: '销售动作红绿灯（按团队）/ The red/yellow/green board by team',
      handler: async ({ auth, query }) => kpis.dailyBoard(auth.tenantId, query.date ?? addDays(shanghaiDate(clock.now()), -1), { managerId: query.managerId }),
    }),
    route<unknown, Pick<KpiQuery, 'scope' | 'id' | 'from' | 'to'>>({
      method: 'get', path: '/kpis/trend', tag: 'kpis', roles: EVERYONE, query: S('TrendQuery'),
      summary: '每日趋势：拜访红黄绿、有效拜访率、时长 / Daily trend: visits by band, valid-visit rate, duration',
      handler: async ({ auth, query }) => kpis.trend(auth, { scope: query.scope, id: query.id, from: query.from!, to: query.to! }),
    }),
    route<unknown, FunnelQuery>({
      method: 'get', path: '/kpis/funnel', tag: 'kpis', roles: EVERYONE, query: S('FunnelQuery'),
      summary: '行为漏斗：各步转化、耗时与瓶颈 / Behaviour funnel: conversion, time and the bottleneck',
      handler: async ({ auth, query }) => kpis.funnel(auth, {
        scope: query.scope, id: query.id, from: query.from, to: query.to, start: query.start, end: query.end,
        steps: (query.steps ? query.steps.split(',') : []) as FunnelStep[],
      }),
    }),
    route<{ from: string; to: string }>({
      method: 'post', path: '/kpis/rollups/rebuild', tag: 'kpis', roles: ['admin'], body: S('RebuildBody'),
      summary: '重建日汇总（补数）/ Rebuild the daily rollups of a date range',
      handler: async ({ auth, body }) => {
        if (body.to < body.from || Date.parse(body.to) - Date.parse(body.from) > 92 * 86_400_000) {
          throw new AppError('VALIDATION_FAILED', [fieldError('/to', 'BAD_RANGE', '日期范围须在 1 到 93 天之间，且结束不早于开始', 'The range must be 1 to 93 days, ending on or after its start')]);
        }
        return rollups.rebuildRollups(auth.tenantId, body.from, body.to);
      },
    }),
  ];
}
