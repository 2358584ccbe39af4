// Distances on the earth for the location rules. GCJ-02 is a small smooth offset of WGS-84, so the usual
// spherical formulas hold to well under a metre for distances between two GCJ-02 points.
import type { LngLat } from './types.ts';

/** Mean earth radius; with it 0.01° of latitude is 1112 m, which keeps test numbers hand-checkable. */
export const EARTH_RADIUS_M = 6_371_000;
const RAD = Math.PI / 180;

export function haversineM(a: LngLat, b: LngLat): number {
  const dLat = (b.lat - a.lat) * RAD;
  const dLng = (b.lng - a.lng) * RAD;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * RAD) * Math.cos(b.lat * RAD) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Ray casting; points exactly on an edge may fall either way, which the fence margin absorbs. */
export function pointInPolygon(p: LngLat, polygon: readonly (readonly [number, number])[]): boolean {
  let inside = false;
  for (let i = 0, j = polygon.length - 1; i < polygon.length; j = i, i += 1) {
    const [xi, yi] = polygon[i]!;
    const [xj, yj] = polygon[j]!;
    if (yi > p.lat !== yj > p.lat && p.lng < ((xj - xi) * (p.lat - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Metres from p to the polygon: 0 inside, else to the nearest edge (a flat projection is fine at store scale). */
export function distanceToPolygonM(p: LngLat, polygon: readonly (readonly [number, number])[]): number {
  if (polygon.length === 0) return Infinity;
  if (pointInPolygon(p, polygon)) return 0;
  const kx = EARTH_RADIUS_M * RAD * Math.cos(p.lat * RAD);
  const ky = EARTH_RADIUS_M * RAD;
  const xy = polygon.map(([lng, lat]) => [(lng - p.lng) * kx, (lat - p.lat) * ky] as const);
  let best = Infinity;
  for (let i = 0; i < xy.length; i += 1) {
    const [ax, ay] = xy[i]!;
    const [bx, by] = xy[(i + 1) % xy.length]!;
    const len2 = (bx - ax) ** 2 + (by - ay) ** 2;
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * (bx - ax) + ay * (by - ay)) / len2));
    best = Math.min(best, Math.hypot(ax + t * (bx - ax), ay + t * (by - ay)));
  }
  return best;
}

export function speedKmh(distanceM: number, elapsedMs: number): number {
  return distanceM / 1000 / (elapsedMs / 3_600_000);
}

/** Same coordinates at the 1e-6° that hosts report (about 0.1 m): what a replayed or frozen point looks like. */
export function sameCoordinates(a: LngLat, b: LngLat): boolean {
  return Math.round(a.lng * 1e6) === Math.round(b.lng * 1e6) && Math.round(a.lat * 1e6) === Math.round(b.lat * 1e6);
}
