// Follow-up tasks (跟进事项) created from a visit's next action; the bots remind reps of them.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const taskSchema = new Schema({
  tenantId: { type: Types.ObjectId, required: true },
  visitId: { type: Types.ObjectId, required: true },
  repId: { type: Types.ObjectId, required: true },
  customerId: { type: Types.ObjectId, required: true },
  kind: { type: String, enum: ['followUp'], required: true },
  title: { type: String, required: true },
  note: { type: String, default: '' },
  /** YYYY-MM-DD (Asia/Shanghai). */
  dueDate: { type: String, required: true },
  status: { type: String, enum: ['open', 'done', 'cancelled'], default: 'open' },
  doneAt: Date,
  createdAt: { type: Date, required: true },
});
// One follow-up per visit, however often a submit is retried.
taskSchema.index({ tenantId: 1, visitId: 1, kind: 1 }, { unique: true });
taskSchema.index({ tenantId: 1, repId: 1, status: 1, dueDate: 1 });
taskSchema.plugin(tenantScoped);
