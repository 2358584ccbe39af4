import { describe, expect, it } from 'vitest';
import { impossibleTravel } from '../../../server/verification/rules/impossible-travel.ts';
import { expectSpared, fix, history, onlyFinding, params, visit, STORE } from './fixtures.ts';

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
