// Turns one engine-only sample (judged facts + the history the engine was told) into the visits a phone would have
// sent: the earlier visits that history implies, then the judged visit. Pure: no I/O, deterministic for a sample.
// Each history item becomes an earlier visit; items naming the same visit id become one visit.
import type { CustomerClass, Fix, History, Host, LngLat, PhotoEvidence, Stamp } from '../../../server/verification/types.ts';
import { addMs, HOUR, MIN, offset, round6, type Sample } from '../world.ts';
import { apiContract } from './contract.ts';

export interface ScriptCustomer {
  key: string;
  type: string;
  class: CustomerClass;
  location: LngLat;
  contactCount: number;
  /** Reps who visit it (they must hold it). */
  reps: Set<string>;
}

export interface ScriptPhoto {
  id: string;
  kind: string;
  source: PhotoEvidence['source'];
  /** The file; absent means "a fresh picture nobody took before", rendered from `seed`. */
  bytes?: Buffer;
  seed: number;
  exif?: PhotoEvidence['exif'];
  uploadedAt: Date;
}

export interface ScriptVisit {
  key: string;
  rep: string;
  customer: string;
  judged: boolean;
  host: Host;
  deviceId?: string;
  jointVisit: boolean;
  startedBy: 'qr' | 'location';
  dynamicQr?: boolean;
  start: Stamp;
  checkIn: Stamp;
  checkInFixes: Fix[];
  checkOut: Stamp;
  checkOutFixes: Fix[];
  submitted: Stamp;
  photos: ScriptPhoto[];
  contactsMet: string[];
}

export interface Scenario {
  reps: string[];
  customers: ScriptCustomer[];
  /** In sending order; the judged visit last. */
  visits: ScriptVisit[];
  /** What of the sample the API cannot carry, as short labels (counted in the report). */
  gaps: string[];
}

const DAY = 24 * HOUR;
/** The customer type a phone visit's customer gets, so that the phone form (no location) applies to it. */
export const PHONE_CUSTOMER_TYPE = '电话客户';

/** A deterministic small number from a string: picks offsets and picture seeds without touching the sample's random stream. */
export function hashOf(text: string): number {
  let h = 2_166_136_261;
  for (const ch of text) h = Math.imul(h ^ ch.charCodeAt(0), 16_777_619);
  return h >>> 0;
}

/** A point a few tens of metres from p, never exactly p: earlier visits must not replay anyone's coordinates by accident. */
function near(p: LngLat, salt: string, metres = 25): LngLat {
  const h = hashOf(salt);
  return round6(offset(p, 8 + ((h % 1000) / 1000) * metres, -8 - (((h >>> 10) % 1000) / 1000) * metres));
}

const received = (deviceTime: Date, lagMs = 2000): Stamp => ({ deviceTime, receivedAt: addMs(deviceTime, lagMs) });

/** The first instant (Asia/Shanghai) of the month `back` months before the one holding `at` (as visit-history.ts counts months). */
function monthStart(at: Date, back: number): Date {
  const d = new Date(at.getTime() + 8 * HOUR);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - back, 1) - 8 * HOUR);
}

interface ContextSpec {
  key: string;
  rep: string;
  customer: string;
  checkInAt: Date;
  at: LngLat;
  host?: Host;
  deviceId?: string;
  jointVisit?: boolean;
  /** Exact check-in coordinates (a replay, an identical fix): no wander. */
  exactFix?: Pick<Fix, 'lng' | 'lat' | 'accuracyM' | 'provider' | 'host'>;
  checkOutFix?: Fix;
  photos?: ScriptPhoto[];
  contactsMet?: string[];
}

/** An earlier, honest-looking visit: one check-in fix, 20 minutes on site, one check-out fix, submitted a minute later. */
function contextVisit(s: ContextSpec): ScriptVisit {
  const out = s.checkOutFix ? s.checkOutFix.deviceTime : addMs(s.checkInAt, 20 * MIN);
  const checkInAt = s.checkOutFix ? addMs(out, -20 * MIN) : s.checkInAt;
  const host = s.host ?? s.checkOutFix?.host ?? 'wecom';
  const inFix: Fix = { ...(s.exactFix ?? { ...near(s.at, `${s.key}:in`), accuracyM: 10 }), host, phase: 'checkin', ...received(checkInAt) };
  const outFix: Fix = s.checkOutFix ?? { ...near(s.at, `${s.key}:out`), accuracyM: 10, host, phase: 'checkout', ...received(out) };
  return {
    key: s.key, rep: s.rep, customer: s.customer, judged: false, host, deviceId: s.deviceId, jointVisit: s.jointVisit ?? false,
    startedBy: 'location', start: received(addMs(checkInAt, -5000)), checkIn: { deviceTime: inFix.deviceTime, receivedAt: inFix.receivedAt },
    checkInFixes: [inFix], checkOut: { deviceTime: outFix.deviceTime, receivedAt: outFix.receivedAt }, checkOutFixes: [outFix],
    submitted: received(addMs(out, MIN)), photos: s.photos ?? [], contactsMet: s.contactsMet ?? [],
  };
}

