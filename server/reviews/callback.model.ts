// Phone call-back checks (电话回访抽查): the daily sample of visits a manager calls to confirm, and the outcome.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const callbackSchema = new Schema({
  tenantId: { type: Types.ObjectId, required: true },
  /** The visit day (YYYY-MM-DD, Asia/Shanghai) the sample was drawn for. */
  date: { type: String, required: true },
  visitId: { type: Types.ObjectId, required: true },
  repId: { type: Types.ObjectId, required: true },
  customerId: { type: Types.ObjectId, required: true },
  customerName: String,
  contactName: String,
  phone: String,
  band: String,
  /** Drawn by the day's sample job (not sent by a manager): the day's sample exists once it has one. */
  sampled: { type: Boolean, default: false },
  outcome: { type: String, enum: ['confirmed', 'denied', 'unreachable', null], default: null },
  note: { type: String, default: '' },
  recordedBy: Types.ObjectId,
  recordedAt: Date,
  createdAt: { type: Date, required: true },
});
// A visit is on a call-back list at most once, however often the sample job runs or on how many instances.
callbackSchema.index({ tenantId: 1, visitId: 1 }, { unique: true });
callbackSchema.index({ tenantId: 1, date: 1 });
callbackSchema.plugin(tenantScoped);
