// Bands, grade bands, the weighted period score with weights redistributed over missing data, and the rule that
// below-minimum coverage or frequency zeroes the maintenance score.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { INDICATOR_KEYS, periodOf, type IndicatorValues } from '../../../server/kpis/indicators.ts';
import { bandOf, periodScore, withDefaults, type KpiScoringConfig } from '../../../server/kpis/scorecard.ts';

const template = JSON.parse(readFileSync(new URL('../../../templates/scoring/default.json', import.meta.url), 'utf8')) as { content: KpiScoringConfig };
const config = withDefaults(template.content);
const MONTH = periodOf('2026-11-01', '2026-11-30');

const values = (o: Partial<IndicatorValues>): IndicatorValues => ({ ...Object.fromEntries(INDICATOR_KEYS.map((k) => [k, null])), ...o }) as IndicatorValues;

describe('bands', () => {
  it('higher is better: green at or above green, yellow at or above yellow, else red', () => {
    const coverage = config.indicators.coverageRate!; // green 95, yellow 85
    expect([bandOf(95, coverage), bandOf(94.9, coverage), bandOf(85, coverage), bandOf(84.9, coverage)]).toEqual(['green', 'yellow', 'yellow', 'red']);
  });

  it('lower is better: green at or below green', () => {
    const late = { direction: 'lower' as const, green: 1, yellow: 3 };
    expect([bandOf(1, late), bandOf(2, late), bandOf(3, late), bandOf(4, late)]).toEqual(['green', 'yellow', 'yellow', 'red']);
  });
});

describe('period score', () => {
  // Every process and behaviour indicator at its target; coverage and frequency above the minimums.
  const full = values({ followUpOnTime: 100, reportTimeliness: 100, planCompletionRate: 100, coverageRate: 100, frequencyCompliance: 100, validVisitRate: 100, jointVisits: 2 });

  it('spreads the weight of indicators without data over their group, and of empty groups over the others', () => {
    const s = periodScore(full, config, MONTH);
    const result = s.groups.find((g) => g.key === 'result')!;
    expect(result.score).toBeNull(); // opportunity conversion and new signings have no source
    const collaboration = s.groups.find((g) => g.key === 'collaboration')!;
    expect(collaboration.score).toBe(100); // joint visits carries the whole group
    expect(collaboration.indicators.find((i) => i.key === 'jointVisits')!.effectiveWeight).toBe(100);
    expect(collaboration.indicators.find((i) => i.key === 'knowledgeSharing')).toMatchObject({ value: null, score: null, effectiveWeight: 0 });
    expect(s.total).toBe(100);
  });

  it('weights indicator scores (value / target) within groups and groups by weight', () => {
    // behaviour: follow-ups 80 (of target 100) × 50 + reports 90 × 50 → 85; process: plan 70 × 30 + coverage 100 × 30
    // + frequency 100 × 20 + valid 90 × 20 → 89; collaboration: joint visits 1 of 2 → 50.
    // total = (20 × 85 + 30 × 89 + 10 × 50) / 60 = 81.2
    const s = periodScore(values({ followUpOnTime: 80, reportTimeliness: 90, planCompletionRate: 70, coverageRate: 100, frequencyCompliance: 100, validVisitRate: 90, jointVisits: 1 }), config, MONTH);
    expect(s.groups.map((g) => [g.key, g.score])).toEqual([['behaviour', 85], ['process', 89], ['result', null], ['collaboration', 50]]);
    expect(s.total).toBe(81.2);
    expect(s.grade).toEqual({ label: '良好', label_en: 'Good', min: 80 });
  });

  it('grades by the template bands: 90 优秀, 80 良好, 70 一般, 60 较差, below 不达标', () => {
    const grade = (score: number) => periodScore(values({ followUpOnTime: score, reportTimeliness: score }), config, MONTH).grade?.label;
    expect([grade(100), grade(90), grade(89.9), grade(80), grade(79), grade(70), grade(65), grade(60), grade(59.9), grade(0)])
      .toEqual(['优秀', '优秀', '良好', '良好', '一般', '一般', '较差', '较差', '不达标', '不达标']);
  });

  it('below-minimum coverage zeroes the maintenance (process) score and says why', () => {
    const s = periodScore({ ...full, coverageRate: 80 }, config, MONTH); // minimum 85
    const process = s.groups.find((g) => g.key === 'process')!;
    expect(process.score).toBe(0);
    expect(process.zeroed).toBe(true);
    expect(s.maintenance).toMatchObject({ group: 'process', zeroed: true });
    expect(s.maintenance.reason_zh).toContain('客户覆盖率 80% 低于最低要求 85%');
    // (20 × 100 + 30 × 0 + 10 × 100) / 60
    expect(s.total).toBe(50);
    expect(s.grade?.label).toBe('不达标');
  });

  it('below-minimum frequency zeroes it too; at the minimum it does not', () => {
    expect(periodScore({ ...full, frequencyCompliance: 74.9 }, config, MONTH).maintenance.zeroed).toBe(true);
    const at = periodScore({ ...full, coverageRate: 85, frequencyCompliance: 75 }, config, MONTH);
    expect(at.maintenance.zeroed).toBe(false);
    expect(at.groups.find((g) => g.key === 'process')!.score).toBeGreaterThan(0);
  });

  it('takes the minimums from the template when it sets them', () => {
    const strict = { ...config, maintenance: { group: 'process', minCoverageRate: 99 } };
    expect(periodScore(full, strict, MONTH).maintenance.zeroed).toBe(false);
    expect(periodScore({ ...full, coverageRate: 98 }, strict, MONTH).maintenance.zeroed).toBe(true);
  });

  it('has no score when nothing has data', () => {
    expect(periodScore(values({}), config, MONTH)).toMatchObject({ total: null, grade: null });
  });
});
