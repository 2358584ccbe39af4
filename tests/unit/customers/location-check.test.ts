import { describe, expect, it } from 'vitest';
import { burstMedian, locationCheck, median, offsetM, type CheckVisit } from '../../../server/customers/location-check.ts';

const STORE = { lng: 121.4737, lat: 31.2304 }; // 上海人民广场
/** 0.001° of latitude is 111.2 m with the mean earth radius; of longitude at 31.23° about 95.1 m. */
const north = (m: number) => ({ lng: STORE.lng, lat: STORE.lat + m / 111_195 });
const east = (m: number, from = STORE) => ({ lng: from.lng + m / (111_195 * Math.cos((from.lat * Math.PI) / 180)), lat: from.lat });

let n = 0;
function visit(p: { lng: number; lat: number }, over: Partial<CheckVisit> = {}): CheckVisit {
  n += 1;
  // A burst of three: the first fix is the wild one a phone gives right after opening the app.
  const fixes = [
    { lng: p.lng + 0.01, lat: p.lat + 0.01, accuracyM: 300 },
    { ...p, accuracyM: 15 },
    { lng: p.lng - 0.00001, lat: p.lat - 0.00001, accuracyM: 12 },
  ];
  return { visitId: `v${n}`, repId: 'r1', repName: '张伟', at: new Date(Date.UTC(2026, 2, 20 - n)), startMethod: 'qr', fixes, ...over };
}

describe('location check maths', () => {
  it('median of odd and even lists, none for an empty one', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });

  it('takes the coordinate-wise median of the burst, so one wild fix does not move it', () => {
    const m = burstMedian([{ lng: 1, lat: 10, accuracyM: 300 }, { lng: 2, lat: 20, accuracyM: 15 }, { lng: 3, lat: 21, accuracyM: 12 }]);
    expect(m).toEqual({ lng: 2, lat: 20, accuracyM: 15 });
    expect(burstMedian([{ lng: 1, lat: 2 }])).toEqual({ lng: 1, lat: 2, accuracyM: null });
    expect(burstMedian([])).toBeNull();
  });

  it('offsets east and north in metres, signed', () => {
    const o = offsetM(STORE, { lng: east(-100).lng, lat: north(50).lat });
    expect(o.eastM).toBeCloseTo(-100, 0);
    expect(o.northM).toBeCloseTo(50, 0);
  });
});

describe('locationCheck', () => {
  it('reports each visit distance from the burst median, inside or outside the radius', () => {
    const res = locationCheck({ store: STORE, fenceRadiusM: 200, visits: [visit(north(40)), visit(north(350))] });
    expect(res.visits.map((v) => v.distanceM)).toEqual([40, 350]);
    expect(res.visits.map((v) => v.inside)).toEqual([true, false]);
    expect(res.visits[0]).toMatchObject({ accuracyM: 15, eastM: 0, northM: 40, repName: '张伟', startMethod: 'qr' });
    expect(res.summary).toMatchObject({ visits: 2, inside: 1, outside: 1, medianDistanceM: 195, verdict: 'TOO_FEW', suggestedPoint: null });
  });

  it('says so when there is nothing to compare: no visits, or visits without check-in fixes', () => {
    const res = locationCheck({ store: STORE, fenceRadiusM: 200, visits: [visit(STORE, { fixes: [] })] });
    expect(res.visits).toEqual([]);
    expect(res.summary.verdict).toBe('NO_VISITS');
    expect(res.summary.medianDistanceM).toBeNull();
    expect(res.summary.hint_zh).toMatch(/没有/);
  });

  it('finds the stored point consistent when most visits are inside the fence', () => {
    const res = locationCheck({ store: STORE, fenceRadiusM: 200, visits: [visit(north(30)), visit(east(50)), visit(north(900)), visit(east(-20))] });
    expect(res.summary).toMatchObject({ verdict: 'CONSISTENT', outside: 1, suggestedPoint: null });
  });

  it('suspects the stored point when recent visits agree with each other 600 m away, and suggests their median', () => {
    const real = north(600);
    const visits = [visit(real), visit(east(20, real)), visit(east(-25, real), { repId: 'r2', repName: '刘洋' }), visit(east(10, real)), visit(north(20))];
    const res = locationCheck({ store: STORE, fenceRadiusM: 200, visits });
    expect(res.summary.verdict).toBe('POINT_SUSPECT');
    expect(res.summary.outside).toBe(4);
    expect(res.summary.suggestedShiftM).toBeGreaterThan(550);
    expect(res.summary.suggestedShiftM).toBeLessThan(620);
    // The suggestion is near where the reps actually stood, not at the stored point.
    expect(Math.abs(res.summary.suggestedPoint!.lat - real.lat) * 111_195).toBeLessThan(30);
    expect(res.summary.hint_zh).toMatch(/客户位置可能有误/);
    expect(res.summary.hint_en).toMatch(/probably wrong/);
  });

  it('does not blame the point when the far visits are scattered in all directions', () => {
    const visits = [visit(north(800)), visit(east(900)), visit(north(-700)), visit(east(-1200))];
    const res = locationCheck({ store: STORE, fenceRadiusM: 200, visits });
    expect(res.summary.verdict).toBe('SCATTERED');
    expect(res.summary.suggestedPoint).toBeNull();
  });

  it('judges inside against the polygon plus margin when the customer has an outline', () => {
    const d = 0.002; // a square of about 440 m by 380 m around the point
    const polygon = [{ lng: STORE.lng - d, lat: STORE.lat - d }, { lng: STORE.lng + d, lat: STORE.lat - d }, { lng: STORE.lng + d, lat: STORE.lat + d }, { lng: STORE.lng - d, lat: STORE.lat + d }];
    const res = locationCheck({ store: STORE, polygon, fenceRadiusM: 50, visits: [visit(north(200)), visit(north(250)), visit(north(400))] });
    // 200 m is inside the outline; 250 m is 27 m past its edge (within the margin); 400 m is far outside.
    expect(res.visits.map((v) => v.inside)).toEqual([true, true, false]);
    expect(res.visits.map((v) => v.distanceM)).toEqual([200, 250, 400]);
  });
});
