// What the server sends the mini-app (the views in server/**/\*.routes.ts), narrowed to the fields the app reads.
// The evidence block of a form is the server's own type (types only: nothing of the server is bundled).
import type { Evidence } from '../../../server/forms/form-types.ts';
export type { Evidence, PhotoKind } from '../../../server/forms/form-types.ts';
export type Band = 'green' | 'yellow' | 'red';
export type CustomerClass = 'A' | 'B' | 'C' | 'D';
export type VisitStatus = 'started' | 'checkedIn' | 'checkedOut' | 'submitted';

export interface LngLat { lng: number; lat: number }

export interface FieldError { field: string; code: string; message_zh: string; message_en: string }

export interface User { id: string; username: string; name: string; role: 'admin' | 'manager' | 'rep' }
export interface Tenant { id?: string; code: string; name: string }
export interface LoginResult { token: string; expiresAt: string; user: User; tenant: Tenant }
export interface DevUser { username: string; name: string; role: string }

export interface Contact { id: string; name: string; role: string | null; phone: string | null; isKey: boolean }
export interface Customer {
  id: string; code?: string; name: string; address: string; type: string; class: CustomerClass;
  location: LngLat & { system?: string }; fenceRadiusM?: number | null; contacts: Contact[];
}

export interface Reason { code: string; counted?: boolean; weight?: number; message_zh: string; message_en: string }
export interface Verdict { score: number; band: Band; reasons: Reason[]; notes?: { code: string; message_zh: string; message_en: string }[] }

export interface VisitView {
  id: string; customerId: string; status: VisitStatus;
  customer: { name: string; address: string; type: string; class: CustomerClass; location: LngLat; fenceRadiusM?: number };
  form: { formId: string; version: number };
  start: { method: 'qr' | 'location'; deviceTime: string };
  /** Stored in GCJ-02 whatever the phone sent. */
  fixes: { phase: 'checkin' | 'checkout'; lng: number; lat: number; accuracyM?: number; deviceTime: string }[];
  checkIn: { deviceTime: string } | null; checkOut: { deviceTime: string } | null; submitted: { deviceTime: string; receivedAt: string } | null;
  answers: Record<string, unknown>;
  verdict: Verdict | null; effectiveBand: Band | null;
  summary: Record<string, unknown> | null; followUpTaskId: string | null;
  /** The rep's appeal of the verdict (申诉) and, once decided, the outcome. */
  appeal?: VisitAppeal | null;
}

export interface VisitAppeal {
  id: string; status: 'pending' | 'upheld' | 'overturned'; note: string; at: string; photoIds: string[];
  decision?: { decision: 'uphold' | 'overturn'; reason: string; band: Band; byName: string; at: string };
}

export interface FormSection {
  type: 'object'; title: string; description?: string; required?: string[];
  properties: Record<string, { title: string; 'x-widget': string; type: string; [hint: string]: unknown }>;
  'x-visibleWhen'?: { customerTypes?: string[]; customerClasses?: string[] };
}
export interface FormSchema {
  type: 'object'; title: string; description?: string;
  properties: Record<string, FormSection>;
  'x-evidence': Evidence;
  [hint: string]: unknown;
}
export interface FormSummary { id: string; name: string; status: string; latestVersion: number; appliesTo: { customerTypes?: string[]; customerClasses?: string[] } }
export interface FormVersion { id: string; docId: string; version: number; schema: FormSchema }

export interface FollowUpTask {
  id: string; kind?: string; customerId: string; customerName: string; title: string; note: string;
  dueDate: string; status?: 'open' | 'done'; overdue: boolean; visitId: string | null; doneAt?: string | null;
}
export interface Today {
  date: string;
  /** Today's visits of the rep's approved (or submitted) monthly plan; `done` once visited today. */
  planned: { id: string; customerId: string; customerName: string; purpose: string; visitType: 'onsite' | 'phone'; contactName: string; contactPhone: string; done: boolean }[];
  followUps: FollowUpTask[];
  awaiting: { visitId: string; customerId: string; customerName: string; status: VisitStatus; startedAt: string }[];
  coverage: { month: string; classes: { class: CustomerClass; total: number; visited: number }[] };
}

/** GET /api/hosts/bootstrap?tenant=CODE */
export type { TenantBootstrap } from '../hosts/host.ts';
