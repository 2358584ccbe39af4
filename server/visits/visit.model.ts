// A visit (拜访): who visited which customer, against which pinned form version, with what evidence, and the verdict.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';
import type { VerdictInput } from '../verification/verdict-input.ts';
import type { VisitEffect } from './visit-effects.ts';
import type { VisitAppeal } from '../appeals/appeal.model.ts';

const point = { lng: Number, lat: Number };
/** sentAt: the phone's clock when it sent the step (X-Sent-At), so a clock behind ours can be told from queueing. */
const time = { deviceTime: Date, receivedAt: Date, sentAt: Date };

const fixSchema = new Schema(
  {
    phase: { type: String, enum: ['checkin', 'checkout'], required: true },
    lng: { type: Number, required: true },
    lat: { type: Number, required: true },
    original: { lng: Number, lat: Number, system: String },
    accuracyM: Number,
    provider: String,
    isMock: Boolean,
    /** DingTalk asked with useCache:false; absent on fixes stored before it was carried: unknown, read as cached. */
    uncached: Boolean,
    host: String,
    deviceTime: { type: Date, required: true },
    receivedAt: { type: Date, required: true },
    sentAt: Date,
  },
  { _id: false },
);

const effectSchema = new Schema(
  { kind: { type: String, enum: ['followUpTask', 'rollup', 'appealDecided'], required: true }, date: String, appealId: Types.ObjectId, attempts: { type: Number, default: 0 }, lastError: String },
  { _id: true },
);

export const visitSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    repId: { type: Types.ObjectId, required: true },
    /** The Idempotency-Key of the start request (one visit per start, even when its first try died after the insert). */
    startKey: String,
    /** Bumped by every change: a submit lands only on the visit it judged. */
    revision: Number,
    customerId: { type: Types.ObjectId, required: true },
    /** The customer as it was at the visit, so later edits do not rewrite history. */
    customer: {
      // `type` must be spelled as a nested path option, or mongoose reads the whole object as a String.
      name: String, address: String, type: { type: String }, class: String,
      // The engine's input: { lng, lat } GCJ-02 (the customer's GeoJSON point lives on the customer).
      location: point, polygon: [new Schema(point, { _id: false })], fenceRadiusM: Number, contactCount: Number,
    },
    form: { formId: { type: Types.ObjectId, required: true }, version: { type: Number, required: true } },
    status: { type: String, enum: ['started', 'checkedIn', 'checkedOut', 'submitted'], required: true },
    start: {
      method: { type: String, enum: ['qr', 'location'], required: true },
      qr: { ok: Boolean, problem: String, dynamic: Boolean, offlineDelayS: Number },
      ...time,
    },
    host: String,
    deviceId: String,
    /** 协访: two reps at the same store on purpose; spares the identical-fix and same-photo signals. */
    jointVisit: { type: Boolean, default: false },
    /** A visit whose pinned form asks for no location (电话拜访) is a phone visit: no stay or fence rules. */
    visitType: { type: String, enum: ['onsite', 'phone'], default: 'onsite' },
    fixes: { type: [fixSchema], default: [] },
    checkIn: time,
    checkOut: time,
    answers: { type: Schema.Types.Mixed, default: {} },
    contactsMet: { type: [String], default: [] },
    submitted: time,
    verdict: { type: Schema.Types.Mixed },
    summary: { type: Schema.Types.Mixed },
    followUpTaskId: Types.ObjectId,
    /** The engine's inputs at submit ({ facts, history }), kept so a draft scoring template can be tried on past visits (what-if). */
    verdictInput: { type: Schema.Types.Mixed },
    /** A manager's override: the machine verdict above stays as it was. */
    override: { type: Schema.Types.Mixed },
    callback: { type: Schema.Types.Mixed },
    /** The rep's appeal of the verdict and its outcome (the appeal itself is kept in appeals). */
    appeal: { type: Schema.Types.Mixed },
    /** The latest manager action on the visit (confirm, override, call-back): it leaves the unreviewed queue. */
    review: { type: Schema.Types.Mixed },
    /** Who changed the judgement of this visit, when and why (append-only). */
    audit: { type: [Schema.Types.Mixed], default: [] },
    /** Effects of a state change still to carry out (visit-effects.ts), written with the change itself. */
    effects: { type: [effectSchema], default: undefined },
    /** When the effects worker should next look at this visit; absent when nothing is owed. */
    effectsDueAt: Date,
  },
  { timestamps: true, minimize: false },
);
// The hot queries and the index each one uses (tests/db/explain.test.ts checks every one with explain):
// the list and the queue, newest first, per rep or per status;
visitSchema.index({ tenantId: 1, repId: 1, createdAt: -1 });
visitSchema.index({ tenantId: 1, status: 1, createdAt: -1 });
// a rep's day, KPI rollups and the previous visit;
visitSchema.index({ tenantId: 1, repId: 1, 'checkIn.deviceTime': -1 });
visitSchema.index({ tenantId: 1, repId: 1, 'checkOut.deviceTime': -1 });
// a customer's visits (last visit, location check), and visits by check-in day (what-if, call-back sample);
visitSchema.index({ tenantId: 1, customerId: 1, 'checkIn.deviceTime': -1 });
visitSchema.index({ tenantId: 1, customerId: 1, status: 1, 'start.deviceTime': -1 });
visitSchema.index({ tenantId: 1, status: 1, 'checkIn.deviceTime': -1 });
visitSchema.index({ tenantId: 1, status: 1, 'start.deviceTime': -1 });
visitSchema.index({ tenantId: 1, status: 1, 'submitted.receivedAt': -1 });
// the history a submit reads: a shared phone, replayed coordinates (one fix's exact point, within a time bound);
visitSchema.index({ tenantId: 1, deviceId: 1, 'checkIn.deviceTime': -1 });
visitSchema.index({ tenantId: 1, 'fixes.lng': 1, 'fixes.lat': 1, 'checkIn.deviceTime': -1 });
// the rep's earlier visits to this customer (the same-contact rule);
visitSchema.index({ tenantId: 1, repId: 1, customerId: 1, 'checkIn.deviceTime': -1 });
// visits of a form version (exports, form usage).
visitSchema.index({ tenantId: 1, 'form.formId': 1, 'form.version': 1 });
visitSchema.index({ tenantId: 1, effectsDueAt: 1 });
visitSchema.index({ tenantId: 1, repId: 1, startKey: 1 }, { unique: true, partialFilterExpression: { startKey: { $type: 'string' } } });
visitSchema.plugin(tenantScoped);

