// The simulated world of the evaluation: a seeded random source, cities and stores, phone clocks, GPS bursts and an
// honest visit that every pattern starts from and then bends into its own shape. Deterministic for a seed.
import type { AuthenticityParams } from '../../server/verification/params.ts';
import type { CustomerClass, Fix, History, Host, LngLat, NearbyVisit, PhotoEvidence, Stamp, VisitFacts } from '../../server/verification/types.ts';

export interface Sample {
  facts: VisitFacts;
  history: History;
  /** What the generator measured on the way (e.g. hash distances), for the report only. */
  meta?: Record<string, number | string | boolean>;
  /**
   * For the evaluation through the API (scripts/eval/api): the bytes of this visit's photos by photo id (a photo
   * without bytes is uploaded as a fresh scene), and every earlier photo it was compared with, matched or not.
   */
  photoBytes?: Record<string, Buffer>;
  earlierPhotos?: EarlierPhotoBytes[];
}

/** An earlier photo the server must hold before the judged visit: it is uploaded in its own visit `visitId`. */
export interface EarlierPhotoBytes {
  photoId: string;
  visitId: string;
  repId: string;
  customerId: string;
  bytes: Buffer;
  /** When it was taken (the check-in of its visit); by default a week before the judged visit. */
  at?: Date;
}

export type Group = 'honest' | 'cheat' | 'hard';

/** One labelled pattern: a generator of visit `i` (deterministic for `i`), judged against its group's target. */
export interface Pattern {
  key: string;
  group: Group;
  title: string;
  /** What is simulated, with its parameters (docs/evaluation.md repeats it). */
  simulates: string;
  make(i: number, params: AuthenticityParams): Promise<Sample>;
}

export interface Rng {
  next(): number;
  uniform(a: number, b: number): number;
  int(a: number, b: number): number;
  chance(p: number): boolean;
  pick<T>(items: readonly T[]): T;
  gauss(sigma?: number): number;
  hex(chars: number): string;
}

/** mulberry32: small, fast and well spread; one stream per (pattern, visit). */
export function rng(seed: number): Rng {
  let s = seed >>> 0;
  const next = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
  const r: Rng = {
    next,
    uniform: (a, b) => a + (b - a) * next(),
    int: (a, b) => a + Math.floor((b - a + 1) * next()),
    chance: (p) => next() < p,
    pick: (items) => items[Math.floor(next() * items.length)]!,
    gauss: (sigma = 1) => sigma * Math.sqrt(-2 * Math.log(1 - next())) * Math.cos(2 * Math.PI * next()),
    hex: (chars) => Array.from({ length: chars }, () => Math.floor(next() * 16).toString(16)).join(''),
  };
  return r;
}

/** Seed of visit `i` of pattern `key`: stable across runs and independent of the pattern order. */
export function seedOf(key: string, i: number): number {
  let h = 2_166_136_261;
  for (const ch of `${key}#${i}`) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619);
  return h >>> 0;
}

export const CITIES: readonly (LngLat & { name: string })[] = [
  { name: 'Shanghai', lng: 121.47, lat: 31.23 }, { name: 'Hangzhou', lng: 120.16, lat: 30.27 },
  { name: 'Nanjing', lng: 118.8, lat: 32.06 }, { name: 'Suzhou', lng: 120.62, lat: 31.3 },
  { name: 'Beijing', lng: 116.4, lat: 39.9 }, { name: 'Tianjin', lng: 117.2, lat: 39.13 },
  { name: 'Guangzhou', lng: 113.26, lat: 23.13 }, { name: 'Shenzhen', lng: 114.06, lat: 22.54 },
  { name: 'Wuhan', lng: 114.3, lat: 30.59 }, { name: 'Chengdu', lng: 104.07, lat: 30.67 },
  { name: "Xi'an", lng: 108.94, lat: 34.27 }, { name: 'Changsha', lng: 112.94, lat: 28.23 },
  { name: 'Zhengzhou', lng: 113.63, lat: 34.75 }, { name: 'Jinan', lng: 117, lat: 36.67 },
  { name: 'Hefei', lng: 117.23, lat: 31.82 },
];

/** Metres per degree of latitude with the engine's earth radius. */
const M_PER_DEG = 111_194.93;

/** The point `north` / `east` metres from p. */
export function offset(p: LngLat, north: number, east: number): LngLat {
  return { lat: p.lat + north / M_PER_DEG, lng: p.lng + east / (M_PER_DEG * Math.cos((p.lat * Math.PI) / 180)) };
}

