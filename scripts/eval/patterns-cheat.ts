// Cheat patterns (authenticity.md, "How we will know it works"): each must be caught, red or yellow, in ≥ 95% of
// visits; the known-hard ones are reported apart. Each cheat is isolated: apart from its trick the visit is honest
// (photos without EXIF where a photo is the trick), so the table shows what every signal catches on its own.
import type { AuthenticityParams } from '../../server/verification/params.ts';
import type { Fix, PhotoEvidence } from '../../server/verification/types.ts';
import { transforms } from '../../tests/helpers/images.ts';
import { compare, editedCopy, evidence, H, hashed, keepBytes, photoOfScreen, storefront, W, type EarlierPhoto, type Hashed } from './photos.ts';
import { addMs, burst, HOUR, honestWorld, hostTraits, MIN, sample, setPreviousVisit, towards, type Pattern, type Sample, type World } from './world.ts';

function mockFixes(w: World, jitterM: number): Fix[] {
  const host = w.r.pick(['wecom', 'browser'] as const);
  const spec = { host, accuracy: [3, 10] as [number, number], at: w.store, jitterM };
  return [
    ...burst(w.r, w.c, { ...spec, n: w.r.int(3, 5), startReal: w.checkInReal, spanS: w.r.uniform(10, 20), phase: 'checkin' }),
    ...burst(w.r, w.c, { ...spec, n: 1, startReal: w.checkOutReal, spanS: 0, phase: 'checkout' }),
  ];
}

/** Replace the storefront photo by `mine`; the earlier one belongs to another customer (half the time another rep). */
function reusedFrom(w: World, mine: Hashed, earlier: Hashed, p: AuthenticityParams, rest: Partial<PhotoEvidence> = {}): Sample {
  const { facts, history, r } = w;
  const photo = facts.photos[0]!;
  facts.photos[0] = evidence(photo.id, 'storefront', mine, { source: 'unknown', uploadedAt: photo.uploadedAt, ...rest });
  const other: EarlierPhoto = {
    photoId: `${facts.visitId}-orig`, visitId: `${facts.visitId}-orig-visit`, repId: r.chance(0.5) ? facts.repId : `${facts.repId}-peer`,
    customerId: `${facts.customer.id}-other`, hashed: earlier,
  };
  const m = compare(photo.id, mine, other, p);
  if (m.match) history.photoMatches.push(m.match);
  keepBytes(w, photo.id, mine, other);
  return sample(w, { phash: m.phash, dhash: m.dhash, found: m.found, matched: !!m.match, ...pixelMeta(m.match) });
}

const pixelMeta = (m: { pixels?: { similarity: number; changed: number } } | undefined): Record<string, number> => (m?.pixels ? { similarity: m.pixels.similarity, changed: m.pixels.changed } : {});

function copyOf(key: string, transform: (b: Buffer) => Promise<Buffer>, simulates: string, size: [number, number] = [W, H]): Pattern {
  return {
    key, group: 'cheat', title: `${key.replace('photo-', '')} copy of another customer's photo`, simulates,
    make: async (i, p) => {
      const w = honestWorld(key, i, p);
      const original = await storefront(w.r.int(1, 1e6), ...size);
      return reusedFrom(w, await hashed(await transform(original)), await hashed(original), p);
    },
  };
}