export interface StoredFix {
  phase: 'checkin' | 'checkout';
  lng: number; lat: number;
  original?: { lng: number; lat: number; system: string };
  accuracyM?: number; provider?: string; isMock?: boolean; uncached?: boolean; host?: string;
  deviceTime: Date; receivedAt: Date; sentAt?: Date;
}

export interface VisitDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  repId: Types.ObjectId;
  customerId: Types.ObjectId;
  customer: { name: string; address: string; type: string; class: 'A' | 'B' | 'C' | 'D'; location: { lng: number; lat: number }; polygon?: { lng: number; lat: number }[]; fenceRadiusM?: number; contactCount?: number };
  form: { formId: Types.ObjectId; version: number };
  status: 'started' | 'checkedIn' | 'checkedOut' | 'submitted';
  start: { method: 'qr' | 'location'; qr?: { ok: boolean; problem?: string; dynamic?: boolean; offlineDelayS?: number }; deviceTime: Date; receivedAt: Date; sentAt?: Date };
  host?: string;
  deviceId?: string;
  jointVisit?: boolean;
  visitType?: 'onsite' | 'phone';
  fixes: StoredFix[];
  checkIn?: { deviceTime: Date; receivedAt: Date; sentAt?: Date };
  checkOut?: { deviceTime: Date; receivedAt: Date; sentAt?: Date };
  answers: Record<string, unknown>;
  contactsMet: string[];
  submitted?: { deviceTime: Date; receivedAt: Date; sentAt?: Date };
  verdict?: unknown;
  summary?: unknown;
  followUpTaskId?: Types.ObjectId;
  verdictInput?: VerdictInput;
  override?: { band: 'green' | 'yellow' | 'red'; reason: string; by: Types.ObjectId; byName: string; at: Date; machineBand: string | null } | null;
  callback?: { outcome: 'confirmed' | 'denied' | 'unreachable'; note: string; by: Types.ObjectId; at: Date } | null;
  appeal?: VisitAppeal | null;
  review?: { action: 'approve' | 'override' | 'callback' | 'callbackOutcome'; by: Types.ObjectId; byName: string; at: Date } | null;
  audit?: Record<string, unknown>[];
  effects?: VisitEffect[];
  effectsDueAt?: Date;
  revision?: number;
  createdAt: Date;
  updatedAt: Date;
}

/** Mongoose returns unset nested paths as {}; the rest of the code treats a step that has not happened as absent. */
export function withoutEmptySteps(v: VisitDoc): VisitDoc {
  const step = <T extends { deviceTime?: Date }>(x: T | undefined) => (x?.deviceTime ? x : undefined);
  return { ...v, checkIn: step(v.checkIn), checkOut: step(v.checkOut), submitted: step(v.submitted) };
}