function judgedVisit(sample: Sample, customerKey: string, gaps: string[]): ScriptVisit {
  const f = sample.facts;
  const checkInFixes = f.fixes.filter((x) => x.phase === 'checkin');
  let checkOutFixes = f.fixes.filter((x) => x.phase === 'checkout');
  const host = f.fixes[0]?.host ?? 'browser';
  if (checkInFixes.length === 0) {
    // The API checks a visit in only with a fix (CheckInBody.fixes minItems 1): a phone visit sends one from the store.
    gaps.push('check-in without a fix');
    checkInFixes.push({ ...near(f.customer.location, `${f.visitId}:phone`), accuracyM: 30, host, phase: 'checkin', deviceTime: f.checkIn.deviceTime, receivedAt: f.checkIn.receivedAt });
    checkOutFixes = [];
  }
  for (const k of ['accuracyM', 'provider', 'isMock', 'uncached'] as const) {
    if (f.fixes.some((x) => x[k] !== undefined) && !apiContract.fixFields.has(k)) gaps.push(`fix field ${k}`);
  }
  for (const p of f.photos) if (!apiContract.photoSources.has(p.source)) gaps.push(`photo source ${p.source}`);
  const photos = f.photos.map((p): ScriptPhoto => ({
    id: p.id, kind: p.kind, source: p.source, bytes: sample.photoBytes?.[p.id], seed: hashOf(p.sha256), exif: p.exif, uploadedAt: p.uploadedAt,
  }));
  return {
    key: f.visitId, rep: f.repId, customer: customerKey, judged: true, host, deviceId: f.deviceId, jointVisit: sample.history.jointVisit === true,
    startedBy: f.startedBy, dynamicQr: f.dynamicQr,
    start: { deviceTime: addMs(f.checkIn.deviceTime, -5000), receivedAt: addMs(f.checkIn.receivedAt, -5000), ...(f.checkIn.sentAt ? { sentAt: addMs(f.checkIn.sentAt, -5000) } : {}) },
    checkIn: f.checkIn, checkInFixes, checkOut: f.checkOut ?? received(addMs(f.checkIn.deviceTime, 20 * MIN)), checkOutFixes,
    submitted: f.submitted, photos, contactsMet: f.contactsMet,
  };
}

