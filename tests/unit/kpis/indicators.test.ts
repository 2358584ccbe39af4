// KPI values from rollups, holdings and plans, one indicator at a time, against hand-computed expectations.
import { describe, expect, it } from 'vitest';
import {
  addCounters, consistencyWindows, indicatorValues, pathSimilarity, periodOf, repCounters, type Holding, type PlanItem,
} from '../../../server/kpis/indicators.ts';
import type { CustomerTouch, DailyRollup, PathStep } from '../../../server/kpis/rollup.ts';

const RULES = { A: { onSitePerMonth: 1 }, B: { onSitePerMonth: 1 }, C: { phonePerMonth: 1, onSitePerQuarter: 1 }, D: { phonePerMonth: 1, onSitePerQuarter: 1 } };
const AHI = { timeliness: 95, richness: 3.2, consistency: 78 };
const NOVEMBER = periodOf('2026-11-01', '2026-11-30');

/** Customers touched, written "customerId:class:onsite:phone,…". */
function touches(text: string): CustomerTouch[] {
  return text.split(',').map((part) => {
    const [customerId = '', cls = '', onsite = '0', phone = '0'] = part.split(':');
    return { customerId, cls, onsite: Number(onsite), phone: Number(phone) };
  });
}

/** Action paths as [minute of the day, customer type, path]. */
const steps = (list: [number, string, string][]): PathStep[] => list.map(([m, type, path]) => ({ at: new Date(Date.UTC(2026, 10, 1, 0, m)), type, path }));

function day(date: string, o: Partial<DailyRollup> = {}): DailyRollup {
  return {
    tenantId: 't', repId: 'r', date, asOf: new Date(), visits: 0, onsite: 0, phone: 0, joint: 0, green: 0, yellow: 0, red: 0,
    valid: 0, durationSum: 0, durationCount: 0, reportsOnTime: 0, evidenceSum: 0, followUpsDue: 0, followUpsOnTime: 0, customers: [], paths: [], ...o,
  };
}

// Two days of one rep in November 2026 and the six customers the rep holds.
const rollups = [
  day('2026-11-03', {
    visits: 4, onsite: 3, phone: 1, joint: 1, green: 2, yellow: 1, red: 1, valid: 3, durationSum: 60, durationCount: 4, reportsOnTime: 4,
    evidenceSum: 14, followUpsDue: 2, followUpsOnTime: 2, customers: touches('a1:A:1:0,b1:B:1:0,c1:C:0:1,a2:A:1:0'),
    paths: steps([[1, '商超', 'QIABCOS'], [2, '商超', 'QIABCOS'], [3, '商超', 'QIABOS'], [4, '药店', 'LIOS']]),
  }),
  day('2026-11-05', {
    visits: 6, onsite: 6, green: 4, yellow: 2, valid: 5, durationSum: 90, durationCount: 6, reportsOnTime: 5,
    evidenceSum: 18, followUpsDue: 2, followUpsOnTime: 1, customers: touches('a1:A:2:0,c2:C:1:0,x9:A:3:0'),
    paths: steps([[5, '商超', 'QIABCOS']]),
  }),
];
const holdings: Holding[] = [
  { customerId: 'a1', cls: 'A' }, { customerId: 'a2', cls: 'A' }, { customerId: 'b1', cls: 'B' }, { customerId: 'b2', cls: 'B' },
  { customerId: 'c1', cls: 'C' }, { customerId: 'c2', cls: 'C' },
];
const plan: PlanItem[] = [
  { repId: 'r', date: '2026-11-03', customerId: 'a1', visitType: 'onsite' }, // done
  { repId: 'r', date: '2026-11-03', customerId: 'c1', visitType: 'onsite' }, // only a phone visit: not done
  { repId: 'r', date: '2026-11-03', customerId: 'c1', visitType: 'phone' }, // done
  { repId: 'r', date: '2026-11-04', customerId: 'b1', visitType: 'onsite' }, // visited on another day: not done
  { repId: 'r', date: '2026-11-05', customerId: 'c2', visitType: 'phone' }, // an on-site visit does for a phone plan
];

const counters = repCounters(rollups, holdings, plan, RULES, NOVEMBER);
const values = indicatorValues(counters, NOVEMBER, AHI);

