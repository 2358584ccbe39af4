import { describe, expect, it } from 'vitest';
import { impossibleTravel } from '../../../server/verification/rules/impossible-travel.ts';
import { expectSpared, fix, history, onlyFinding, params, visit, STORE } from './fixtures.ts';
import type { Fix, History } from '../../../server/verification/types.ts';

// This visit checks in at 10:00 with a fix 20 m north of the store, accuracy 15 m.
// The previous visit checked out `degreesSouth` of the store, `minutesBefore` earlier, with accuracy `accuracyM`.
// 0.1° of latitude is 11 119 m.
function afterPreviousVisit(degreesSouth: number, minutesBefore: number, accuracyM = 10) {
  const checkOutFix = { ...fix({ phase: 'checkout', accuracyM, minute: -minutesBefore }), lat: STORE.lat - degreesSouth, lng: STORE.lng };
  return impossibleTravel(visit(), history({ previousVisit: { visitId: 'v-before', checkOutFix } }), params());
}

describe('IMPOSSIBLE_TRAVEL', () => {
  it('soft above 130 km/h: 55.6 km (less 25 m of accuracy) in 20 min is 167 km/h, half the weight', () => {
    const f = onlyFinding(afterPreviousVisit(0.5, 20));
    expect(f).toMatchObject({ code: 'IMPOSSIBLE_TRAVEL', family: 'location', weight: 23, measured: 167, threshold: 130, unit: 'km/h' });
    expect(f.evidence).toMatchObject({ otherVisitId: 'v-before', distanceM: 55_617, speedKmh: 167, minutes: 20 });
    expect(f.message_en).toContain('only high-speed rail or a flight could do it');
  });

  it('strong above 400 km/h: the same 55.6 km in 5 min is 667 km/h, the full weight', () => {
    expect(onlyFinding(afterPreviousVisit(0.5, 5))).toMatchObject({ weight: 45, measured: 667, threshold: 400 });
  });

  it('spares an expressway trip: 55.6 km in 30 min is 111 km/h', () => {
    expectSpared(afterPreviousVisit(0.5, 30));
  });

  it('spares high-speed rail between cities door to door: 166.8 km in 100 min is 100 km/h', () => {
    expectSpared(afterPreviousVisit(1.5, 100));
  });

  it('a long flight between cities stays soft (a review, never red on its own): 1112 km in 3.5 h is 318 km/h', () => {
    expect(onlyFinding(afterPreviousVisit(10, 210))).toMatchObject({ weight: 23, measured: 318 });
  });

  it('credits both fixes\' accuracy and ignores what is left under 2 km: 2.24 km − 300 m − 15 m = 1.93 km', () => {
    expectSpared(afterPreviousVisit(0.02, 1, 300));
  });

  it('takes a gap under a minute (or a negative one) as a minute', () => {
    expect(onlyFinding(afterPreviousVisit(0.1, -5)).evidence.minutes).toBe(1);
  });

  it('is silent without a previous visit or without a check-in fix', () => {
    expectSpared(impossibleTravel(visit(), history(), params()));
    const checkOutFix = fix({ phase: 'checkout', minute: -1, north: -50_000 });
    expectSpared(impossibleTravel(visit({ fixes: [] }), history({ previousVisit: { visitId: 'v-before', checkOutFix } }), params()));
  });
});

describe('IMPOSSIBLE_TRAVEL against every visit of the rep in the window', () => {
  // Visits of the same rep around this one (check-in 10:00, 20 m north of the store, check-out 10:20).
  const nearby = (visitId: string, fixes: Fix[]) => ({ visitId, fixes });
  const south = (km: number, minute: number, phase: Fix['phase'] = 'checkout') => fix({ phase, minute, north: -km * 1000, accuracyM: 10 });
  const run = (visits: ReturnType<typeof nearby>[], extra: Partial<History> = {}) => impossibleTravel(visit(), history({ repVisitsNearby: visits, ...extra }), params());

  it('catches a teleport from an earlier visit although a joint visit next door checked out later (the previous visit)', () => {
    const joint = nearby('v-joint', [south(0.3, -90, 'checkin'), south(0.3, -10)]); // 协访 at a store 300 m away, out at 9:50
    const shanghaiAway = nearby('v-far', [south(300, -60, 'checkin'), south(300, -40)]); // 300 km away, out at 9:20
    const previousVisit = { visitId: 'v-joint', checkOutFix: south(0.3, -10) };
    const f = onlyFinding(run([joint, shanghaiAway], { previousVisit }));
    expect(f).toMatchObject({ code: 'IMPOSSIBLE_TRAVEL', weight: 45, threshold: 400 });
    expect(f.evidence).toMatchObject({ otherVisitId: 'v-far', minutes: 40 });
    expect(f.message_zh).toContain('拜访（v-far）签退到本次拜访签到');
    // The previous visit alone (old verdict inputs) sees nothing.
    expectSpared(impossibleTravel(visit(), history({ previousVisit }), params()));
  });

  it('measures a later visit too, from our last fix to its first (an offline upload sends the later one first)', () => {
    const f = onlyFinding(run([nearby('v-after', [south(200, 40, 'checkin')])]));
    expect(f.evidence).toMatchObject({ otherVisitId: 'v-after', minutes: 20 });
    expect(f.message_en).toContain("From this visit's check-out to the check-in of visit v-after");
  });

  it('reports the worst pair and spares honest days: an expressway hop, visits nearby, a visit without fixes', () => {
    expectSpared(run([nearby('v-road', [south(55, -40)]), nearby('v-next-door', [south(1, -5)]), nearby('v-phone', [])]));
    const f = onlyFinding(run([nearby('v-rail', [south(55, -20)]), nearby('v-jump', [south(300, -30)])]));
    expect(f.evidence.otherVisitId).toBe('v-jump');
  });

  it('overlapping visits: fixes minutes apart in two far places are caught, the same store is not', () => {
    const overlapping = nearby('v-overlap', [south(50, 5, 'checkin')]);
    expect(onlyFinding(run([overlapping])).evidence).toMatchObject({ otherVisitId: 'v-overlap', minutes: 5 });
    expectSpared(run([nearby('v-same-store', [fix({ minute: 3 })])]));
  });

  it('ignores this very visit if the caller listed it', () => {
    expectSpared(run([nearby('v-now', [south(300, 1)])]));
  });
});
