// A rep's standing (score, grade, light) from counters: judged once there is a submitted visit or a follow-up due in
// the period; grey "no data" before that, however many customers the rep holds or visits the plan asks for.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { emptyCounters, periodOf, type Counters } from '../../../server/kpis/indicators.ts';
import { withDefaults, type KpiScoringConfig } from '../../../server/kpis/scorecard.ts';
import { repStanding } from '../../../server/kpis/standing.ts';

const config = withDefaults((JSON.parse(readFileSync(new URL('../../../templates/scoring/default.json', import.meta.url), 'utf8')) as { content: KpiScoringConfig }).content);
const period = periodOf('2026-11-01', '2026-11-10');
const counters = (o: Partial<Counters>): Counters => ({ ...emptyCounters(), ...o });

describe('rep standing', () => {
  it('without a visit or a follow-up due: grey, no score, no grade, no reason, although coverage reads 0', () => {
    const s = repStanding(counters({ held: 30, planned: 12 }), period, config);
    expect(s.values.coverageRate).toBe(0);
    expect(s).toMatchObject({ light: 'none', score: null, grade: null, grade_en: null, reason_zh: null, breaches: [] });
    expect(s.periodScore.maintenance.zeroed).toBe(false);
  });

  it('a follow-up due is data: the rep is judged (late follow-ups, nothing visited: red)', () => {
    const s = repStanding(counters({ held: 30, followUpsDue: 2 }), period, config);
    expect(s.light).toBe('red');
    expect(s.score).toEqual(expect.any(Number));
    expect(s.reason_zh).toEqual(expect.any(String));
  });

  it('visits on every judged indicator green: green with a score and grade', () => {
    const s = repStanding(counters({
      visits: 10, onsite: 10, green: 10, valid: 10, durationSum: 200, durationCount: 10, reportsOnTime: 10, evidenceSum: 40,
      followUpsDue: 4, followUpsOnTime: 4, windows: 4, windowSum: 4, planned: 10, plannedDone: 10, held: 10, covered: 10, frequencyMet: 10,
    }), period, config);
    expect(s).toMatchObject({ light: 'green', breaches: [], reason_zh: null });
    expect(s.grade).toEqual(expect.any(String));
  });
});
