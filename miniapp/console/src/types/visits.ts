// Wire shapes of the visits and reviews API (server/visits/visits.routes.ts visitView, GET /api/visits/:id/context,
// GET /api/visits/:id/photos, GET /api/callbacks; server/reviews/reviews.routes.ts).
export type Band = 'green' | 'yellow' | 'red';
export type CallbackOutcome = 'confirmed' | 'denied' | 'unreachable';

export interface LngLat { lng: number; lat: number }
export interface Stamp { deviceTime: string; receivedAt: string; sentAt?: string }

export interface VisitFix {
  phase: 'checkin' | 'checkout'; lng: number; lat: number; accuracyM?: number; provider?: string; isMock?: boolean;
  host?: string; deviceTime: string; receivedAt: string;
}

export interface Reason {
  code: string; family?: string; weight: number; hard?: boolean; counted?: boolean;
  measured: number; threshold: number; unit: string; message_zh: string; message_en: string;
  evidence?: Record<string, unknown>;
}
export interface Note { code: string; message_zh: string; message_en: string; evidence?: Record<string, unknown> }

export interface Verdict { score: number; band: Band; reasons: Reason[]; notes: Note[]; capped?: boolean; evaluatedAt?: string }

export interface Override { band: Band; reason: string; by: string; byName: string; at: string; machineBand: Band | null }
export interface CallbackRecord { outcome: CallbackOutcome; note: string; by: string; byName?: string; at: string }
export interface Review { action: 'approve' | 'override' | 'callback' | 'callbackOutcome'; by: string; byName: string; at: string }
/** Added by the appeals work; absent when the rep never appealed. */
export interface VisitAppeal { id?: string; status: 'pending' | 'upheld' | 'overturned' }

export interface AuditEntry {
  action: string; at: string; by?: string; byName?: string;
  band?: Band | null; machineBand?: Band | null; reason?: string; note?: string; outcome?: CallbackOutcome;
  date?: string; phone?: string; contactName?: string; [key: string]: unknown;
}

export interface VisitCustomer {
  name: string; address: string; type: string; class: string; location: LngLat; polygon?: LngLat[]; fenceRadiusM?: number; contactCount?: number;
}

export interface Visit {
  id: string; repId: string; customerId: string; customer: VisitCustomer; form: { formId: string; version: number };
  status: 'started' | 'checkedIn' | 'checkedOut' | 'submitted';
  start: { method: 'qr' | 'location'; qr?: { ok: boolean; dynamic?: boolean } } & Stamp;
  fixes: VisitFix[]; checkIn: Stamp | null; checkOut: Stamp | null; submitted: Stamp | null; uploadLagSeconds: number | null;
  answers: Record<string, unknown>; contactsMet: string[];
  verdict: Verdict | null; override: Override | null; callback: CallbackRecord | null; review: Review | null;
  effectiveBand: Band | null; audit: AuditEntry[]; summary: unknown; followUpTaskId: string | null; createdAt: string;
  appeal?: VisitAppeal | null;
}

export interface VisitPage { items: Visit[]; nextBefore: string | null; nextCursor: string | null }

export interface RecentVisit {
  id: string; customerId: string; customerName: string; customerType: string; customerClass: string;
  checkInAt: string | null; stayMinutes: number | null; band: Band | null; score: number | null; overridden: boolean;
}

export interface VisitContext {
  visitId: string;
  fence: { location: LngLat; polygon: LngLat[] | null; radiusM: number; shape: 'circle' | 'polygon' };
  previousVisit: { visitId: string; lng: number; lat: number; at: string } | null;
  recent: RecentVisit[];
  reasons: Reason[];
  notes: Note[];
}

export interface VisitPhoto {
  id: string; kind: string; source: string; format: string; width: number; height: number; receivedAt: string; url: string;
  exif: { takenAt?: string; lng?: number; lat?: number } | null;
}

export interface Callback {
  _id: string; date: string; visitId: string; repId: string; customerId: string; customerName?: string;
  contactName?: string; phone?: string; band?: Band | null; outcome: CallbackOutcome | null; note: string;
  recordedAt?: string | null; createdAt: string;
}

export interface UserRow { id: string; username: string; name: string; role: 'admin' | 'manager' | 'rep'; managerId: string | null; active: boolean }