/** The point `metres` away from p on a bearing in degrees (0 = north). */
export function towards(p: LngLat, metres: number, bearingDeg: number): LngLat {
  const b = (bearingDeg * Math.PI) / 180;
  return offset(p, metres * Math.cos(b), metres * Math.sin(b));
}

/** Hosts report 6 decimals. */
export const round6 = (p: LngLat): LngLat => ({ lng: Math.round(p.lng * 1e6) / 1e6, lat: Math.round(p.lat * 1e6) / 1e6 });

export const MIN = 60_000;
export const HOUR = 3_600_000;
export const addMs = (d: Date, ms: number) => new Date(d.getTime() + ms);

/** The phone's clock: a steady drift of up to a couple of minutes, and seconds of network latency to us. */
export interface Clock { driftMs: number; stamp(real: Date, lagMs?: number): Stamp }
export function clock(r: Rng): Clock {
  const driftMs = Math.max(-150_000, Math.min(150_000, r.gauss(50_000)));
  return { driftMs, stamp: (real, lagMs = r.uniform(300, 4000)) => ({ deviceTime: addMs(real, driftMs), receivedAt: addMs(real, lagMs) }) };
}

export interface BurstSpec {
  /** Where the phone really is. */
  at: LngLat;
  n: number;
  startReal: Date;
  spanS: number;
  accuracy: [number, number];
  host: Host;
  provider?: Fix['provider'];
  isMock?: boolean;
  uncached?: boolean;
  /** Metres of per-fix wander (GPS); 0 repeats the same point (cache, WiFi, mock). */
  jitterM: number;
  phase: Fix['phase'];
}

export function burst(r: Rng, c: Clock, s: BurstSpec): Fix[] {
  // A repeated point (cache, WiFi, mock app) repeats its accuracy too.
  const fixedAccuracy = Math.round(r.uniform(...s.accuracy));
  return Array.from({ length: s.n }, (_, i) => {
    const real = addMs(s.startReal, s.n === 1 ? 0 : (i * s.spanS * 1000) / (s.n - 1));
    const p = s.jitterM > 0 ? round6(offset(s.at, r.gauss(s.jitterM), r.gauss(s.jitterM))) : round6(s.at);
    const fix: Fix = { ...p, accuracyM: s.jitterM > 0 ? Math.round(r.uniform(...s.accuracy)) : fixedAccuracy, host: s.host, phase: s.phase, ...c.stamp(real) };
    if (s.provider) fix.provider = s.provider;
    if (s.isMock !== undefined) fix.isMock = s.isMock;
    if (s.uncached !== undefined) fix.uncached = s.uncached;
    return fix;
  });
}

/** What a host reports with a GPS fix: DingTalk names the provider and the mock flag, WeCom and browsers do not. */
export function hostTraits(host: Host): Pick<BurstSpec, 'host' | 'provider' | 'isMock' | 'uncached'> {
  return host === 'dingtalk' ? { host, provider: 'gps', isMock: false, uncached: true } : { host };
}

export function randomPhoto(r: Rng, id: string, kind: string, takenAt: Date | undefined, where: LngLat | undefined, uploadedAt: Date): PhotoEvidence {
  const exif = takenAt ? { takenAt, ...(where ? { lng: where.lng, lat: where.lat } : {}) } : undefined;
  return {
    id, kind, sha256: r.hex(64), phash: r.hex(16), dhash: r.hex(16), source: 'camera', format: 'jpeg', width: 4032, height: 3024,
    ...(exif ? { exif } : {}), uploadedAt,
  };
}

/** The honest visit every pattern starts from, with the handles a pattern needs to reshape it. */
export interface World extends Sample {
  r: Rng;
  c: Clock;
  store: LngLat;
  /** Where the rep really stood (the stored store point is off the entrance by a few tens of metres). */
  stand: LngLat;
  city: LngLat & { name: string };
  checkInReal: Date;
  checkOutReal: Date;
  host: Host;
}

export interface WorldOptions {
  klass?: CustomerClass;
  /** Minutes on site for this class; by default 4–40 minutes over the class minimum. */
  stay?: (minimum: number, r: Rng) => number;
  host?: Host;
}

