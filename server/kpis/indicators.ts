// KPI values over a period, from per-day rollups, the customers a rep holds and the approved plan items. Pure.
// Counters add up across reps, so a team's or a tenant's rates are pooled (total on time / total due), not an
// average of averages.
import { decodeCustomers, decodePaths, type DailyRollup } from './rollup.ts';

export interface Period {
  from: string;
  to: string;
  days: number;
  /**
   * How much of a month the period is (days / days in the month of `to`), at most 1. Monthly obligations over a
   * shorter period are judged pro rata: a week that covers a quarter of the month's obligations is on pace.
   */
  fraction: number;
  /** Whole months the obligations count for (at least 1). */
  months: number;
  /** Whole quarters covered: the on-site-per-quarter obligation is judged only over a range that spans one. */
  quarters: number;
}

export interface CoverageRule { onSitePerMonth?: number; phonePerMonth?: number; onSitePerQuarter?: number }

export interface Holding { customerId: string; cls: string }
export interface PlanItem { repId: string; date: string; customerId: string; visitType?: string }

export interface Counters {
  visits: number; onsite: number; phone: number; joint: number;
  green: number; yellow: number; red: number; valid: number;
  durationSum: number; durationCount: number; reportsOnTime: number;
  evidenceSum: number; followUpsDue: number; followUpsOnTime: number;
  /** Consistency windows (3 consecutive visits to one customer type) and the sum of their similarities. */
  windows: number; windowSum: number;
  /** null: plans are not known (no source); 0 planned means nothing to judge. */
  planned: number | null; plannedDone: number;
  held: number; covered: number; frequencyMet: number;
}

export const emptyCounters = (): Counters => ({
  visits: 0, onsite: 0, phone: 0, joint: 0, green: 0, yellow: 0, red: 0, valid: 0, durationSum: 0, durationCount: 0,
  reportsOnTime: 0, evidenceSum: 0, followUpsDue: 0, followUpsOnTime: 0, windows: 0, windowSum: 0,
  planned: null, plannedDone: 0, held: 0, covered: 0, frequencyMet: 0,
});

/** Adds to a map of lists in place (spreading a new list per item is quadratic over a month of rollups). */
export function append<K, V>(map: Map<K, V[]>, key: K, ...values: V[]): void {
  const list = map.get(key);
  if (list) list.push(...values);
  else map.set(key, values);
}

const DAY_MS = 86_400_000;
const dayNumber = (date: string) => Date.parse(`${date}T00:00:00Z`) / DAY_MS;
const daysInMonth = (date: string) => new Date(Date.UTC(Number(date.slice(0, 4)), Number(date.slice(5, 7)), 0)).getUTCDate();

export function periodOf(from: string, to: string): Period {
  const days = dayNumber(to) - dayNumber(from) + 1;
  const monthLength = daysInMonth(to);
  return {
    from, to, days,
    fraction: Math.min(1, days / monthLength),
    months: Math.max(1, Math.round(days / monthLength)),
    quarters: Math.floor(days / 90),
  };
}

/** Similarity of two action paths: 1 − edit distance / longer length. */
export function pathSimilarity(a: string, b: string): number {
  if (a === b) return 1;
  const x = [...a];
  const y = [...b];
  if (x.length === 0 && y.length === 0) return 1;
  let prev = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i += 1) {
    const row = [i];
    for (let j = 1; j <= y.length; j += 1) {
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (x[i - 1] === y[j - 1] ? 0 : 1));
    }
    prev = row;
  }
  return 1 - prev[y.length]! / Math.max(x.length, y.length);
}

/** Sliding windows of 3 consecutive visits to the same customer type; a window's value is its mean pairwise similarity. */
export function consistencyWindows(paths: readonly [number, string, string][]): number[] {
  const byType = new Map<string, string[]>();
  for (const [, type, path] of [...paths].sort((a, b) => a[0] - b[0])) append(byType, type, path);
  const out: number[] = [];
  // A rep repeats a handful of distinct paths: each pair is compared once.
  const memo = new Map<string, number>();
  const sim = (a: string, b: string) => {
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    let v = memo.get(key);
    if (v === undefined) { v = pathSimilarity(a, b); memo.set(key, v); }
    return v;
  };
  for (const list of byType.values()) {
    for (let i = 0; i + 2 < list.length; i += 1) {
      const [a, b, c] = [list[i]!, list[i + 1]!, list[i + 2]!];
      out.push((sim(a, b) + sim(b, c) + sim(a, c)) / 3);
    }
  }
  return out;
}

/** What one customer's obligations over the period require: on-site visits and contacts (any visit). */
export function obligation(rule: CoverageRule | undefined, period: Period): { onsite: number; contacts: number } {
  const onsite = (rule?.onSitePerMonth ?? 0) * period.months + (rule?.onSitePerQuarter ?? 0) * period.quarters;
  return { onsite, contacts: (rule?.phonePerMonth ?? 0) * period.months };
}

/**
 * One rep's counters: the rollups of the period (any order), the customers the rep holds now, and the rep's approved
 * plan items in the period (null when plans are unknown). A planned visit is done when the rep visited that customer
 * on the planned day (on site for an on-site plan; any visit for a phone plan). An on-site visit also counts as the
 * monthly contact a phone visit would give.
 */
