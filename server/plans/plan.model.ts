// Monthly visit plans (月度拜访计划): one per rep and month, drafted by the rep, approved or returned by the manager.
// The rep edits the items as a whole (revision-checked); the history is appended ($push), never rewritten.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const PLAN_STATUSES = ['draft', 'submitted', 'approved', 'returned'] as const;
export type PlanStatus = (typeof PLAN_STATUSES)[number];

export const PLAN_ACTIONS = ['created', 'edited', 'submitted', 'approved', 'returned', 'resubmitted'] as const;
export type PlanAction = (typeof PLAN_ACTIONS)[number];

export const PLAN_PURPOSES = ['例行拜访', '新品推广', '订单跟进', '问题处理', '客情维护', '电话回访'] as const;
export type PlanPurpose = (typeof PLAN_PURPOSES)[number];

export const VISIT_TYPES = ['onsite', 'phone'] as const;
export type PlanVisitType = (typeof VISIT_TYPES)[number];

export const MAX_PLAN_ITEMS = 500;

const itemSchema = new Schema({
  id: { type: String, required: true },
  /** YYYY-MM-DD within the plan's month. */
  date: { type: String, required: true },
  customerId: { type: Types.ObjectId, required: true },
  /** Copied in when the item is saved, so the plan reads right after renames. */
  customerName: { type: String, required: true },
  purpose: { type: String, enum: PLAN_PURPOSES, required: true },
  purposeNote: { type: String, default: '' },
  visitType: { type: String, enum: VISIT_TYPES, required: true },
  contactName: { type: String, required: true },
  contactPhone: { type: String, required: true },
}, { _id: false });

const historySchema = new Schema({
  at: { type: Date, required: true },
  by: { type: Types.ObjectId, required: true },
  byName: { type: String, required: true },
  action: { type: String, enum: PLAN_ACTIONS, required: true },
  comment: { type: String, default: null },
  /** The plan's revision after this action. */
  revision: { type: Number, required: true },
}, { _id: false });

export const planSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    repId: { type: Types.ObjectId, required: true },
    repName: { type: String, required: true },
    /** YYYY-MM (Asia/Shanghai calendar month). */
    month: { type: String, required: true },
    status: { type: String, enum: PLAN_STATUSES, required: true },
    /** Bumped by every write; every change is conditional on it, so each revision is moved on once. */
    revision: { type: Number, required: true },
    items: { type: [itemSchema], default: [] },
    history: { type: [historySchema], default: [] },
    submittedAt: { type: Date, default: null },
    /** Coverage gaps counted at the last submit, so a manager's list shows them without recomputing. */
    gapsAtSubmit: { type: Number, default: null },
    decidedAt: { type: Date, default: null },
    decidedBy: { type: Types.ObjectId, default: null },
    decidedByName: { type: String, default: null },
  },
  { timestamps: true, minimize: false },
);
planSchema.index({ tenantId: 1, repId: 1, month: 1 }, { unique: true });
// The KPI and list reads: all plans of a month, optionally for some reps.
planSchema.index({ tenantId: 1, month: 1, repId: 1 });
planSchema.plugin(tenantScoped);

export interface PlanItem {
  id: string;
  date: string;
  customerId: Types.ObjectId;
  customerName: string;
  purpose: PlanPurpose;
  purposeNote: string;
  visitType: PlanVisitType;
  contactName: string;
  contactPhone: string;
}

export interface PlanHistoryEntry {
  at: Date;
  by: Types.ObjectId;
  byName: string;
  action: PlanAction;
  comment: string | null;
  revision: number;
}

export interface PlanDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  repId: Types.ObjectId;
  repName: string;
  month: string;
  status: PlanStatus;
  revision: number;
  items: PlanItem[];
  history: PlanHistoryEntry[];
  submittedAt: Date | null;
  gapsAtSubmit: number | null;
  decidedAt: Date | null;
  decidedBy: Types.ObjectId | null;
  decidedByName: string | null;
  createdAt: Date;
  updatedAt: Date;
}
