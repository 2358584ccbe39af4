// Gathers what the authenticity engine needs beyond the visit itself: earlier visits, photos and devices of the
// tenant. Each lookup is an indexed query bounded in time or by hash band, never a scan of the tenant's history.
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { PhotoDoc } from '../photos/photo.model.ts';
import type { PhotosService } from '../photos/photos.service.ts';
import { closeEnough, hashDistances, pixelEvidence } from '../photos/photo-match.ts';
import type { AuthenticityParams } from '../verification/params.ts';
import type { Fix, History, NearbyVisit, PhotoMatch, QrCheckProblem, VisitFacts } from '../verification/types.ts';
import { pickDeviceOwner, type DeviceUse } from './device-owner.ts';
import type { StoredFix, VisitDoc } from './visit.model.ts';

/** The users who signed in with a device id through the host (server/users): the first record of whose phone it is. */
export type SignedInWith = (tenantId: VisitDoc['tenantId'], deviceId: string) => Promise<string[]>;

const HOUR = 3_600_000;
/** How far back a replayed point is looked for: a year of visits covers a re-used recording. */
export const REPLAY_LOOKBACK_DAYS = 365;

/**
 * Earlier visits with a fix at exactly this point (one fix, both coordinates: $elemMatch), checked in within the
 * look-back. The dotted equalities repeat the $elemMatch so that the engine's planner can use the index on them.
 */
export function sameFixFilter(visit: Pick<VisitDoc, 'tenantId' | '_id' | 'checkIn' | 'start'>, f: { lng: number; lat: number }): Record<string, unknown> {
  const checkIn = visit.checkIn?.deviceTime ?? visit.start.deviceTime;
  return {
    tenantId: visit.tenantId, _id: op({ $ne: visit._id }),
    'fixes.lng': f.lng, 'fixes.lat': f.lat, fixes: op({ $elemMatch: { lng: f.lng, lat: f.lat } }),
    'checkIn.deviceTime': op({ $gte: new Date(checkIn.getTime() - REPLAY_LOOKBACK_DAYS * 24 * HOUR), $lte: new Date(checkIn.getTime() + 24 * HOUR) }),
  };
}

function toFix(f: StoredFix): Fix {
  return {
    phase: f.phase, lng: f.lng, lat: f.lat, accuracyM: f.accuracyM, provider: f.provider as Fix['provider'], isMock: f.isMock,
    ...(f.uncached === undefined ? {} : { uncached: f.uncached }), host: f.host as Fix['host'], deviceTime: f.deviceTime, receivedAt: f.receivedAt, sentAt: f.sentAt,
  };
}

/** `formFenceRadiusM` is the pinned form's fence; a customer's own radius wins over it. */
export function toFacts(visit: VisitDoc, photos: PhotoDoc[], submitted: { deviceTime: Date; receivedAt: Date; sentAt?: Date }, formFenceRadiusM?: number): VisitFacts {
  const c = visit.customer;
  return {
    visitId: String(visit._id),
    repId: String(visit.repId),
    customer: {
      id: String(visit.customerId), type: c.type, class: c.class, location: c.location,
      polygon: c.polygon && c.polygon.length >= 3 ? c.polygon.map((p) => [p.lng, p.lat] as [number, number]) : undefined,
      fenceRadiusM: c.fenceRadiusM ?? formFenceRadiusM,
    },
    startedBy: visit.start.method,
    qr: !visit.start.qr ? undefined
      : visit.start.qr.ok ? { ok: true, ...(visit.start.qr.offlineDelayS === undefined ? {} : { offlineDelayS: visit.start.qr.offlineDelayS }) }
        : { ok: false, problem: visit.start.qr.problem as QrCheckProblem | undefined },
    // A rotating code scanned offline proves no more than the phone's clock: it counts like a printed code.
    dynamicQr: visit.start.qr?.dynamic && visit.start.qr.offlineDelayS === undefined,
    checkIn: visit.checkIn ?? { deviceTime: visit.start.deviceTime, receivedAt: visit.start.receivedAt },
    checkOut: visit.checkOut,
    submitted,
    fixes: visit.fixes.map(toFix),
    photos: photos.map((p) => ({
      id: String(p._id), kind: p.kind, sha256: p.sha256, phash: p.phash, dhash: p.dhash, source: p.source, format: p.format,
      width: p.width, height: p.height, exif: p.exif, uploadedAt: p.receivedAt,
    })),
    deviceId: visit.deviceId,
    contactsMet: visit.contactsMet,
    visitType: visit.visitType ?? 'onsite',
  };
}

/**
 * Earlier photos that may be these re-used: the band look-up's candidates, kept when the file is the same or the
 * hashes are close, then compared pixel by pixel (only those few have their thumbnails read).
 */