export function honestWorld(key: string, i: number, params: AuthenticityParams, o: WorldOptions = {}): World {
  const r = rng(seedOf(key, i));
  const c = clock(r);
  const city = r.pick(CITIES);
  const store = round6(offset(city, r.uniform(-12_000, 12_000), r.uniform(-12_000, 12_000)));
  const stand = towards(store, r.uniform(5, 50), r.uniform(0, 360));
  const klass = o.klass ?? r.pick(['A', 'B', 'C', 'D'] as const);
  const day = new Date(Date.UTC(2026, 10, 2 + r.int(0, 25), 1 + r.int(0, 8), r.int(0, 59)));
  const checkInReal = addMs(day, r.int(0, 59) * 1000);
  const minimum = params.minStayMinutes[klass];
  const stayMin = o.stay ? o.stay(minimum, r) : minimum + r.uniform(4, 40);
  const checkOutReal = addMs(checkInReal, stayMin * MIN);
  const host = o.host ?? r.pick(['wecom', 'wecom', 'dingtalk', 'browser'] as const);
  const gps = { ...hostTraits(host), accuracy: [5, 20] as [number, number], jitterM: r.uniform(1, 3) };
  const fixes = [
    ...burst(r, c, { ...gps, at: stand, n: r.int(3, 5), startReal: checkInReal, spanS: r.uniform(10, 20), phase: 'checkin' }),
    ...burst(r, c, { ...gps, at: stand, n: 1, startReal: checkOutReal, spanS: 0, phase: 'checkout' }),
  ];
  const visitId = `${key}-${i}`;
  const repId = `rep-${key}-${i}`;
  const photos = ['storefront', 'shelf'].map((kind, k) => {
    const taken = addMs(checkInReal, (k + 1) * r.uniform(1, 4) * MIN + c.driftMs);
    return randomPhoto(r, `${visitId}-p${k}`, kind, taken, towards(stand, r.uniform(0, 15), r.uniform(0, 360)), addMs(taken, r.uniform(2, 20) * 1000 - c.driftMs));
  });
  const contactCount = r.int(3, 6);
  const contact = () => `c${r.int(1, contactCount)}`;
  const contactsMet = [...new Set([contact(), contact()])];
  const lastMonth = ['c1', `c${r.int(2, contactCount)}`];
  const facts: VisitFacts = {
    visitId, repId, customer: { id: `cust-${visitId}`, type: r.pick(['pharmacy', 'clinic', 'supermarket']), class: klass, location: store },
    startedBy: 'location',
    checkIn: c.stamp(checkInReal), checkOut: c.stamp(checkOutReal), submitted: c.stamp(addMs(checkOutReal, r.uniform(1, 120) * MIN)),
    fixes, photos, deviceId: `dev-${repId}`, contactsMet, visitType: 'onsite',
  };
  const history: History = {
    photoMatches: [], replayedCoordinates: [], deviceUsedByOtherReps: [], otherRepsIdenticalFixes: [],
    contacts: { previousMonthsContactIds: [lastMonth], thisMonthContactIds: [], customerContactCount: contactCount },
  };
  if (r.chance(0.7)) {
    // The rep's previous visit today, a city drive away (12–40 km/h door to door, plus some idle time).
    const km = r.uniform(1, 12);
    const leftReal = addMs(checkInReal, -(km / r.uniform(12, 40)) * HOUR - r.uniform(0, 20) * MIN);
    const fix = burst(r, c, { ...gps, at: towards(stand, km * 1000, r.uniform(0, 360)), n: 1, startReal: leftReal, spanS: 0, phase: 'checkout' })[0]!;
    setPreviousVisit(history, `${visitId}-prev`, fix);
  }
  return { facts, history, r, c, store, stand, city, checkInReal, checkOutReal, host };
}

/**
 * The rep's previous visit as the server gathers it: the latest check-out before ours, which is also the only
 * visit of the rep in the travel window unless a pattern adds more.
 */
export function setPreviousVisit(history: History, visitId: string, checkOutFix: Fix, more: NearbyVisit[] = []): void {
  history.previousVisit = { visitId, checkOutFix };
  history.repVisitsNearby = [{ visitId, fixes: [checkOutFix] }, ...more];
}

export const checkInFixes = (w: World) => w.facts.fixes.filter((f) => f.phase === 'checkin');
export const sample = (w: World, meta?: Sample['meta']): Sample => ({
  facts: w.facts, history: w.history, ...(meta ? { meta } : {}),
  ...(w.photoBytes ? { photoBytes: w.photoBytes } : {}), ...(w.earlierPhotos ? { earlierPhotos: w.earlierPhotos } : {}),
});
