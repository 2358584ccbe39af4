// Honest patterns: real visits that look odd (authenticity.md, "spare" column). Each must stay below 2% red.
import type { Fix } from '../../server/verification/types.ts';
import { compare, evidence, hashed, keepBytes, lowDetailShot, sameStorefrontLater, storefront, type EarlierPhoto, type Hashed } from './photos.ts';
import { addMs, burst, checkInFixes, HOUR, honestWorld, hostTraits, MIN, rng, sample, seedOf, setPreviousVisit, towards, type Pattern, type World } from './world.ts';

/**
 * The tenant's earlier low-detail photos (night shots, shutters, blank walls) of other customers and reps: made
 * once, shared by every visit of the pattern, as the index would hold them.
 */
let lowDetailPool: Promise<EarlierPhoto[]> | undefined;
function earlierLowDetail(): Promise<EarlierPhoto[]> {
  lowDetailPool ??= Promise.all(Array.from({ length: 60 }, async (_, k) => {
    const r = rng(seedOf('low-detail-pool', k));
    const hashedShot: Hashed = await hashed(await lowDetailShot(r, r.int(1, 1e6)));
    return { photoId: `pool-${k}`, visitId: `pool-visit-${k}`, repId: `pool-rep-${k % 7}`, customerId: `pool-cust-${k}`, hashed: hashedShot };
  }));
  return lowDetailPool;
}

/** Swap the check-in and check-out fixes for new bursts taken at the same real times. */
function refix(w: World, make: (phase: Fix['phase'], n: number, startReal: Date) => Fix[]): void {
  const n = checkInFixes(w).length;
  w.facts.fixes = [...make('checkin', n, w.checkInReal), ...make('checkout', 1, w.checkOutReal)];
}