async function photoMatches(photoService: PhotosService, visit: VisitDoc, photos: PhotoDoc[], params: AuthenticityParams): Promise<PhotoMatch[]> {
  const similar = await photoService.similarEarlier(visit.tenantId, photos, visit._id);
  const close = similar
    .map(({ photo, other }) => ({ photo, other, sameFile: other.sha256 === photo.sha256, ...hashDistances(photo, other) }))
    .filter((m) => closeEnough(m, params.photoHashMaxDistance));
  const pixels = await photoService.pixelsOf(visit.tenantId, [...new Map(close.map((m) => [String(m.other._id), m.other._id])).values()]);
  return close.map(({ photo, other, sameFile, phashDistance, dhashDistance }): PhotoMatch => ({
    photoId: String(photo._id), otherPhotoId: String(other._id), otherVisitId: String(other.visitId), otherRepId: String(other.repId),
    otherCustomerId: String(other.customerId), sameFile, phashDistance, dhashDistance,
    ...(sameFile ? {} : pixelEvidence(photo, pixels.get(String(other._id)) ?? {}, params.photoMinDetail)),
  }));
}

type HistoryVisit = Pick<VisitDoc, 'tenantId' | '_id' | 'repId' | 'customerId' | 'checkIn' | 'start'>;
const checkInOf = (v: HistoryVisit) => v.checkIn?.deviceTime ?? v.start.deviceTime;

/** The rep's latest visit checked out before this one checked in. */
export function previousVisitFind(visit: HistoryVisit) {
  return {
    filter: { tenantId: visit.tenantId, repId: visit.repId, _id: op({ $ne: visit._id }), 'checkOut.deviceTime': op({ $lte: checkInOf(visit) }) },
    sort: { 'checkOut.deviceTime': -1 as const },
  };
}

/** The rep's other visits checked in within the travel window before or after this check-in. */
export function repWindowFilter(visit: HistoryVisit, params: Pick<AuthenticityParams, 'travelWindowHours'>): Record<string, unknown> {
  const at = checkInOf(visit).getTime();
  const ms = params.travelWindowHours * HOUR;
  return { tenantId: visit.tenantId, repId: visit.repId, _id: op({ $ne: visit._id }), 'checkIn.deviceTime': op({ $gte: new Date(at - ms), $lte: new Date(at + ms) }) };
}

/** Visits on this phone checked in during the owner look-back up to this check-in: who uses it most. */
export function deviceUsageFilter(visit: HistoryVisit, deviceId: string, params: Pick<AuthenticityParams, 'deviceOwnerLookbackDays'>): Record<string, unknown> {
  const at = checkInOf(visit).getTime();
  return {
    tenantId: visit.tenantId, deviceId, _id: op({ $ne: visit._id }),
    'checkIn.deviceTime': op({ $gte: new Date(at - params.deviceOwnerLookbackDays * 24 * HOUR), $lte: new Date(at) }),
  };
}

/** Visits on this phone within the proxy window (whose they were is sorted out after: a `$ne` on the rep would lead the planner to the rep's index). */
export const SHARED_DEVICE_LIMIT = 100;
export function sharedDeviceFilter(visit: HistoryVisit, deviceId: string, params: Pick<AuthenticityParams, 'proxyDeviceWindowHours'>): Record<string, unknown> {
  const at = checkInOf(visit).getTime();
  const ms = params.proxyDeviceWindowHours * HOUR;
  return { tenantId: visit.tenantId, deviceId, 'checkIn.deviceTime': op({ $gte: new Date(at - ms), $lte: new Date(at + ms) }) };
}

/** The rep's earlier submitted visits to this customer since the start of the month `months` back. */
export function contactsHistoryFilter(visit: HistoryVisit, months: number): Record<string, unknown> {
  const checkIn = checkInOf(visit);
  return {
    tenantId: visit.tenantId, repId: visit.repId, customerId: visit.customerId, _id: op({ $ne: visit._id }), status: 'submitted',
    'checkIn.deviceTime': op({ $gte: monthStartBefore(checkIn, months), $lt: checkIn }),
  };
}

/** The first instant (Asia/Shanghai) of the month `offset` months before the one holding `at`. */
function monthStartBefore(at: Date, offset: number): Date {
  const d = new Date(at.getTime() + 8 * HOUR);
  return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() - offset, 1) - 8 * HOUR);
}

/** Most visits of a day are a handful; the cap only bounds a runaway account. */
const NEARBY_VISITS_KEPT = 50;

/**
 * The previous visit (by check-out, however long ago) and every visit of the rep checked in within the travel
 * window, with their fixes: travel is measured against each of them.
 */
