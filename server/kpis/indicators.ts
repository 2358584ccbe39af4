// KPI values over a period, from per-day rollups, the customers a rep holds and the approved plan items. Pure.
// Counters add up across reps, so a team's or a tenant's rates are pooled (total on time / total due), not an
// average of averages.
import type { CustomerTouch, DailyRollup, PathStep } from './rollup.ts';

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

/**
 * What the counters read of a rollup: its day, counters, the customers touched (their class comes from the holdings)
 * and the action paths in check-in order (a day's paths follow the previous day's, so no times are needed).
 */
export type RollupFigures = Omit<DailyRollup, 'asOf' | 'tenantId' | 'customers' | 'paths'> & {
  customers: readonly Omit<CustomerTouch, 'cls'>[];
  paths: readonly Pick<PathStep, 'type' | 'path'>[];
};
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
export function append<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
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

/**
 * Consistency (动作一致性) over action paths fed in check-in order: each visit closes a window of 3 consecutive visits
 * to the same customer type once it has two predecessors of that type; a window's value is its mean pairwise
 * similarity. Only the last two paths per type are kept.
 */
export function consistencyTracker() {
  const lastTwo = new Map<string, [string | undefined, string | undefined]>();
  // A rep repeats a handful of distinct paths: each pair is compared once.
  const memo = new Map<string, number>();
  const sim = (a: string, b: string) => {
    if (a === b) return 1;
    const key = a < b ? `${a}\u0000${b}` : `${b}\u0000${a}`;
    let v = memo.get(key);
    if (v === undefined) { v = pathSimilarity(a, b); memo.set(key, v); }
    return v;
  };
  return {
    /** The value of the window this visit closes, or null while its type has fewer than two visits before it. */
    add(type: string, path: string): number | null {
      let seen = lastTwo.get(type);
      if (!seen) { seen = [undefined, undefined]; lastTwo.set(type, seen); }
      const [a, b] = seen;
      seen[0] = b;
      seen[1] = path;
      return a === undefined || b === undefined ? null : (sim(a, b) + sim(b, path) + sim(a, path)) / 3;
    },
  };
}

/** The window values of paths in check-in order (see consistencyTracker). */
export function consistencyWindows(paths: readonly Pick<PathStep, 'type' | 'path'>[]): number[] {
  const tracker = consistencyTracker();
  return paths.map((p) => tracker.add(p.type, p.path)).filter((v): v is number => v !== null);
}

/** What one customer's obligations over the period require: on-site visits and contacts (any visit). */
export function obligation(rule: CoverageRule | undefined, period: Period): { onsite: number; contacts: number } {
  const onsite = (rule?.onSitePerMonth ?? 0) * period.months + (rule?.onSitePerQuarter ?? 0) * period.quarters;
  return { onsite, contacts: (rule?.phonePerMonth ?? 0) * period.months };
}

/**
 * One rep's counters, built rollup by rollup: `add` each rollup of the period in date order (consistency follows the
 * visits in check-in order), then `result` with the customers the rep holds. The rep's approved plan items in the
 * period (null when plans are unknown) come first, so a rollup is folded in and dropped (a board streams a month of
 * a whole tenant's rollups and keeps none of them). A planned visit is done when the rep visited that customer on
 * the planned day (on site for an on-site plan; any visit for a phone plan). An on-site visit also counts as the
 * monthly contact a phone visit would give.
 */
export function counterBuilder(plan: readonly PlanItem[] | null, rules: Record<string, CoverageRule>, period: Period) {
  const c = emptyCounters();
  c.planned = plan ? plan.length : null;
  // The planned days per customer, on-site and phone items apart (a month of a big tenant is some 300,000 items;
  // a rep's are a few dozen customers with a few dates each, so nothing per item is allocated here).
  const onsitePlan = new Map<string, string[]>();
  const phonePlan = new Map<string, string[]>();
  for (const item of plan ?? []) {
    const byCustomer = item.visitType === 'phone' ? phonePlan : onsitePlan;
    const dates = byCustomer.get(item.customerId);
    if (dates) dates.push(item.date); else byCustomer.set(item.customerId, [item.date]);
  }
  const plannedOn = (dates: string[] | undefined, date: string) => {
    let n = 0;
    for (const d of dates ?? []) if (d === date) n += 1;
    return n;
  };
  const touched = new Map<string, { onsite: number; phone: number }>();
  const consistency = consistencyTracker();
  return {
    add(r: RollupFigures): void {
      c.visits += r.visits; c.onsite += r.onsite; c.phone += r.phone; c.joint += r.joint;
      c.green += r.green; c.yellow += r.yellow; c.red += r.red; c.valid += r.valid;
      c.durationSum += r.durationSum; c.durationCount += r.durationCount; c.reportsOnTime += r.reportsOnTime;
      c.evidenceSum += r.evidenceSum; c.followUpsDue += r.followUpsDue; c.followUpsOnTime += r.followUpsOnTime;
      for (const t of r.customers) {
        const sum = touched.get(t.customerId);
        if (sum) { sum.onsite += t.onsite; sum.phone += t.phone; } else touched.set(t.customerId, { onsite: t.onsite, phone: t.phone });
        // A rollup holds a customer once and a rep one rollup a day: each planned item is judged once.
        if (t.onsite > 0) c.plannedDone += plannedOn(onsitePlan.get(t.customerId), r.date);
        if (t.onsite + t.phone > 0) c.plannedDone += plannedOn(phonePlan.get(t.customerId), r.date);
      }
      for (const p of r.paths) {
        const w = consistency.add(p.type, p.path);
        if (w !== null) { c.windows += 1; c.windowSum += w; }
      }
    },
    result(holdings: readonly Holding[]): Counters {
      for (const h of holdings) {
        const t = touched.get(h.customerId);
        c.held += 1;
        if (t && t.onsite + t.phone > 0) c.covered += 1;
        const need = obligation(rules[h.cls], period);
        if ((t?.onsite ?? 0) >= need.onsite && (t ? t.onsite + t.phone : 0) >= need.contacts) c.frequencyMet += 1;
      }
      return c;
    },
  };
}

/** One rep's counters from the rollups of the period, in any order (see counterBuilder). */
export function repCounters(
  rollups: readonly RollupFigures[], holdings: readonly Holding[], plan: readonly PlanItem[] | null,
  rules: Record<string, CoverageRule>, period: Period,
): Counters {
  const builder = counterBuilder(plan, rules, period);
  for (const r of [...rollups].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0))) builder.add(r);
  return builder.result(holdings);
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
