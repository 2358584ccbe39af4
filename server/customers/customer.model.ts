// Customers (客户档案): where they are (a GeoJSON point and fence in GCJ-02, the reading as entered kept beside),
// who to talk to, and which reps hold them. The claim history lives in the same document so a claim and its record
// are one write.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';
import { COORDINATE_SYSTEMS } from './geo-normalise.ts';
import type { FenceMeta, GeoPoint, GeoPolygon, PointMeta } from './customer-geo.ts';
import { CUSTOMER_CLASSES, type CustomerClass } from './customer-types.ts';

const lngLat = { lng: { type: Number, required: true }, lat: { type: Number, required: true } };

const geoPointSchema = new Schema({
  type: { type: String, enum: ['Point'], required: true },
  coordinates: { type: [Number], required: true },
}, { _id: false });

const geoPolygonSchema = new Schema({
  type: { type: String, enum: ['Polygon'], required: true },
  coordinates: { type: [[[Number]]], required: true },
}, { _id: false });

const pointMetaSchema = new Schema({
  system: { type: String, enum: ['GCJ02'], required: true },
  original: { ...lngLat, system: { type: String, enum: COORDINATE_SYSTEMS, required: true } },
}, { _id: false });

const fenceMetaSchema = new Schema({
  system: { type: String, enum: ['GCJ02'], required: true },
  original: {
    system: { type: String, enum: COORDINATE_SYSTEMS, required: true },
    polygon: [new Schema(lngLat, { _id: false })],
  },
}, { _id: false });

/** Each contact keeps its _id for life: visits and plans refer to "the person we met" by it. */
const contactSchema = new Schema({
  name: { type: String, required: true },
  role: { type: String, default: null },
  phone: { type: String, default: null },
  isKey: { type: Boolean, default: false },
});

export const CLAIM_ACTIONS = ['claim', 'release', 'assign'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

const claimEventSchema = new Schema({
  action: { type: String, enum: CLAIM_ACTIONS, required: true },
  repId: { type: Types.ObjectId, required: true },
  /** Names as they were at the time, so the history reads right after renames. */
  repName: { type: String, required: true },
  by: { type: Types.ObjectId, required: true },
  byName: { type: String, required: true },
  at: { type: Date, required: true },
  note: { type: String, default: null },
}, { _id: false });

export const customerSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    /** External code (客户编码), unique per tenant; imports match on it. */
    code: { type: String, required: true },
    name: { type: String, required: true },
    address: { type: String, required: true },
    type: { type: String, required: true },
    class: { type: String, enum: CUSTOMER_CLASSES, required: true },
    /** GeoJSON Point, GCJ-02, [lng, lat]. */
    point: { type: geoPointSchema, required: true },
    pointMeta: { type: pointMetaSchema, required: true },
    /** GeoJSON Polygon (one closed ring), GCJ-02; null when the customer is a point with a radius. */
    fence: { type: geoPolygonSchema, default: null },
    fenceMeta: { type: fenceMetaSchema, default: null },
    fenceRadiusM: { type: Number, default: null },
    contacts: { type: [contactSchema], default: [] },
    assignedReps: { type: [Types.ObjectId], default: [] },
    claims: { type: [claimEventSchema], default: [] },
    /** Bumped by every write. Writes decided on the document as read (claims, import rows) are conditional on it. */
    revision: { type: Number, required: true, default: 1 },
    createdBy: { type: Types.ObjectId, required: true },
    updatedBy: { type: Types.ObjectId, required: true },
  },
  { timestamps: true, minimize: false },
);
customerSchema.index({ tenantId: 1, code: 1 }, { unique: true });
customerSchema.index({ tenantId: 1, assignedReps: 1 });
customerSchema.index({ tenantId: 1, class: 1 });
customerSchema.index({ tenantId: 1, type: 1 });
// Customers near a point. Not { tenantId, point }: the local engine (DocumentDB) refuses compound 2dsphere
// indexes, so tenantId is a filter on this index's scan.
customerSchema.index({ point: '2dsphere' });
customerSchema.plugin(tenantScoped);

export interface Contact { _id: Types.ObjectId; name: string; role: string | null; phone: string | null; isKey: boolean }

export interface ClaimEvent {
  action: ClaimAction; repId: Types.ObjectId; repName: string; by: Types.ObjectId; byName: string; at: Date; note: string | null;
}

/** The fields a customer's content is made of (what imports compare and writes replace). */
export interface CustomerFields {
  code: string;
  name: string;
  address: string;
  type: string;
  class: CustomerClass;
  point: GeoPoint;
  pointMeta: PointMeta;
  fence: GeoPolygon | null;
  fenceMeta: FenceMeta | null;
  fenceRadiusM: number | null;
  contacts: Contact[];
  assignedReps: Types.ObjectId[];
  claims: ClaimEvent[];
}

export interface CustomerDoc extends CustomerFields {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  revision: number;
  createdBy: Types.ObjectId;
  updatedBy: Types.ObjectId;
  createdAt: Date;
  updatedAt: Date;
}

/** The content of a customer: everything but its contacts, reps and claim history. */
export type ContentFields = Omit<CustomerFields, 'contacts' | 'assignedReps' | 'claims'>;
export type ContactFields = Omit<Contact, '_id'>;

/** One write to a customer in domain terms; the repo makes it a single update that rewrites no array whole. */
export interface CustomerChange {
  /** Content fields replaced. */
  set?: Partial<ContentFields>;
  addContact?: Contact;
  /** Some fields of one contact, found by its id. */
  editContact?: { id: Types.ObjectId; set: Partial<ContactFields> };
  removeContact?: Types.ObjectId;
  addRep?: Types.ObjectId;
  removeRep?: Types.ObjectId;
  /** Appended to the claim history, which is never rewritten. */
  event?: ClaimEvent;
}