describe('indicators over a month', () => {
  it('plan completion: planned visits done on the planned day, on site when planned on site (3 of 5)', () => {
    expect(counters).toMatchObject({ planned: 5, plannedDone: 3 });
    expect(values.planCompletionRate).toBe(60);
  });

  it('plan completion is null when plans are unknown, not 0', () => {
    expect(indicatorValues(repCounters(rollups, holdings, null, RULES, NOVEMBER), NOVEMBER, AHI).planCompletionRate).toBeNull();
  });

  it('coverage: held customers visited at least once, any type; a customer not held does not count (5 of 6)', () => {
    expect(counters).toMatchObject({ held: 6, covered: 5 });
    expect(values.coverageRate).toBe(83.3);
  });

  it('coverage over part of a month is judged against the pro-rata share, capped at 100', () => {
    const tenDays = periodOf('2026-11-01', '2026-11-10');
    const c = repCounters(rollups, holdings, null, RULES, tenDays);
    // 5 of 6 held against 6 × 10/30 = 2 expected by now → capped at 100.
    expect(indicatorValues(c, tenDays, AHI).coverageRate).toBe(100);
    const oneCustomer = repCounters([day('2026-11-03', { customers: touches('a1:A:1:0') })], holdings, null, RULES, tenDays);
    expect(indicatorValues(oneCustomer, tenDays, AHI).coverageRate).toBe(50); // 1 / (6 × 1/3)
  });

  it('frequency compliance: A/B on site monthly, C a contact monthly (on site counts); quarterly only over a quarter', () => {
    // a1 ✓ (3 on site), a2 ✓, b1 ✓, b2 ✗ (never), c1 ✓ (phone), c2 ✓ (on site counts as the contact)
    expect(counters.frequencyMet).toBe(5);
    expect(values.frequencyCompliance).toBe(83.3);
    const quarter = periodOf('2026-10-01', '2026-12-31');
    // Over a quarter the monthly obligations count three times and C customers also need an on-site visit:
    // only a1 (3 on-site visits) meets its obligation; c2 (1 on site) lacks two more monthly contacts.
    expect(repCounters(rollups, holdings, null, RULES, quarter).frequencyMet).toBe(1);
    const cOnly = [day('2026-10-05', { customers: touches('c1:C:0:1') }), day('2026-11-05', { customers: touches('c1:C:0:1') }), day('2026-12-05', { customers: touches('c1:C:0:1') })];
    expect(repCounters(cOnly, [{ customerId: 'c1', cls: 'C' }], null, RULES, quarter).frequencyMet).toBe(0); // phone only, no on-site
    cOnly[1] = day('2026-11-05', { customers: touches('c1:C:1:0') });
    expect(repCounters(cOnly, [{ customerId: 'c1', cls: 'C' }], null, RULES, quarter).frequencyMet).toBe(1);
  });

  it('average visit duration: check-in to check-out minutes over visits with both (150 / 10)', () => {
    expect(values.avgVisitMinutes).toBe(15);
  });

  it('valid-visit rate: valid over submitted visits (8 of 10)', () => {
    expect(values.validVisitRate).toBe(80);
  });

  it('report timeliness: reports within 24 h over reports (9 of 10)', () => {
    expect(values.reportTimeliness).toBe(90);
  });

  it('follow-ups on time: done by the end of the due day over those due (3 of 4)', () => {
    expect(values.followUpOnTime).toBe(75);
  });

  it('AHI timeliness: on-time steps (reports and follow-ups) over required steps (12 of 14)', () => {
    expect(values.ahiTimeliness).toBe(85.7);
  });

  it('AHI richness: evidence kinds per visit (32 / 10)', () => {
    expect(values.ahiRichness).toBe(3.2);
  });

  it('AHI consistency: similarity over windows of 3 consecutive visits to one customer type, days in order', () => {
    // The rollups come in any order; the paths are taken day by day.
    expect(indicatorValues(repCounters([...rollups].reverse(), holdings, plan, RULES, NOVEMBER), NOVEMBER, AHI).ahiConsistency).toBe(values.ahiConsistency);
    // 商超 paths in order: QIABCOS, QIABCOS, QIABOS, QIABCOS → windows [1,2,3] and [2,3,4].
    const s = pathSimilarity('QIABCOS', 'QIABOS'); // one deletion in 7 → 6/7
    expect(s).toBeCloseTo(6 / 7, 10);
    const w = consistencyWindows([...rollups[0]!.paths, ...rollups[1]!.paths]);
    expect(w).toHaveLength(2);
    expect(w[0]).toBeCloseTo((1 + s + s) / 3, 10);
    expect(w[1]).toBeCloseTo((s + s + 1) / 3, 10);
    expect(values.ahiConsistency).toBe(Math.round(1000 * (1 + 2 * s) / 3) / 10); // 90.5
  });

  it('AHI: 100 × the mean share of each sub-index target, capped at 1', () => {
    const expected = (100 * (Math.min(1, (1200 / 14) / 95) + 1 + 1)) / 3;
    expect(values.ahi).toBe(Math.round(expected * 10) / 10); // 96.8
  });

  it('joint visits are counted; result indicators without a source are null', () => {
    expect(values.jointVisits).toBe(1);
    expect(values.opportunityConversion).toBeNull();
    expect(values.newSignings).toBeNull();
    expect(values.knowledgeSharing).toBeNull();
  });

  it('a team pools counters: rates are totals over totals, not averages of rates', () => {
    const other = repCounters([day('2026-11-04', { visits: 10, valid: 2 })], [], [], RULES, NOVEMBER);
    const team = indicatorValues(addCounters(counters, other), NOVEMBER, AHI);
    expect(team.validVisitRate).toBe(50); // (8 + 2) / (10 + 10), not the mean of 80 and 20
    expect(addCounters(counters, other).planned).toBe(5);
  });
});
