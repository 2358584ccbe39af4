// The red/yellow/green board: per team, reds first and worst first, each rep once with their worst indicator as the
// reason and every breach listed, then yellows, then the greens, then the reps without data; every rep with the
// score, grade and light of their standing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildBoard, breachesOf } from '../../../server/kpis/board.ts';
import { INDICATOR_KEYS, periodOf, type IndicatorValues } from '../../../server/kpis/indicators.ts';
import { withDefaults, type KpiScoringConfig } from '../../../server/kpis/scorecard.ts';
import { judge } from '../../../server/kpis/standing.ts';

const config = withDefaults((JSON.parse(readFileSync(new URL('../../../templates/scoring/default.json', import.meta.url), 'utf8')) as { content: KpiScoringConfig }).content);
const good: IndicatorValues = {
  ...Object.fromEntries(INDICATOR_KEYS.map((k) => [k, null])),
  planCompletionRate: 100, coverageRate: 100, frequencyCompliance: 100, avgVisitMinutes: 20, validVisitRate: 100,
  reportTimeliness: 100, followUpOnTime: 100, ahi: 95,
} as IndicatorValues;

const values: Record<string, IndicatorValues> = {
  r1: { ...good, coverageRate: 60, validVisitRate: 90 }, // red coverage (29 % short of 85), yellow valid
  r2: { ...good, reportTimeliness: 50 }, // red timeliness (41 % short of 85)
  r3: { ...good, avgVisitMinutes: 10 }, // yellow duration
  r4: good,
  r5: { ...good, followUpOnTime: 80 }, // yellow, other team
  r6: good, // no manager
  r7: { ...good, coverageRate: 0, frequencyCompliance: 0 }, // holds customers, but no visit or follow-up this month
};
const reps = [
  { id: 'r1', name: '张伟', hostUserId: 'zhangwei', managerId: 'm1' },
  { id: 'r2', name: '刘洋', hostUserId: null, managerId: 'm1' },
  { id: 'r3', name: '陈静', hostUserId: 'chenjing', managerId: 'm1' },
  { id: 'r4', name: '李娜', hostUserId: 'lina', managerId: 'm1' },
  { id: 'r5', name: '赵磊', hostUserId: 'zhaolei', managerId: 'm2' },
  { id: 'r6', name: '孙丽', hostUserId: null, managerId: null },
  { id: 'r7', name: '新人', hostUserId: 'xinren', managerId: 'm1' },
];
const period = periodOf('2026-11-01', '2026-11-10');
const standing = (id: string) => judge(values[id]!, id !== 'r7', config, period);
const managers = new Map([['m1', { id: 'm1', name: '王经理', hostUserId: 'wang' }], ['m2', { id: 'm2', name: '周经理', hostUserId: 'zhou' }]]);
const board = buildBoard({ date: '2026-11-10', period: { from: '2026-11-01', to: '2026-11-10' }, tenant: { id: 't', name: '企业' } }, reps, managers, standing, config);

describe('daily board', () => {
  it('groups reps by their manager, teams with reds first', () => {
    expect(board.teams.map((t) => [t.managerId, t.managerName, t.managerHostUserId])).toEqual([['m1', '王经理', 'wang'], ['m2', '周经理', 'zhou'], [null, '', null]]);
    expect(board.teams.map((t) => [t.reds.length, t.yellows.length, t.greens.length, t.noData.length])).toEqual([[2, 1, 1, 1], [0, 1, 0, 0], [0, 0, 1, 0]]);
  });

  it('gives every rep the score, grade and light of their standing', () => {
    const all = board.teams.flatMap((t) => [...t.reds, ...t.yellows, ...t.greens, ...t.noData]);
    expect(all.map((e) => e.repId).sort()).toEqual(reps.map((r) => r.id).sort());
    for (const e of all) {
      const s = standing(e.repId);
      expect([e.light, e.score, e.grade, e.grade_en]).toEqual([s.light, s.score, s.grade, s.grade_en]);
    }
    expect(board.teams[0]!.greens).toEqual([expect.objectContaining({ repName: '李娜', light: 'green' })]);
    expect(board.teams[0]!.greens[0]!.score).toBeGreaterThan(0);
  });

  it('shows a rep without data as grey, with no score, not red on the indicators that read zero', () => {
    expect(board.teams[0]!.noData).toEqual([{ repId: 'r7', repName: '新人', hostUserId: 'xinren', light: 'none', score: null, grade: null, grade_en: null }]);
    expect(board.teams[0]!.reds.map((e) => e.repId)).not.toContain('r7');
  });

  it('lists reds worst first, each rep once, with the worst indicator as the reason', () => {
    const [team] = board.teams;
    expect(team!.reds.map((e) => [e.repName, e.indicator, e.value, e.threshold])).toEqual([
      ['刘洋', 'reportTimeliness', 50, 85],
      ['张伟', 'coverageRate', 60, 85],
    ]);
    expect(team!.reds[1]).toMatchObject({
      repId: 'r1', hostUserId: 'zhangwei', reason_zh: '客户覆盖率 60%，低于黄灯线 85%', reason_en: 'Customer coverage 60%, below the yellow line 85%',
    });
    expect(team!.reds[1]!.breaches.map((b) => [b.indicator, b.band])).toEqual([['coverageRate', 'red'], ['validVisitRate', 'yellow']]);
  });

  it('lists yellows with the green line as the threshold', () => {
    expect(board.teams[0]!.yellows[0]).toMatchObject({ repName: '陈静', indicator: 'avgVisitMinutes', value: 10, threshold: 15, reason_zh: '平均拜访时长 10 分钟，低于绿灯线 15 分钟' });
  });

  it('ignores indicators without data', () => {
    expect(breachesOf({ ...good, planCompletionRate: null, coverageRate: null }, config)).toEqual([]);
  });
});