export const CHEAT: Pattern[] = [
  {
    key: 'naive-mock', group: 'cheat', title: 'naive mock location',
    simulates: 'fake-location app fed the stored point: 3–5 identical fixes exactly on it over 10–20 s, accuracy 3–10 m, WeCom/browser (no mock flag); 50% the same point replayed from an earlier day',
    make: async (i, p) => {
      const w = honestWorld('naive-mock', i, p);
      w.facts.fixes = mockFixes(w, 0);
      if (w.r.chance(0.5)) w.history.replayedCoordinates.push({ visitId: `${w.facts.visitId}-earlier`, at: addMs(w.facts.checkIn.deviceTime, -w.r.int(1, 30) * 24 * HOUR), ...w.store });
      return sample(w);
    },
  },
  {
    key: 'teleport', group: 'cheat', title: 'teleport',
    simulates: 'previous check-out in another place 150–1200 km away, this check-in (a plausible GPS burst at the store) 15–60 min later',
    make: async (i, p) => {
      const w = honestWorld('teleport', i, p);
      const km = w.r.uniform(150, 1200);
      const there = towards(w.stand, km * 1000, w.r.uniform(0, 360));
      const fix = burst(w.r, w.c, { ...hostTraits(w.host), at: there, n: 1, startReal: addMs(w.checkInReal, -w.r.uniform(15, 60) * MIN), spanS: 0, accuracy: [5, 20], jitterM: 2, phase: 'checkout' })[0]!;
      setPreviousVisit(w.history, `${w.facts.visitId}-prev`, fix);
      return sample(w);
    },
  },
  {
    key: 'host-mock-flag', group: 'cheat', title: 'host mock flag',
    simulates: 'DingTalk on Android reports isFromMock=true for the fixes (otherwise a plausible GPS burst)',
    make: async (i, p) => {
      const w = honestWorld('host-mock-flag', i, p, { host: 'dingtalk' });
      w.facts.fixes = w.facts.fixes.map((f) => ({ ...f, isMock: true }));
      return sample(w);
    },
  },
  {
    key: 'old-screenshot', group: 'cheat', title: 'old screenshot',
    simulates: 'storefront photo is a PNG of phone-screen shape (360×780); the picker says screenshot (1/3), album (1/3) or nothing (1/3); no EXIF',
    make: async (i, p) => {
      const w = honestWorld('old-screenshot', i, p);
      const shot = await hashed(await storefront(w.r.int(1, 1e6), 360, 780, 'png'));
      const source = (['screenshot', 'album', 'unknown'] as const)[i % 3]!;
      const photo = w.facts.photos[0]!;
      w.facts.photos[0] = evidence(photo.id, 'storefront', shot, { source, uploadedAt: photo.uploadedAt });
      keepBytes(w, photo.id, shot);
      return sample(w, { variant: source });
    },
  },
  {
    key: 'photo-same-file', group: 'cheat', title: 're-used photo (same file)',
    simulates: 'the storefront file uploaded again byte for byte: from another customer (50%) or the same customer last month; no EXIF',
    make: async (i, p) => {
      const w = honestWorld('photo-same-file', i, p);
      const file = await hashed(await storefront(w.r.int(1, 1e6)));
      const s = reusedFrom(w, file, file, p);
      if (w.r.chance(0.5)) {
        for (const m of s.history.photoMatches) m.otherCustomerId = s.facts.customer.id;
        for (const e of s.earlierPhotos ?? []) e.customerId = s.facts.customer.id;
      }
      return s;
    },
  },
  copyOf('photo-reencoded', transforms.reencode, 'an earlier photo of another customer re-encoded as JPEG quality 60'),
  copyOf('photo-resized', transforms.resize, 'an earlier 960×720 photo of another customer resized to 640 px wide', [960, 720]),
  copyOf('photo-cropped', transforms.crop, 'an earlier photo of another customer cropped by 3% on each side'),
  copyOf('photo-brightened', transforms.brighten, 'an earlier photo of another customer brightened by 15%'),
  {
    key: 'photo-edited-copy', group: 'cheat', title: "edited copy of another customer's photo",
    simulates: "another customer's earlier photo edited before re-use: re-encoded (JPEG 55–80), resized (50–80%), cropped 1–5% per axis on any sides, brightened or darkened 8–20%, or several at once (⅕ each); the candidate must come from the band look-up",
    make: async (i, p) => {
      const w = honestWorld('photo-edited-copy', i, p);
      const original = await storefront(w.r.int(1, 1e6));
      const copy = await editedCopy(w.r, original);
      const s = reusedFrom(w, await hashed(copy.bytes), await hashed(original), p);
      return { ...s, meta: { ...s.meta, variant: copy.variant } };
    },
  },
  {
    key: 'photo-same-store-copy', group: 'cheat', title: 'same-store photo re-submitted',
    simulates: "the rep re-submits a photo from their own visit to the same store 28–35 days ago, edited like photo-edited-copy; ⅓ keep last month's EXIF, ⅔ none",
    make: async (i, p) => {
      const w = honestWorld('photo-same-store-copy', i, p);
      const { facts, history, r } = w;
      const original = await storefront(r.int(1, 1e6));
      const copy = await editedCopy(r, original);
      const mine = await hashed(copy.bytes);
      const photo = facts.photos[0]!;
      const lastMonth = addMs(facts.checkIn.deviceTime, -r.uniform(28, 35) * 24 * HOUR);
      const exif = r.chance(1 / 3) && photo.exif ? { exif: { ...photo.exif, takenAt: lastMonth } } : {};
      facts.photos[0] = evidence(photo.id, 'storefront', mine, { source: 'unknown', uploadedAt: photo.uploadedAt, ...exif });
      const earlier: EarlierPhoto = { photoId: `${facts.visitId}-old`, visitId: `${facts.visitId}-last-month`, repId: facts.repId, customerId: facts.customer.id, hashed: await hashed(original) };
      const m = compare(photo.id, mine, earlier, p);
      if (m.match) history.photoMatches.push(m.match);
      return sample(w, { variant: copy.variant, phash: m.phash, dhash: m.dhash, found: m.found, matched: !!m.match, ...pixelMeta(m.match) });
    },
  },
  {
    key: 'proxy-check-in', group: 'cheat', title: 'proxy check-in (代打卡)',
    simulates: '50%: this phone was used by another rep 0.2–7.5 h apart; 50%: another rep\'s check-in fix identical to ours (GPS-grade) 0–9 min apart, no joint visit declared',
    make: async (i, p) => {
      const w = honestWorld('proxy-check-in', i, p);
      const at = (ms: number) => addMs(w.facts.checkIn.deviceTime, w.r.chance(0.5) ? ms : -ms);
      const other = { repId: `${w.facts.repId}-friend`, visitId: `${w.facts.visitId}-friend` };
      if (i % 2 === 0) {
        // The friend's phone: the friend signs in with it (as the server then finds it).
        w.facts.deviceId = `dev-${other.repId}`;
        w.history.deviceUsedByOtherReps.push({ ...other, at: at(w.r.uniform(0.2, 7.5) * HOUR) });
        w.history.deviceOwner = { repId: other.repId, by: 'host-login' };
      }
      else w.history.otherRepsIdenticalFixes.push({ ...other, at: at(w.r.uniform(0, 9) * MIN), distanceM: 0 });
      return sample(w, { variant: i % 2 === 0 ? 'device' : 'fix' });
    },
  },
  {
    key: 'proxy-colleague-phone', group: 'cheat', title: 'proxy on a colleague\'s phone',
    simulates: 'the proxy visit itself: made on a colleague\'s phone that the colleague used for their own visit 0.2–7.5 h before or after; the owner known from the host sign-in (40%) or as the clear most frequent user (40%), unknown for a new phone (20%)',
    make: async (i, p) => {
      const w = honestWorld('proxy-colleague-phone', i, p);
      const colleague = `${w.facts.repId}-colleague`;
      w.facts.deviceId = `dev-${colleague}`;
      const hours = w.r.uniform(0.2, 7.5) * (w.r.chance(0.5) ? 1 : -1);
      w.history.deviceUsedByOtherReps.push({ repId: colleague, visitId: `${w.facts.visitId}-colleague`, at: addMs(w.facts.checkIn.deviceTime, hours * HOUR) });
      const variant = (['host-login', 'host-login', 'most-visits', 'most-visits', 'unknown'] as const)[i % 5]!;
      if (variant === 'host-login') w.history.deviceOwner = { repId: colleague, by: 'host-login' };
      if (variant === 'most-visits') {
        const visits = w.r.int(8, 120);
        w.history.deviceOwner = { repId: colleague, by: 'most-visits', visits, totalVisits: visits + w.r.int(0, 3) };
      }
      return sample(w, { variant });
    },
  },
  {
    key: 'teleport-joint-overlap', group: 'cheat', title: 'teleport next to a joint visit',
    simulates: 'the rep\'s own joint visit (协访) 0.3–3 km from this store overlaps the day and checks out 5–20 min before this check-in (so it is the previous visit); the teleport is from another visit of the rep that checked out 150–1200 km away 25–60 min before',
    make: async (i, p) => {
      const w = honestWorld('teleport-joint-overlap', i, p);
      const { r, c } = w;
      const gps = { ...hostTraits(w.host), accuracy: [5, 20] as [number, number], jitterM: 2 };
      const jointAt = towards(w.stand, r.uniform(300, 3000), r.uniform(0, 360));
      const jointOut = addMs(w.checkInReal, -r.uniform(5, 20) * MIN);
      const joint = [
        ...burst(r, c, { ...gps, at: jointAt, n: 3, startReal: addMs(jointOut, -r.uniform(40, 120) * MIN), spanS: 15, phase: 'checkin' }),
        ...burst(r, c, { ...gps, at: jointAt, n: 1, startReal: jointOut, spanS: 0, phase: 'checkout' }),
      ];
      const farAt = towards(w.stand, r.uniform(150, 1200) * 1000, r.uniform(0, 360));
      const farOut = addMs(w.checkInReal, -r.uniform(25, 60) * MIN);
      const far = [
        ...burst(r, c, { ...gps, at: farAt, n: 3, startReal: addMs(farOut, -r.uniform(15, 30) * MIN), spanS: 15, phase: 'checkin' }),
        ...burst(r, c, { ...gps, at: farAt, n: 1, startReal: farOut, spanS: 0, phase: 'checkout' }),
      ];
      setPreviousVisit(w.history, `${w.facts.visitId}-joint`, joint.at(-1)!);
      w.history.repVisitsNearby = [{ visitId: `${w.facts.visitId}-joint`, fixes: joint }, { visitId: `${w.facts.visitId}-far`, fixes: far }];
      return sample(w);
    },
  },
  {
    key: 'dingtalk-frozen-uncached', group: 'cheat', title: 'DingTalk frozen burst, uncached',
    simulates: 'a mock app under DingTalk with useCache:false: 3–5 identical GPS-grade fixes (provider gps, accuracy 5–20 m, isFromMock false) over 10–20 s at the door (not on the stored point), uncached=true',
    make: async (i, p) => {
      const w = honestWorld('dingtalk-frozen-uncached', i, p, { host: 'dingtalk' });
      const frozen = { host: 'dingtalk' as const, provider: 'gps' as const, isMock: false, uncached: true, accuracy: [5, 20] as [number, number], at: w.stand, jitterM: 0 };
      w.facts.fixes = [
        ...burst(w.r, w.c, { ...frozen, n: w.r.int(3, 5), startReal: w.checkInReal, spanS: w.r.uniform(10, 20), phase: 'checkin' }),
        ...burst(w.r, w.c, { ...frozen, n: 1, startReal: w.checkOutReal, spanS: 0, phase: 'checkout' }),
      ];
      return sample(w);
    },
  },
  {
    key: 'front-desk', group: 'cheat', title: 'front-desk-only stay',
    simulates: 'in and out: 10–49% of the class minimum on site',
    make: async (i, p) => sample(honestWorld('front-desk', i, p, { stay: (min, r) => min * r.uniform(0.1, 0.49) })),
  },
  {
    key: 'late-report', group: 'cheat', title: 'late report',
    simulates: 'report written 24.5–96 h after check-out with the phone online (received seconds later)',
    make: async (i, p) => {
      const w = honestWorld('late-report', i, p);
      w.facts.submitted = w.c.stamp(addMs(w.checkOutReal, w.r.uniform(24.5, 96) * HOUR));
      return sample(w);
    },
  },
  {
    key: 'count-inflation', group: 'cheat', title: 'count inflation',
    simulates: 'one of many visits in a row: 1–2 min on site, the previous store 100–800 m and 3–10 min away, always the same single contact (this month and last)',
    make: async (i, p) => {
      const w = honestWorld('count-inflation', i, p, { stay: (_min, r) => r.uniform(1, 2) });
      const { facts, history, r } = w;
      facts.contactsMet = ['c1'];
      history.contacts = { ...history.contacts, previousMonthsContactIds: [['c1']], thisMonthContactIds: ['c1'] };
      const there = towards(w.stand, r.uniform(100, 800), r.uniform(0, 360));
      const fix = burst(r, w.c, { ...hostTraits(w.host), at: there, n: 1, startReal: addMs(w.checkInReal, -r.uniform(3, 10) * MIN), spanS: 0, accuracy: [5, 20], jitterM: 2, phase: 'checkout' })[0]!;
      setPreviousVisit(history, `${facts.visitId}-prev`, fix);
      return sample(w, { class: facts.customer.class });
    },
  },
];

export const KNOWN_HARD: Pattern[] = [
  {
    key: 'jittered-mock', group: 'hard', title: 'jittered mock location',
    simulates: 'fake-location app around the stored point with random jitter (σ 3–15 m per axis), accuracy 3–10 m, WeCom/browser',
    make: async (i, p) => {
      const w = honestWorld('jittered-mock', i, p);
      w.facts.fixes = mockFixes(w, w.r.uniform(3, 15));
      return sample(w);
    },
  },
  {
    key: 'rephotographed-screen', group: 'hard', title: 're-photographed screen',
    simulates: 'another customer\'s earlier photo shown on a monitor and shot with the camera: 78–92% of the frame in a bezel, tilt ±4°, moiré, colour cast, blur; camera source, fresh EXIF',
    make: async (i, p) => {
      const w = honestWorld('rephotographed-screen', i, p);
      const original = await storefront(w.r.int(1, 1e6));
      const exif = w.facts.photos[0]!.exif;
      return reusedFrom(w, await hashed(await photoOfScreen(w.r, original)), await hashed(original), p, { source: 'camera', ...(exif ? { exif } : {}) });
    },
  },
];
