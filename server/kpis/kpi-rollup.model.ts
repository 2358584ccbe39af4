// The per-day rollup (日汇总) of one rep: one document per rep and Asia/Shanghai day, keyed by
// { tenantId, repId, date }, with plain numeric counters, the customers touched that day and the day's action paths.
// The board and the tenant-wide KPIs read a tenant's days in a date range; a rep's or a team's KPIs and the trend
// read some reps' days in a range: one index each.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

const customerTouchSchema = new Schema({
  customerId: { type: Types.ObjectId, required: true },
  /** The customer's class (A/B/C/D) as the visit recorded it. */
  cls: { type: String, required: true },
  onsite: { type: Number, required: true },
  phone: { type: Number, required: true },
}, { _id: false });

const pathSchema = new Schema({
  /** Check-in time of the visit. */
  at: { type: Date, required: true },
  /** The customer's type (商超, 药店, …): consistency compares paths within a type. */
  type: { type: String, default: '' },
  /** The action path as letters (rollup.ts actionPath). */
  path: { type: String, required: true },
}, { _id: false });

const counter = { type: Number, required: true, default: 0 };

/** The collection, named here because the migration from the monthly collections writes it with the raw driver. */
export const KPI_ROLLUP_COLLECTION = 'kpirollups';

export const kpiRollupSchema = new Schema({
  tenantId: { type: Types.ObjectId, required: true },
  repId: { type: Types.ObjectId, required: true },
  /** YYYY-MM-DD, the Asia/Shanghai day of check-in (or the follow-ups' due day). */
  date: { type: String, required: true },
  /** When the visits behind this rollup were read; a write never replaces a rollup read later. */
  asOf: { type: Date, required: true },
  visits: counter, onsite: counter, phone: counter, joint: counter,
  green: counter, yellow: counter, red: counter, valid: counter,
  durationSum: counter, durationCount: counter, reportsOnTime: counter, evidenceSum: counter,
  followUpsDue: counter, followUpsOnTime: counter,
  customers: { type: [customerTouchSchema], default: [] },
  paths: { type: [pathSchema], default: [] },
}, { collection: KPI_ROLLUP_COLLECTION, versionKey: false, minimize: false });
// One rollup per rep-day; also serves a rep's (or a few reps') days in a date range.
kpiRollupSchema.index({ tenantId: 1, repId: 1, date: 1 }, { unique: true });
// A tenant's days in a date range (the board, tenant-wide KPIs, a rebuild's clean-up).
kpiRollupSchema.index({ tenantId: 1, date: 1 });
kpiRollupSchema.plugin(tenantScoped);

export interface KpiRollupDoc {
  tenantId: Types.ObjectId;
  repId: Types.ObjectId;
  date: string;
  asOf: Date;
  visits: number; onsite: number; phone: number; joint: number;
  green: number; yellow: number; red: number; valid: number;
  durationSum: number; durationCount: number; reportsOnTime: number; evidenceSum: number;
  followUpsDue: number; followUpsOnTime: number;
  customers: { customerId: Types.ObjectId; cls: string; onsite: number; phone: number }[];
  paths: { at: Date; type: string; path: string }[];
}