async function travelHistory(models: Models, visit: VisitDoc, params: AuthenticityParams): Promise<Pick<History, 'previousVisit' | 'repVisitsNearby'>> {
  const q = previousVisitFind(visit);
  const [prev, nearby] = await Promise.all([
    models.Visit.findOne(q.filter, { fixes: 1, checkOut: 1 }).sort(q.sort).lean<VisitDoc>(),
    models.Visit.find(repWindowFilter(visit, params), { fixes: 1 }).sort({ 'checkIn.deviceTime': -1 }).limit(NEARBY_VISITS_KEPT).lean<VisitDoc[]>(),
  ]);
  const fix = prev?.fixes.filter((f) => f.phase === 'checkout').at(-1) ?? prev?.fixes.at(-1);
  const others = new Map<string, NearbyVisit>();
  for (const v of [...(prev ? [prev] : []), ...nearby]) {
    if (v.fixes.length > 0) others.set(String(v._id), { visitId: String(v._id), fixes: v.fixes.map(toFix) });
  }
  return {
    previousVisit: prev && fix ? { visitId: String(prev._id), checkOutFix: toFix(fix) } : undefined,
    repVisitsNearby: [...others.values()],
  };
}

/** Whose phone it is: only asked when another rep used it within the proxy window (rare, and then it decides). */
async function deviceOwner(models: Models, signedInWith: SignedInWith, visit: VisitDoc, deviceId: string, params: AuthenticityParams): Promise<History['deviceOwner']> {
  const [signedIn, rows] = await Promise.all([
    signedInWith(visit.tenantId, deviceId),
    models.Visit.aggregate<{ _id: VisitDoc['repId']; visits: number }>([
      { $match: deviceUsageFilter(visit, deviceId, params) },
      { $group: { _id: '$repId', visits: { $sum: 1 } } },
    ]),
  ]);
  const uses: DeviceUse[] = rows.map((r) => ({ repId: String(r._id), visits: r.visits }));
  return pickDeviceOwner(signedIn, uses, params);
}

async function contactsHistory(models: Models, visit: VisitDoc, months: number): Promise<History['contacts']> {
  const monthStart = (offset: number) => monthStartBefore(checkInOf(visit), offset);
  const earlier = await models.Visit.find(contactsHistoryFilter(visit, months), { contactsMet: 1, checkIn: 1 }).lean<VisitDoc[]>();
  const perMonth: string[][] = Array.from({ length: months }, () => []);
  const thisMonth: string[] = [];
  for (const v of earlier) {
    const t = v.checkIn!.deviceTime;
    if (t >= monthStart(0)) { thisMonth.push(...v.contactsMet); continue; }
    for (let m = 1; m <= months; m += 1) if (t >= monthStart(m)) { perMonth[m - 1]!.push(...v.contactsMet); break; }
  }
  return { previousMonthsContactIds: perMonth.map((ids) => [...new Set(ids)]), thisMonthContactIds: [...new Set(thisMonth)], customerContactCount: visit.customer.contactCount ?? 0 };
}

async function otherReps(models: Models, signedInWith: SignedInWith, visit: VisitDoc, params: AuthenticityParams) {
  const checkIn = checkInOf(visit);
  const byDevice = visit.deviceId
    ? (await models.Visit.find(sharedDeviceFilter(visit, visit.deviceId, params), { repId: 1, checkIn: 1 }).limit(SHARED_DEVICE_LIMIT).lean<VisitDoc[]>())
      .filter((v) => String(v.repId) !== String(visit.repId))
    : [];
  const identical: (History['otherRepsIdenticalFixes'][number])[] = [];
  const replayed: History['replayedCoordinates'] = [];
  for (const f of visit.fixes.filter((x) => x.phase === 'checkin')) {
    const same = await models.Visit.find(sameFixFilter(visit, f), { repId: 1, checkIn: 1 }).limit(20).lean<VisitDoc[]>();
    for (const v of same) {
      const at = v.checkIn?.deviceTime;
      if (!at) continue;
      if (String(v.repId) !== String(visit.repId) && Math.abs(at.getTime() - checkIn.getTime()) <= params.proxyFixWindowMinutes * 60_000) {
        identical.push({ repId: String(v.repId), visitId: String(v._id), at, distanceM: 0 });
      }
      replayed.push({ visitId: String(v._id), at, lng: f.lng, lat: f.lat });
    }
  }
  const owner = visit.deviceId && byDevice.length > 0 ? await deviceOwner(models, signedInWith, visit, visit.deviceId, params) : undefined;
  return {
    ...(owner ? { deviceOwner: owner } : {}),
    deviceUsedByOtherReps: byDevice.map((v) => ({ repId: String(v.repId), visitId: String(v._id), at: v.checkIn!.deviceTime })),
    otherRepsIdenticalFixes: identical,
    replayedCoordinates: replayed,
  };
}

export async function gatherHistory(
  models: Models, photoService: PhotosService, signedInWith: SignedInWith, visit: VisitDoc, photos: PhotoDoc[], params: AuthenticityParams,
): Promise<History> {
  const [matches, travel, contacts, others] = await Promise.all([
    photoMatches(photoService, visit, photos, params),
    travelHistory(models, visit, params),
    contactsHistory(models, visit, params.sameContactMonths),
    otherReps(models, signedInWith, visit, params),
  ]);
  return { ...travel, photoMatches: matches, contacts, jointVisit: visit.jointVisit === true, ...others };
}

