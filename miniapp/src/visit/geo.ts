// Distance from a reading to the store as the rep sees it. Stores are kept in GCJ-02 (China's map datum); a browser
// reading is WGS84, so it is shifted to GCJ-02 first (several hundred metres in China) or the distance would lie.
import gcoord from 'gcoord';
import type { Fix } from '../hosts/host.ts';
import type { LngLat } from '../api/types.ts';

const EARTH_M = 6_371_000;
const rad = (d: number) => (d * Math.PI) / 180;

export function haversineM(a: LngLat, b: LngLat): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_M * Math.asin(Math.sqrt(h));
}

export function toGcj02(fix: Pick<Fix, 'lng' | 'lat' | 'system'>): LngLat {
  if (fix.system === 'GCJ02') return { lng: fix.lng, lat: fix.lat };
  const from = fix.system === 'BD09' ? gcoord.BD09 : gcoord.WGS84;
  const [lng, lat] = gcoord.transform([fix.lng, fix.lat], from, gcoord.GCJ02) as [number, number];
  return { lng, lat };
}

/** The distance of the best (most accurate) reading of a burst to the store, in metres. */
export function distanceToStore(fixes: Fix[], store: LngLat | null | undefined): number | null {
  if (!store || fixes.length === 0) return null;
  const best = [...fixes].sort((a, b) => (a.accuracyM ?? 1e9) - (b.accuracyM ?? 1e9))[0]!;
  return haversineM(toGcj02(best), store);
}

export function formatDistance(m: number, en: boolean): string {
  if (m < 1000) return en ? `${Math.round(m)} m` : `${Math.round(m)} 米`;
  return en ? `${(m / 1000).toFixed(1)} km` : `${(m / 1000).toFixed(1)} 公里`;
}

/** YYYY-MM-DD of an instant in China (visit dates and follow-up deadlines are China days). */
export function chinaDate(at: Date | string): string {
  const d = typeof at === 'string' ? new Date(at) : at;
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}
