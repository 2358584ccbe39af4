// The location plot beside a visit: distances in metres east/north of the store, the fence drawn to scale, accuracy
// circles, a round-number scale bar, and a teleported fix pinned to the edge instead of shrinking the fence to a dot.
import { describe, expect, it } from 'vitest';
import { distanceM, formatDistance, niceFloor, plotModel, toLocalMetres, MAX_ZOOM_OUT } from '../../../miniapp/console/src/visits/plot.ts';

const STORE = { lng: 121.4737, lat: 31.2304 };
/** A point `east` and `north` metres from the store (inverse of the plot's projection). */
const at = (east: number, north: number) => ({
  lng: STORE.lng + east / (6_371_008.8 * Math.cos((STORE.lat * Math.PI) / 180) * (Math.PI / 180)),
  lat: STORE.lat + north / (6_371_008.8 * (Math.PI / 180)),
});
const fix = (east: number, north: number, phase: 'checkin' | 'checkout' = 'checkin', accuracyM = 10) => ({ ...at(east, north), phase, accuracyM, deviceTime: '2026-11-20T02:00:00Z' });

describe('visit plot geometry', () => {
  it('measures metres east and north of the store, agreeing with the great-circle distance', () => {
    const p = at(300, -400);
    const local = toLocalMetres(STORE, p);
    expect(local.east).toBeCloseTo(300, 6);
    expect(local.north).toBeCloseTo(-400, 6);
    expect(distanceM(STORE, p)).toBeCloseTo(500, 0);
    // Shanghai to Beijing is about 1,068 km.
    expect(distanceM(STORE, { lng: 116.4074, lat: 39.9042 }) / 1000).toBeGreaterThan(1050);
    expect(distanceM(STORE, { lng: 116.4074, lat: 39.9042 }) / 1000).toBeLessThan(1090);
  });

  it('draws the fence circle to scale, with north up and east to the right', () => {
    const m = plotModel({ store: STORE, radiusM: 200, fixes: [fix(50, 80)], size: 400 });
    expect(m.fence).toEqual({ shape: 'circle', r: expect.closeTo(200 * m.pxPerM, 6) });
    // The fence fills the drawing with a margin.
    expect(m.halfExtentM).toBeCloseTo(240, 6);
    const [f] = m.fixes;
    expect(f!.x).toBeGreaterThan(m.centre.x);
    expect(f!.y).toBeLessThan(m.centre.y);
    expect(f!.x - m.centre.x).toBeCloseTo(50 * m.pxPerM, 3);
    expect(f!.accuracyPx).toBeCloseTo(10 * m.pxPerM, 6);
    expect(f!.distanceM).toBeCloseTo(Math.hypot(50, 80), 0);
    expect(f!.offPlot).toBe(false);
  });

  it('widens the drawing to show a nearby fix outside the fence, with its accuracy circle', () => {
    const m = plotModel({ store: STORE, radiusM: 100, fixes: [fix(600, 0, 'checkin', 50), fix(5, 5, 'checkout')] });
    expect(m.halfExtentM).toBeGreaterThanOrEqual(650);
    expect(m.fixes.every((f) => !f.offPlot)).toBe(true);
    expect(m.fixes.map((f) => f.phase)).toEqual(['checkin', 'checkout']);
  });

  it('pins a teleported fix to the edge on its bearing instead of shrinking the fence to a dot', () => {
    const beijing = { lng: 116.4074, lat: 39.9042, phase: 'checkin' as const, accuracyM: 10, deviceTime: '2026-11-20T02:00:00Z' };
    const m = plotModel({ store: STORE, radiusM: 200, fixes: [beijing], size: 360 });
    expect(m.halfExtentM).toBeLessThanOrEqual(200 * MAX_ZOOM_OUT * 1.2);
    expect(m.fence.shape === 'circle' && m.fence.r).toBeGreaterThan(10);
    const [f] = m.fixes;
    expect(f!.offPlot).toBe(true);
    expect(f!.distanceM).toBeGreaterThan(1_000_000);
    // Beijing is north-west of Shanghai: up and to the left, inside the frame.
    expect(f!.x).toBeLessThan(m.centre.x);
    expect(f!.y).toBeLessThan(m.centre.y);
    for (const c of [f!.x, f!.y]) {
      expect(c).toBeGreaterThanOrEqual(0);
      expect(c).toBeLessThanOrEqual(360);
    }
    expect(f!.accuracyPx).toBe(0);
  });

  it('marks the previous visit\'s check-out, pinned to the edge when it is the far end of an impossible trip', () => {
    const m = plotModel({ store: STORE, radiusM: 200, fixes: [fix(20, 10)], previous: { lng: 116.4074, lat: 39.9042, deviceTime: '2026-11-20T01:00:00Z' } });
    expect(m.fixes.map((f) => [f.phase, f.offPlot])).toEqual([['checkin', false], ['previous', true]]);
    const near = plotModel({ store: STORE, radiusM: 200, fixes: [], previous: { ...at(-300, 0), deviceTime: '2026-11-20T01:00:00Z' } });
    expect(near.fixes[0]).toMatchObject({ phase: 'previous', offPlot: false });
    expect(near.fixes[0]!.x).toBeLessThan(near.centre.x);
  });

  it('draws a store outline as a polygon with the margin, scaled like everything else', () => {
    const polygon = [at(-30, -20), at(30, -20), at(30, 20), at(-30, 20)];
    const m = plotModel({ store: STORE, radiusM: 50, polygon, fixes: [], size: 300 });
    expect(m.fence.shape).toBe('polygon');
    if (m.fence.shape !== 'polygon') return;
    const points = m.fence.points.split(' ').map((p) => p.split(',').map(Number));
    expect(points).toHaveLength(4);
    expect(points[0]![0]).toBeCloseTo(150 - 30 * m.pxPerM, 0);
    expect(points[0]![1]).toBeCloseTo(150 + 20 * m.pxPerM, 0);
    expect(m.fence.marginPx).toBeCloseTo(50 * m.pxPerM, 6);
    expect(m.halfExtentM).toBeCloseTo((Math.hypot(30, 20) + 50) * 1.2, 3);
  });

  it('labels the scale bar with a round distance that matches its length', () => {
    expect([0.7, 1, 3, 7, 19, 20, 45, 120, 999].map(niceFloor)).toEqual([0.5, 1, 2, 5, 10, 20, 20, 100, 500]);
    const m = plotModel({ store: STORE, radiusM: 200, fixes: [], size: 400 });
    expect(m.scaleBar.metres).toBe(100);
    expect(m.scaleBar.label).toBe('100 m');
    expect(m.scaleBar.px).toBeCloseTo(100 * m.pxPerM, 6);
    expect([formatDistance(85.4), formatDistance(1500), formatDistance(1_068_000)]).toEqual(['85 m', '1.5 km', '1,068 km']);
  });
});
