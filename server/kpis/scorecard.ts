// Bands, indicator scores, the weighted period score and its grade, from the scoring template. Pure.
import type { Band } from './board-types.ts';
import type { AhiTargets, IndicatorKey, IndicatorValues, Period } from './indicators.ts';

export interface IndicatorSpec {
  name: string; name_en?: string; unit?: string; direction: 'higher' | 'lower'; green: number; yellow: number; target?: number;
}

/** The parts of a scoring template (schemas/scoring-template.schema.json) the KPIs read. */
export interface KpiScoringConfig {
  groups: { key: string; name: string; name_en?: string; weight: number; indicators: { key: string; weight: number }[] }[];
  gradeBands: { min: number; label: string; label_en: string }[];
  indicators: Record<string, IndicatorSpec>;
  coverage: Record<string, { onSitePerMonth?: number; phonePerMonth?: number; onSitePerQuarter?: number }>;
  /** Optional: which group is the maintenance score and the minimums below which it is 0. */
  maintenance?: { group?: string; minCoverageRate?: number; minFrequencyCompliance?: number };
  authenticity?: { reportDeadlineHours?: number };
}

/**
 * Thresholds for the indicators a template saved before they existed lacks (equal to templates/scoring/default.json).
 * The AHI targets come from the domain: timeliness ≥ 95 %, richness ≥ 3.2 kinds per visit, consistency ≥ 78 %.
 */
export const DEFAULT_INDICATORS: Record<string, IndicatorSpec> = {
  avgVisitMinutes: { name: '平均拜访时长', name_en: 'Average visit duration', unit: '分钟', direction: 'higher', green: 15, yellow: 8 },
  ahi: { name: '动作健康度指数', name_en: 'Action Health Index', direction: 'higher', green: 85, yellow: 75, target: 100 },
  ahiTimeliness: { name: '动作及时率', name_en: 'AHI timeliness', unit: '%', direction: 'higher', green: 95, yellow: 85, target: 95 },
  ahiRichness: { name: '动作丰富度', name_en: 'AHI richness', unit: '种', direction: 'higher', green: 3.2, yellow: 2.5, target: 3.2 },
  ahiConsistency: { name: '动作一致性', name_en: 'AHI consistency', unit: '%', direction: 'higher', green: 78, yellow: 65, target: 78 },
};

/** Counted per month: over part of a month their targets shrink pro rata. */
const MONTHLY_COUNTS = new Set<string>(['jointVisits', 'newSignings', 'knowledgeSharing']);

export function withDefaults(config: KpiScoringConfig): KpiScoringConfig {
  return { ...config, indicators: { ...DEFAULT_INDICATORS, ...config.indicators } };
}

export function ahiTargets(config: KpiScoringConfig): AhiTargets {
  const target = (key: string) => { const i = config.indicators[key] ?? DEFAULT_INDICATORS[key]!; return i.target ?? i.green; };
  return { timeliness: target('ahiTimeliness'), richness: target('ahiRichness'), consistency: target('ahiConsistency') };
}

export function bandOf(value: number, spec: Pick<IndicatorSpec, 'direction' | 'green' | 'yellow'>): Band {
  if (spec.direction === 'lower') return value <= spec.green ? 'green' : value <= spec.yellow ? 'yellow' : 'red';
  return value >= spec.green ? 'green' : value >= spec.yellow ? 'yellow' : 'red';
}

/** 0–100: the share of the target reached (capped), or for lower-is-better the target's share of the value. */
export function indicatorScore(value: number, spec: IndicatorSpec, period: Period, key: string): number {
  const target = (spec.target ?? spec.green) * (MONTHLY_COUNTS.has(key) ? period.fraction : 1);
  if (spec.direction === 'lower') return value <= target ? 100 : target <= 0 ? 0 : Math.max(0, (100 * target) / value);
  if (target <= 0) return 100;
  return Math.max(0, Math.min(100, (100 * value) / target));
}

export interface GroupScore {
  key: string; name: string; name_en: string; weight: number;
  /** null when no indicator of the group has data; its weight then goes to the other groups. */
  score: number | null;
  zeroed: boolean;
  indicators: { key: string; weight: number; effectiveWeight: number; value: number | null; score: number | null }[];
}

export interface PeriodScore {
  total: number | null;
  grade: { label: string; label_en: string; min: number } | null;
  groups: GroupScore[];
  maintenance: { group: string; zeroed: boolean; reason_zh: string | null; reason_en: string | null };
}

const r1 = (n: number) => Math.round(n * 10) / 10;