export const HONEST: Pattern[] = [
  {
    key: 'normal', group: 'honest', title: 'normal visit',
    simulates: 'GPS burst of 3–5 fixes over 10–20 s, accuracy 5–20 m, 5–50 m from the stored point; stay 4–40 min over the class minimum; report within 2 h; EXIF from the visit; previous visit 1–12 km away at 12–40 km/h',
    make: async (i, p) => sample(honestWorld('normal', i, p)),
  },
  {
    key: 'city-drift', group: 'honest', title: 'city drift',
    simulates: 'dense-city multipath: every fix 150–300 m from the store on one side (±20°), accuracy 100–200 m, wandering tens of metres',
    make: async (i, p) => {
      const w = honestWorld('city-drift', i, p);
      const bearing = w.r.uniform(0, 360);
      refix(w, (phase, n, startReal) => Array.from({ length: n }, (_, k) => {
        const at = towards(w.store, w.r.uniform(150, 300), bearing + w.r.uniform(-20, 20));
        return burst(w.r, w.c, { ...hostTraits(w.host), at, n: 1, startReal: addMs(startReal, k * 5000), spanS: 0, accuracy: [100, 200], jitterM: 0, phase })[0]!;
      }));
      return sample(w);
    },
  },
  {
    key: 'indoor-wifi', group: 'honest', title: 'indoor WiFi',
    simulates: 'DingTalk provider=wifi, accuracy 40–150 m, the same point 10–250 m away repeated 3–5 times over 10–60 s (40% exactly the stored point, set from a WiFi fix); 50% the same coordinates on an earlier day',
    make: async (i, p) => {
      const w = honestWorld('indoor-wifi', i, p, { host: 'dingtalk' });
      const at = w.r.chance(0.4) ? w.store : towards(w.store, w.r.uniform(10, 250), w.r.uniform(0, 360));
      const wifi = { host: 'dingtalk' as const, provider: 'wifi' as const, isMock: false, uncached: true, accuracy: [40, 150] as [number, number], jitterM: 0, at };
      refix(w, (phase, n, startReal) => burst(w.r, w.c, { ...wifi, n, startReal, spanS: n === 1 ? 0 : w.r.uniform(10, 60), phase }));
      if (w.r.chance(0.5)) {
        const f = w.facts.fixes[0]!;
        w.history.replayedCoordinates.push({ visitId: `${w.facts.visitId}-earlier`, at: addMs(f.deviceTime, -w.r.int(7, 60) * 24 * HOUR), lng: f.lng, lat: f.lat });
      }
      return sample(w);
    },
  },
  {
    key: 'quick-legit', group: 'honest', title: 'quick legit visit',
    simulates: '70% on site for 0.2–3 min over the class minimum; 30% a phone visit (visitType=phone, 2–6 min, no fixes or photos: the form asks for no location)',
    make: async (i, p) => {
      const phone = (i * 7919) % 10 < 3;
      const w = honestWorld('quick-legit', i, p, { stay: (min, r) => (phone ? r.uniform(2, 6) : min + r.uniform(0.2, 3)) });
      if (phone) Object.assign(w.facts, { visitType: 'phone', fixes: [], photos: [] });
      return sample(w, { variant: phone ? 'phone' : 'onsite' });
    },
  },
  {
    key: 'monthly-revisit', group: 'honest', title: 'monthly re-visit, new photos',
    simulates: 'same rep, same store, 28–35 days later: a new storefront shot of the same scene (framing shifted up to 6%, 1–3 new objects, light ±10%, JPEG 80–92) against last month\'s shot',
    make: async (i, p) => {
      const w = honestWorld('monthly-revisit', i, p);
      const { facts } = w;
      const scene = w.r.int(1, 1e6);
      const old = await hashed(await storefront(scene));
      const now = await hashed(await sameStorefrontLater(w.r, scene, w.r.int(1, 3)));
      const photo = facts.photos[0]!;
      facts.photos[0] = evidence(photo.id, 'storefront', now, { source: 'camera', uploadedAt: photo.uploadedAt, ...(photo.exif ? { exif: photo.exif } : {}) });
      const last: EarlierPhoto = { photoId: `${facts.visitId}-old`, visitId: `${facts.visitId}-last-month`, repId: facts.repId, customerId: facts.customer.id, hashed: old, at: addMs(w.checkInReal, -30 * 24 * HOUR) };
      const m = compare(photo.id, now, last, p);
      if (m.match) w.history.photoMatches.push(m.match);
      keepBytes(w, photo.id, now, last);
      return sample(w, { phash: m.phash, dhash: m.dhash, found: m.found, matched: !!m.match, ...(m.match?.pixels ? { similarity: m.match.pixels.similarity, changed: m.match.pixels.changed } : {}) });
    },
  },
  {
    key: 'low-detail-photos', group: 'honest', title: 'low-detail photos',
    simulates: 'the storefront photo is a night shot (5–15% of the light, grain) or a near-uniform frame (shutter, blank wall); 60 earlier unrelated low-detail photos of other customers are in the tenant, matched through the band look-up',
    make: async (i, p) => {
      const w = honestWorld('low-detail-photos', i, p);
      const { facts } = w;
      const mine = await hashed(await lowDetailShot(w.r, w.r.int(1, 1e6)));
      const photo = facts.photos[0]!;
      facts.photos[0] = evidence(photo.id, 'storefront', mine, { source: 'camera', uploadedAt: photo.uploadedAt, ...(photo.exif ? { exif: photo.exif } : {}) });
      const results = (await earlierLowDetail()).map((e) => compare(photo.id, mine, e, p));
      for (const m of results) if (m.match) w.history.photoMatches.push(m.match);
      return sample(w, { candidates: results.filter((m) => m.found).length, matches: results.filter((m) => m.match).length, detail: mine.detail });
    },
  },
  {
    key: 'fast-travel', group: 'honest', title: 'fast legit travel',
    simulates: 'previous check-out in another city: 50% high-speed rail, 300–1300 km at 250–300 km/h door to door; 50% expressway, 80–400 km at 100–115 km/h',
    make: async (i, p) => {
      const w = honestWorld('fast-travel', i, p);
      const rail = w.r.chance(0.5);
      const km = rail ? w.r.uniform(300, 1300) : w.r.uniform(80, 400);
      const kmh = rail ? w.r.uniform(250, 300) : w.r.uniform(100, 115);
      const leftReal = addMs(w.checkInReal, -(km / kmh) * HOUR);
      const there = towards(w.stand, km * 1000, w.r.uniform(0, 360));
      const fix = burst(w.r, w.c, { ...hostTraits(w.host), at: there, n: 1, startReal: leftReal, spanS: 0, accuracy: [5, 20], jitterM: 2, phase: 'checkout' })[0]!;
      setPreviousVisit(w.history, `${w.facts.visitId}-prev`, fix);
      return sample(w, { variant: rail ? 'rail' : 'expressway', kmh: Math.round(kmh) });
    },
  },
  {
    key: 'stripped-exif', group: 'honest', title: 'stripped EXIF',
    simulates: 'the WeCom/DingTalk picker strips EXIF and says nothing of the source: photos without EXIF, source=unknown, re-compressed to 1280×960',
    make: async (i, p) => {
      const w = honestWorld('stripped-exif', i, p);
      w.facts.photos = w.facts.photos.map(({ exif: _exif, ...ph }) => ({ ...ph, source: 'unknown', width: 1280, height: 960 }));
      return sample(w);
    },
  },
  {
    key: 'joint-visit', group: 'honest', title: 'joint visit (协访)',
    simulates: 'declared joint visit: a colleague\'s check-in fix identical to ours within 0–8 min; 50% the colleague also shot the storefront minutes earlier (same scene, other framing)',
    make: async (i, p) => {
      const w = honestWorld('joint-visit', i, p);
      const { facts, history } = w;
      const colleague = `${facts.repId}-manager`;
      history.jointVisit = true;
      history.otherRepsIdenticalFixes.push({ repId: colleague, visitId: `${facts.visitId}-joint`, at: addMs(facts.checkIn.deviceTime, w.r.uniform(-8, 8) * MIN), distanceM: 0 });
      if (!w.r.chance(0.5)) return sample(w);
      const scene = w.r.int(1, 1e6);
      const theirs = await hashed(await sameStorefrontLater(w.r, scene, 0));
      const ours = await hashed(await sameStorefrontLater(w.r, scene, w.r.int(0, 1)));
      const photo = facts.photos[0]!;
      facts.photos[0] = evidence(photo.id, 'storefront', ours, { source: 'camera', uploadedAt: photo.uploadedAt, ...(photo.exif ? { exif: photo.exif } : {}) });
      const colleagues: EarlierPhoto = { photoId: `${facts.visitId}-joint-p0`, visitId: `${facts.visitId}-joint`, repId: colleague, customerId: facts.customer.id, hashed: theirs };
      const m = compare(photo.id, ours, colleagues, p);
      if (m.match) history.photoMatches.push(m.match);
      keepBytes(w, photo.id, ours, colleagues);
      return sample(w, { phash: m.phash, dhash: m.dhash, found: m.found, matched: !!m.match, ...(m.match?.pixels ? { similarity: m.match.pixels.similarity, changed: m.match.pixels.changed } : {}) });
    },
  },
  {
    key: 'offline-upload', group: 'honest', title: 'offline upload',
    simulates: 'no signal in the store: everything (fixes, check-in/out, report written 1–60 min after check-out) reaches us 6–20 h after check-out; 50% with sentAt',
    make: async (i, p) => {
      const w = honestWorld('offline-upload', i, p);
      const { facts, c, r } = w;
      const arrival = addMs(w.checkOutReal, r.uniform(6, 20) * HOUR);
      const submittedReal = addMs(w.checkOutReal, r.uniform(1, 60) * MIN);
      const late = <T extends { deviceTime: Date; receivedAt: Date }>(s: T): T => ({ ...s, receivedAt: addMs(arrival, r.uniform(300, 4000)) });
      facts.fixes = facts.fixes.map(late);
      facts.checkIn = late(facts.checkIn);
      facts.checkOut = late(facts.checkOut!);
      facts.submitted = late(c.stamp(submittedReal));
      if (r.chance(0.5)) facts.submitted.sentAt = addMs(facts.submitted.receivedAt, c.driftMs - r.uniform(300, 3000));
      return sample(w);
    },
  },
  {
    key: 'device-owner-after-proxy', group: 'honest', title: 'own phone after a colleague\'s proxy',
    simulates: 'a colleague used this rep\'s phone for a proxy check-in 0.3–7.5 h earlier that day; this is the owner\'s own visit on their own phone, the owner known from the host sign-in (45%) or as the clear most frequent user (45%), unknown (10%: no sign-in record, few visits)',
    make: async (i, p) => {
      const w = honestWorld('device-owner-after-proxy', i, p);
      const { facts, history, r } = w;
      history.deviceUsedByOtherReps.push({ repId: `${facts.repId}-colleague`, visitId: `${facts.visitId}-proxy`, at: addMs(facts.checkIn.deviceTime, -r.uniform(0.3, 7.5) * HOUR) });
      const roll = r.next();
      const variant = roll < 0.45 ? 'host-login' : roll < 0.9 ? 'most-visits' : 'unknown';
      if (variant === 'host-login') history.deviceOwner = { repId: facts.repId, by: 'host-login' };
      if (variant === 'most-visits') {
        const visits = r.int(8, 120);
        history.deviceOwner = { repId: facts.repId, by: 'most-visits', visits, totalVisits: visits + r.int(1, 3) };
      }
      return sample(w, { variant });
    },
  },
  {
    key: 'dingtalk-cached', group: 'honest', title: 'DingTalk cached fixes',
    simulates: 'DingTalk without useCache:false: 3–5 identical GPS fixes (accuracy 5–20 m) over 10–110 s from the 2-minute cache',
    make: async (i, p) => {
      const w = honestWorld('dingtalk-cached', i, p, { host: 'dingtalk' });
      const cached = { host: 'dingtalk' as const, provider: 'gps' as const, isMock: false, accuracy: [5, 20] as [number, number], at: w.stand };
      refix(w, (phase, n, startReal) => burst(w.r, w.c, { ...cached, n, startReal, spanS: n === 1 ? 0 : w.r.uniform(10, 110), jitterM: n === 1 ? 2 : 0, phase }));
      return sample(w);
    },
  },
];