export function repCounters(
  rollups: readonly DailyRollup[], holdings: readonly Holding[], plan: readonly PlanItem[] | null,
  rules: Record<string, CoverageRule>, period: Period,
): Counters {
  const c = emptyCounters();
  const touched = new Map<string, { onsite: number; phone: number }>();
  const byDay = new Map<string, Map<string, { onsite: number; phone: number }>>();
  const paths: [number, string, string][] = [];
  for (const r of rollups) {
    c.visits += r.visits; c.onsite += r.onsite; c.phone += r.phone; c.joint += r.joint;
    c.green += r.green; c.yellow += r.yellow; c.red += r.red; c.valid += r.valid;
    c.durationSum += r.durationSum; c.durationCount += r.durationCount; c.reportsOnTime += r.reportsOnTime;
    c.evidenceSum += r.evidenceSum; c.followUpsDue += r.followUpsDue; c.followUpsOnTime += r.followUpsOnTime;
    const day = new Map<string, { onsite: number; phone: number }>();
    for (const t of decodeCustomers(r.customers)) {
      day.set(t.customerId, { onsite: t.onsite, phone: t.phone });
      const sum = touched.get(t.customerId) ?? { onsite: 0, phone: 0 };
      touched.set(t.customerId, { onsite: sum.onsite + t.onsite, phone: sum.phone + t.phone });
    }
    byDay.set(r.date, day);
    paths.push(...decodePaths(r.paths));
  }
  const windows = consistencyWindows(paths);
  c.windows = windows.length;
  c.windowSum = windows.reduce((a, b) => a + b, 0);
  for (const h of holdings) {
    const t = touched.get(h.customerId);
    c.held += 1;
    if (t && t.onsite + t.phone > 0) c.covered += 1;
    const need = obligation(rules[h.cls], period);
    if ((t?.onsite ?? 0) >= need.onsite && (t ? t.onsite + t.phone : 0) >= need.contacts) c.frequencyMet += 1;
  }
  if (plan) {
    c.planned = plan.length;
    for (const item of plan) {
      const t = byDay.get(item.date)?.get(item.customerId);
      if (t && (item.visitType === 'phone' ? t.onsite + t.phone : t.onsite) > 0) c.plannedDone += 1;
    }
  }
  return c;
}

export function addCounters(a: Counters, b: Counters): Counters {
  const out = emptyCounters();
  for (const k of Object.keys(out) as (keyof Counters)[]) {
    if (k === 'planned') continue;
    out[k] = (a[k] ?? 0) + (b[k] ?? 0);
  }
  out.planned = a.planned === null && b.planned === null ? null : (a.planned ?? 0) + (b.planned ?? 0);
  return out;
}

export interface AhiTargets { timeliness: number; richness: number; consistency: number }

export const INDICATOR_KEYS = [
  'planCompletionRate', 'coverageRate', 'frequencyCompliance', 'avgVisitMinutes', 'validVisitRate', 'reportTimeliness',
  'followUpOnTime', 'ahi', 'ahiTimeliness', 'ahiRichness', 'ahiConsistency',
  'jointVisits', 'opportunityConversion', 'newSignings', 'knowledgeSharing',
] as const;
export type IndicatorKey = (typeof INDICATOR_KEYS)[number];
export type IndicatorValues = Record<IndicatorKey, number | null>;

const pct = (num: number, den: number) => (den > 0 ? (100 * num) / den : null);
const round = (n: number | null, digits = 1) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/**
 * The indicator values of counters. Rates are percentages (0–100), durations minutes, richness evidence kinds per
 * visit. Coverage and frequency over part of a month are judged against the pro-rata share and capped at 100.
 * Result indicators with no source in this product yet (opportunity conversion, new signings, knowledge sharing)
 * are null. AHI = 100 × the mean of each available sub-index's share of its target (capped at 1).
 */
export function indicatorValues(c: Counters, period: Period, ahi: AhiTargets): IndicatorValues {
  const paced = (num: number, den: number) => (den > 0 ? Math.min(100, (100 * num) / (den * period.fraction)) : null);
  const timeliness = pct(c.reportsOnTime + c.followUpsOnTime, c.visits + c.followUpsDue);
  const richness = c.visits > 0 ? c.evidenceSum / c.visits : null;
  const consistency = c.windows > 0 ? (100 * c.windowSum) / c.windows : null;
  const shares = [
    timeliness === null ? null : Math.min(1, timeliness / ahi.timeliness),
    richness === null ? null : Math.min(1, richness / ahi.richness),
    consistency === null ? null : Math.min(1, consistency / ahi.consistency),
  ].filter((x): x is number => x !== null);
  return {
    planCompletionRate: round(c.planned === null ? null : pct(c.plannedDone, c.planned)),
    coverageRate: round(paced(c.covered, c.held)),
    frequencyCompliance: round(paced(c.frequencyMet, c.held)),
    avgVisitMinutes: round(c.durationCount > 0 ? c.durationSum / c.durationCount : null),
    validVisitRate: round(pct(c.valid, c.visits)),
    reportTimeliness: round(pct(c.reportsOnTime, c.visits)),
    followUpOnTime: round(pct(c.followUpsOnTime, c.followUpsDue)),
    ahi: round(shares.length > 0 ? (100 * shares.reduce((a, b) => a + b, 0)) / shares.length : null),
    ahiTimeliness: round(timeliness),
    ahiRichness: round(richness, 2),
    ahiConsistency: round(consistency),
    jointVisits: c.joint,
    opportunityConversion: null,
    newSignings: null,
    knowledgeSharing: null,
  };
}
