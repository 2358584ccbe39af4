// A rep's standing over a period — score, grade and light — from their counters under the scoring template. The one
// computation behind the board (the console's table and the 08:30 bot message), GET /api/kpis, the rep-scores
// export and the what-if's "before", so none of them can tell a rep something the others do not. Pure.
import type { BoardBreach, Light } from './board-types.ts';
import { breachesOf, reasonOf } from './board.ts';
import { INDICATOR_KEYS, indicatorValues, type Counters, type IndicatorValues, type Period } from './indicators.ts';
import { ahiTargets, periodScore, type KpiScoringConfig, type PeriodScore } from './scorecard.ts';

export interface RepStanding {
  light: Light;
  /** 0–100, one decimal; null without data. */
  score: number | null;
  grade: string | null;
  grade_en: string | null;
  /** Why the light is not green: its worst judged indicator, in words (null when green or without data). */
  reason_zh: string | null;
  reason_en: string | null;
  /** The judged indicators outside green, worst first. */
  breaches: BoardBreach[];
  /** The score's groups and the maintenance rule, for the rep's own page. */
  periodScore: PeriodScore;
  values: IndicatorValues;
}

/**
 * Data in the period: at least one submitted visit or one follow-up due. A rep without either is not judged — grey,
 * 暂无数据, no score — rather than red on every indicator (a new tenant's first morning, a rep just hired).
 */
export const hasData = (c: Pick<Counters, 'visits' | 'followUpsDue'>): boolean => c.visits > 0 || c.followUpsDue > 0;

const NO_VALUES = Object.fromEntries(INDICATOR_KEYS.map((k) => [k, null])) as IndicatorValues;

/** The standing from indicator values already computed; `withData` false gives the grey "no data" standing. */
export function judge(values: IndicatorValues, withData: boolean, config: KpiScoringConfig, period: Period): RepStanding {
  const score = periodScore(withData ? values : NO_VALUES, config, period);
  const breaches = withData ? breachesOf(values, config) : [];
  const worst = breaches[0];
  const reason = worst ? reasonOf(worst, config) : null;
  return {
    light: withData ? worst?.band ?? 'green' : 'none',
    score: score.total, grade: score.grade?.label ?? null, grade_en: score.grade?.label_en ?? null,
    reason_zh: reason?.zh ?? null, reason_en: reason?.en ?? null,
    breaches, periodScore: score, values,
  };
}

export function repStanding(counters: Counters, period: Period, config: KpiScoringConfig): RepStanding {
  return judge(indicatorValues(counters, period, ahiTargets(config)), hasData(counters), config, period);
}
