// The phone's own copy of everything the rep captured (IndexedDB): the outbox of ordered steps, photo bytes, the
// local state of each visit and cached reference data (customers, forms) for working without a network.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { Fix } from '../hosts/host.ts';
import type { Band, CustomerClass, FieldError, LngLat, Verdict, VisitStatus } from '../api/types.ts';

export type OpType = 'start' | 'checkIn' | 'photo' | 'answers' | 'checkOut' | 'submit';

export interface OpError { status: number; code: string; message_zh: string; message_en: string; details: FieldError[] }

/** One step waiting to reach the server. `id` is the Idempotency-Key, so a resend can never apply twice. */
export interface Op {
  seq?: number;
  id: string;
  owner: string;
  visitLocalId: string;
  type: OpType;
  body: Record<string, unknown>;
  /** For photos: the local photo id (bytes in the blobs store). */
  photoId?: string;
  createdAt: string;
  attempts: number;
  lastError?: OpError;
  /** Set when the server refused the step itself (a 4xx that a retry would not change). */
  failed?: OpError;
}

export interface LocalPhoto {
  id: string;
  kind: string;
  deviceTime: string;
  source: 'camera' | 'album' | 'unknown';
  uploaded: boolean;
  serverId?: string;
  /** Taken through the host (WeCom/DingTalk): the server fetches the bytes, so there is no local thumbnail. */
  hostMedia?: boolean;
}

export interface VisitCustomer {
  name: string; address: string; type: string; class: CustomerClass; location: LngLat | null; fenceRadiusM?: number | null;
}

/** Where the rep is in the visit on the phone; the server's status may lag behind while steps wait in the outbox. */
export type Stage = 'started' | 'checkedIn' | 'checkedOut' | 'submitting' | 'submitted';

export interface LocalVisit {
  localId: string;
  owner: string;
  serverId?: string;
  serverStatus?: VisitStatus;
  customerId?: string;
  customer: VisitCustomer | null;
  startedBy: 'qr' | 'pick';
  form?: { formId: string; version: number; predicted?: boolean };
  stage: Stage;
  startDeviceTime: string;
  checkIn?: { fixes: Fix[] };
  photos: LocalPhoto[];
  answers: Record<string, unknown>;
  checkOut?: { fixes: Fix[]; deviceTime: string };
  submitDeviceTime?: string;
  verdict?: Verdict;
  effectiveBand?: Band | null;
  summary?: Record<string, unknown> | null;
  /** The last refusal by the server, shown on the visit until the rep acts on it. */
  error?: OpError & { op: OpType };
  createdAt: string;
  updatedAt: string;
}

export interface CacheEntry { key: string; at: number; data: unknown }

interface FieldVisitDb extends DBSchema {
  ops: { key: number; value: Op; indexes: { byOwner: string; byVisit: string } };
  blobs: { key: string; value: { id: string; visitLocalId: string; blob: Blob } };
  visits: { key: string; value: LocalVisit; indexes: { byOwner: string } };
  cache: { key: string; value: CacheEntry };
}

export type Db = IDBPDatabase<FieldVisitDb>;

let opening: Promise<Db> | undefined;

export function db(): Promise<Db> {
  opening ??= openDB<FieldVisitDb>('fieldvisit', 1, {
    upgrade(d) {
      const ops = d.createObjectStore('ops', { keyPath: 'seq', autoIncrement: true });
      ops.createIndex('byOwner', 'owner');
      ops.createIndex('byVisit', 'visitLocalId');
      d.createObjectStore('blobs', { keyPath: 'id' });
      d.createObjectStore('visits', { keyPath: 'localId' }).createIndex('byOwner', 'owner');
      d.createObjectStore('cache', { keyPath: 'key' });
    },
  });
  return opening;
}

/** Asks the browser not to evict our data under storage pressure (a best effort; WebViews may ignore it). */
export function askPersistentStorage(): void {
  void navigator.storage?.persist?.().catch(() => false);
}