/** The visits a phone would have sent for this sample, and what of the history cannot be sent. */
export function scenarioOf(sample: Sample): Scenario {
  const { facts, history } = sample;
  const gaps: string[] = [];
  const customers = new Map<string, ScriptCustomer>();
  const customer = (key: string, at: LngLat, rep: string, c: Partial<ScriptCustomer> = {}) => {
    const found = customers.get(key) ?? { key, type: facts.customer.type, class: 'C' as CustomerClass, location: at, contactCount: 3, reps: new Set<string>(), ...c };
    found.reps.add(rep);
    customers.set(key, found);
    return key;
  };
  const judged = facts.customer.id;
  const rep = facts.repId;
  customer(judged, facts.customer.location, rep, {
    class: facts.customer.class, contactCount: history.contacts.customerContactCount,
    type: facts.visitType === 'phone' ? PHONE_CUSTOMER_TYPE : facts.customer.type,
  });
  if (facts.customer.polygon || facts.customer.fenceRadiusM !== undefined) gaps.push('customer fence');
  if (history.storePointCapturedOnSiteByThisDevice) gaps.push('storePointCapturedOnSiteByThisDevice');
  if (facts.screenshotsAt?.length) gaps.push('screenshotsAt');

  const checkInAt = facts.checkIn.deviceTime;
  const earliestOwn = history.previousVisit ? addMs(history.previousVisit.checkOutFix.deviceTime, -20 * MIN) : checkInAt;
  const visits = new Map<string, ContextSpec>();
  const visit = (spec: ContextSpec) => {
    const had = visits.get(spec.key);
    visits.set(spec.key, had ? { ...had, ...spec, photos: [...(had.photos ?? []), ...(spec.photos ?? [])], exactFix: spec.exactFix ?? had.exactFix, checkInAt: had.checkInAt } : spec);
  };

  if (history.previousVisit) {
    const fix = history.previousVisit.checkOutFix;
    const key = history.previousVisit.visitId;
    visit({ key, rep, customer: customer(`${key}-store`, fix, rep), checkInAt: addMs(fix.deviceTime, -20 * MIN), at: fix, checkOutFix: fix, deviceId: facts.deviceId });
  }
  history.contacts.previousMonthsContactIds.forEach((ids, m) => {
    if (ids.length === 0) return;
    // Mid-month, at the time of day of the judged visit.
    const at = addMs(monthStart(checkInAt, m + 1), 10 * DAY + ((checkInAt.getTime() + 8 * HOUR) % DAY));
    visit({ key: `${facts.visitId}-month-${m + 1}`, rep, customer: judged, checkInAt: at, at: facts.customer.location, deviceId: facts.deviceId, contactsMet: ids });
  });
  if (history.contacts.thisMonthContactIds?.length) {
    const start = monthStart(checkInAt, 0);
    const at = new Date(Math.max(start.getTime() + 2 * HOUR, earliestOwn.getTime() - DAY));
    if (at.getTime() + 21 * MIN > earliestOwn.getTime()) gaps.push('this month\'s contacts (no room before the visit)');
    else visit({ key: `${facts.visitId}-this-month`, rep, customer: judged, checkInAt: at, at: facts.customer.location, deviceId: facts.deviceId, contactsMet: history.contacts.thisMonthContactIds });
  }
  for (const r of history.replayedCoordinates) {
    const first = facts.fixes[0];
    visit({ key: r.visitId, rep, customer: judged, checkInAt: r.at, at: r, deviceId: facts.deviceId, exactFix: { lng: r.lng, lat: r.lat, accuracyM: first?.accuracyM ?? 10, provider: first?.provider } });
  }
  for (const d of history.deviceUsedByOtherReps) {
    visit({ key: d.visitId, rep: d.repId, customer: customer(judged, facts.customer.location, d.repId), checkInAt: d.at, at: facts.customer.location, deviceId: facts.deviceId });
  }
  for (const o of history.otherRepsIdenticalFixes) {
    const mine = facts.fixes.find((x) => x.phase === 'checkin');
    if (!mine || o.distanceM > 0) { gaps.push('identical fix without a check-in fix'); continue; }
    visit({
      key: o.visitId, rep: o.repId, customer: customer(judged, facts.customer.location, o.repId), checkInAt: o.at, at: mine,
      deviceId: `dev-${o.repId}`, jointVisit: history.jointVisit === true, exactFix: { lng: mine.lng, lat: mine.lat, accuracyM: mine.accuracyM, provider: mine.provider },
    });
  }
  for (const e of sample.earlierPhotos ?? []) {
    const otherStore = e.customerId !== judged;
    const where = otherStore ? near(facts.customer.location, e.customerId, 3000) : facts.customer.location;
    const at = e.at ?? addMs(checkInAt, -7 * DAY);
    const photo: ScriptPhoto = { id: e.photoId, kind: facts.photos[0]?.kind ?? 'storefront', source: 'camera', bytes: e.bytes, seed: 0, uploadedAt: addMs(at, 5 * MIN) };
    visit({
      key: e.visitId, rep: e.repId, customer: customer(e.customerId, where, e.repId), checkInAt: at, at: where,
      deviceId: e.repId === rep ? facts.deviceId : `dev-${e.repId}`, photos: [photo],
    });
  }
  const uploaded = new Set((sample.earlierPhotos ?? []).map((e) => e.photoId));
  for (const m of history.photoMatches) if (!uploaded.has(m.otherPhotoId)) gaps.push('earlier photo without bytes');

  const earlier = [...visits.values()].map((v) => {
    const built = contextVisit(v);
    // Earlier photos are uploaded between check-in and check-out of their visit.
    built.photos = built.photos.map((p) => ({ ...p, uploadedAt: addMs(built.checkIn.receivedAt, 5 * MIN) }));
    return built;
  }).sort((a, b) => a.checkIn.deviceTime.getTime() - b.checkIn.deviceTime.getTime());
  const reps = [...new Set([rep, ...earlier.map((v) => v.rep)])];
  return { reps, customers: [...customers.values()], visits: [...earlier, judgedVisit(sample, judged, gaps)], gaps };
}

/** The history fields scenarioOf materialises (docs/evaluation.md lists them); a new one must be added there. */
export const MATERIALISED: readonly (keyof History)[] = [
  'previousVisit', 'photoMatches', 'replayedCoordinates', 'deviceUsedByOtherReps', 'otherRepsIdenticalFixes', 'contacts', 'jointVisit',
];