/**
 * The weighted score. An indicator without data (null) drops out and its weight is spread over the group's other
 * indicators in proportion; a group with no data at all drops out the same way among groups. Below the minimum
 * coverage or frequency (default: their yellow thresholds) the maintenance group (default `process`) scores 0,
 * as the assessment policy says for a month below the minimum count and frequency.
 */
export function periodScore(values: IndicatorValues, config: KpiScoringConfig, period: Period): PeriodScore {
  const m = config.maintenance ?? {};
  const maintenanceGroup = m.group ?? 'process';
  const minCoverage = m.minCoverageRate ?? config.indicators.coverageRate?.yellow ?? 0;
  const minFrequency = m.minFrequencyCompliance ?? config.indicators.frequencyCompliance?.yellow ?? 0;
  const coverage = values.coverageRate;
  const frequency = values.frequencyCompliance;
  const shortCoverage = coverage !== null && coverage < minCoverage;
  const shortFrequency = frequency !== null && frequency < minFrequency;
  const zeroed = shortCoverage || shortFrequency;
  const reasons: [string, string][] = [];
  if (shortCoverage) reasons.push([`客户覆盖率 ${coverage}% 低于最低要求 ${minCoverage}%`, `coverage ${coverage}% is below the minimum ${minCoverage}%`]);
  if (shortFrequency) reasons.push([`拜访频次达标率 ${frequency}% 低于最低要求 ${minFrequency}%`, `frequency compliance ${frequency}% is below the minimum ${minFrequency}%`]);

  const groups: GroupScore[] = config.groups.map((g) => {
    const rows = g.indicators.map((i) => {
      const value = (values as Record<string, number | null>)[i.key] ?? null;
      const spec = config.indicators[i.key];
      return { key: i.key, weight: i.weight, value, score: value === null || !spec ? null : r1(indicatorScore(value, spec, period, i.key)) };
    });
    const known = rows.filter((row) => row.score !== null);
    const knownWeight = known.reduce((a, row) => a + row.weight, 0);
    const score = known.length === 0 ? null
      : knownWeight > 0 ? known.reduce((a, row) => a + row.weight * (row.score as number), 0) / knownWeight
        : known.reduce((a, row) => a + (row.score as number), 0) / known.length;
    const isZeroed = zeroed && g.key === maintenanceGroup && score !== null;
    return {
      key: g.key, name: g.name, name_en: g.name_en ?? g.key, weight: g.weight,
      score: score === null ? null : isZeroed ? 0 : r1(score), zeroed: isZeroed,
      indicators: rows.map((row) => ({ ...row, effectiveWeight: row.score === null || knownWeight === 0 ? 0 : r1((100 * row.weight) / knownWeight) })),
    };
  });
  const scored = groups.filter((g) => g.score !== null);
  const weight = scored.reduce((a, g) => a + g.weight, 0);
  const total = scored.length === 0 ? null : r1(weight > 0 ? scored.reduce((a, g) => a + g.weight * (g.score as number), 0) / weight : 0);
  const bands = [...config.gradeBands].sort((a, b) => b.min - a.min);
  const grade = total === null ? null : bands.find((b) => total >= b.min) ?? bands.at(-1) ?? null;
  return {
    total, grade: grade ? { label: grade.label, label_en: grade.label_en, min: grade.min } : null, groups,
    maintenance: {
      group: maintenanceGroup, zeroed: groups.some((g) => g.zeroed),
      reason_zh: zeroed ? `${reasons.map((x) => x[0]).join('；')}，维护得分计 0` : null,
      reason_en: zeroed ? `${reasons.map((x) => x[1]).join('; ')}: the maintenance score is 0` : null,
    },
  };
}

export interface IndicatorView {
  value: number | null; band: Band | null; unit: string; name_zh: string; name_en: string;
  green: number | null; yellow: number | null; target: number | null; direction: 'higher' | 'lower';
}

export function indicatorViews(values: IndicatorValues, config: KpiScoringConfig): Record<IndicatorKey, IndicatorView> {
  const out = {} as Record<IndicatorKey, IndicatorView>;
  for (const [key, value] of Object.entries(values) as [IndicatorKey, number | null][]) {
    const spec = config.indicators[key];
    out[key] = {
      value, band: value === null || !spec ? null : bandOf(value, spec), unit: spec?.unit ?? '',
      name_zh: spec?.name ?? key, name_en: spec?.name_en ?? key, green: spec?.green ?? null, yellow: spec?.yellow ?? null,
      target: spec?.target ?? null, direction: spec?.direction ?? 'higher',
    };
  }
  return out;
}
