// What the authenticity engine needs to know about one visit. The visit service gathers these from the
// database and the hosts; the engine only reads them. Every coordinate is already GCJ-02 (see authenticity.md).
import type { QrProblem } from '../qr/qr-verify.ts';

export interface LngLat { lng: number; lat: number }

/**
 * When something happened, on the phone's clock and on ours. The offline queue makes receivedAt late without
 * anyone cheating, so rules about the visit itself use deviceTime and compare the two only to measure lag or skew.
 */
export interface Stamp {
  deviceTime: Date;
  receivedAt: Date;
  /** The phone's clock when the request left it. Without it a phone clock running behind looks like queue lag. */
  sentAt?: Date;
}

export type Provider = 'gps' | 'wifi' | 'lbs' | 'network' | 'unknown';
export type Host = 'wecom' | 'dingtalk' | 'browser';

export interface Fix extends Stamp {
  lng: number;
  lat: number;
  accuracyM?: number;
  /** DingTalk reports it; WeCom and browsers do not (undefined). */
  provider?: Provider;
  /** DingTalk `isFromMock` (Android only). undefined means unknown, never honest. */
  isMock?: boolean;
  host?: Host;
  /** DingTalk: the client asked for `useCache: false`, so an identical repeat is not the 2-minute cache. */
  uncached?: boolean;
  phase: 'checkin' | 'checkout';
}

export type PhotoSource = 'camera' | 'album' | 'screenshot' | 'unknown';

export interface PhotoEvidence {
  id: string;
  /** The form's photo slot, e.g. storefront / shelf / scene. */
  kind: string;
  sha256: string;
  /** 64-bit perceptual hashes as 16 hex characters (server/photos/photo-hash.ts). */
  phash: string;
  dhash: string;
  /** What the host picker said; 'unknown' is neutral. */
  source: PhotoSource;
  /** Real type from the bytes: 'jpeg', 'png', 'heic', ... */
  format: string;
  width: number;
  height: number;
  /** Host pickers often strip EXIF: absent is neutral. EXIF GPS must be converted to GCJ-02 by the caller. */
  exif?: { takenAt?: Date; lng?: number; lat?: number };
  uploadedAt: Date;
}

export type CustomerClass = 'A' | 'B' | 'C' | 'D';

export interface CustomerFacts {
  id: string;
  /** Customer type (pharmacy, clinic, ...), for messages only. */
  type: string;
  class: CustomerClass;
  location: LngLat;
  /** Outline of the premises as [lng, lat] pairs; when present it replaces the circle around `location`. */
  polygon?: [number, number][];
  /** Overrides the template's fenceRadiusM for this customer (or the polygon margin when there is a polygon). */
  fenceRadiusM?: number;
}

export type QrCheckProblem = QrProblem | 'expired';

export interface VisitFacts {
  visitId: string;
  repId: string;
  customer: CustomerFacts;
  startedBy: 'qr' | 'location';
  /** The store-code verdict (server/qr/qr-verify.ts) when the visit was started by a scan. */
  qr?: { ok: boolean; problem?: QrCheckProblem; /** A rotating code scanned without signal reached us this late. */ offlineDelayS?: number };
  /** The scanned code rotates (a store tablet): only such a code proves presence. */
  dynamicQr?: boolean;
  checkIn: Stamp;
  checkOut?: Stamp;
  /** The report's submission: deviceTime is when the rep pressed submit, receivedAt when it reached us. */
  submitted: Stamp;
  fixes: Fix[];
  photos: PhotoEvidence[];
  deviceId?: string;
  /** Contact ids met during this visit. */
  contactsMet: string[];
  visitType?: 'onsite' | 'phone';
  /** Screen captures the host reported between check-in and submission (phone clock). */
  screenshotsAt?: Date[];
}

export interface PhotoMatch {
  /** The photo of this visit. */
  photoId: string;
  otherPhotoId: string;
  otherVisitId: string;
  otherRepId: string;
  otherCustomerId: string;
  /** SHA-256 equal: the very same file. */
  sameFile: boolean;
  /** Hamming distances, to the earlier photo's whole frame or its centre, whichever is closer (photo-match.ts). */
  phashDistance: number;
  dhashDistance: number;
  /**
   * The pixels compared after aligning the two thumbnails (server/photos/photo-pixels.ts): `similarity` the
   * brightness-normalised correlation (1 = identical), `changed` the share of the picture that differs (a new
   * object, a person, another light). Absent when either photo has no thumbnail (stored before they existed).
   */
  pixels?: { similarity: number; changed: number };
  /** How much each picture holds (greyscale standard deviation, 0–255): near-uniform and night frames are low. */
  detail?: { photo: number; other: number };
}

/** An earlier event of another rep, `at` on that visit's check-in device time. */
export interface OtherRepEvent { repId: string; visitId: string; at: Date }

/**
 * Whose phone this is. 'host-login': the one user who signs in with this device id through the host (and the
 * visits do not clearly say otherwise); 'most-visits': the clear most frequent user of it in recent visits.
 * Absent: unknown (a new phone, no sign-in record, or no clear most frequent user).
 */
export interface DeviceOwner {
  repId: string;
  by: 'host-login' | 'most-visits';
  /** The owner's visits on this phone in the look-back, and everyone's (most-visits only). */
  visits?: number;
  totalVisits?: number;
}

/** One of the rep's own other visits near this one in time, with its fixes (phone clock), for travel. */
export interface NearbyVisit { visitId: string; fixes: Fix[] }

/** Everything about other visits, looked up by the caller. Empty lists are the honest default. */
export interface History {
  /**
   * The rep's previous visit (by check-out time). The travel rule reads it only when `repVisitsNearby` is absent
   * (verdict inputs stored before that field existed); the review screen shows it.
   */
  previousVisit?: { visitId: string; checkOutFix: Fix };
  /** The rep's other visits with a check-in within travelWindowHours of this one (and the previous one), for travel. */
  repVisitsNearby?: NearbyVisit[];
  /** Whose phone this visit's deviceId is; looked up only when another rep used it within the proxy window. */
  deviceOwner?: DeviceOwner;
  /** Earlier photos in the tenant whose SHA-256 is equal or whose hashes are close (the caller may over-include). */
  photoMatches: PhotoMatch[];
  /** Earlier visits whose fix had exactly this visit's coordinates (rounded to 1e-6°); other days are checked here. */
  replayedCoordinates: { visitId: string; at: Date; lng: number; lat: number }[];
  /** Other reps who used this visit's deviceId, with the time of that use. */
  deviceUsedByOtherReps: OtherRepEvent[];
  /** Other reps' fixes identical (distanceM ≈ 0) to one of this visit's check-in fixes. */
  otherRepsIdenticalFixes: (OtherRepEvent & { distanceM: number })[];
  /** The customer's stored point was captured on site by this very device (so a fix on it is expected). */
  storePointCapturedOnSiteByThisDevice?: boolean;
  contacts: {
    /** Contacts this rep met at this customer per earlier month: [0] last month, [1] the month before, ... */
    previousMonthsContactIds: string[][];
    /** Contacts met in this rep's other visits to this customer in the current month. */
    thisMonthContactIds?: string[];
    /** Contacts on file for the customer (A/B must keep at least 3). */
    customerContactCount: number;
  };
  /** A joint visit (协访) was declared for this visit. */
  jointVisit?: boolean;
}
