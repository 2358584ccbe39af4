// Follow-up tasks (跟进事项) created from a visit's next action; the bots remind reps of them.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const TASK_KINDS = ['followUp'] as const;

export const taskSchema = new Schema({
  tenantId: { type: Types.ObjectId, required: true },
  visitId: { type: Types.ObjectId, required: true },
  repId: { type: Types.ObjectId, required: true },
  customerId: { type: Types.ObjectId, required: true },
  kind: { type: String, enum: TASK_KINDS, required: true },
  title: { type: String, required: true },
  note: { type: String, default: '' },
  /** YYYY-MM-DD (Asia/Shanghai). */
  dueDate: { type: String, required: true },
  status: { type: String, enum: ['open', 'done', 'cancelled'], default: 'open' },
  doneAt: Date,
  /** What the rep wrote when marking it done. */
  doneNote: { type: String, default: null },
  createdAt: { type: Date, required: true },
});
// One follow-up per visit, however often a submit is retried.
taskSchema.index({ tenantId: 1, visitId: 1, kind: 1 }, { unique: true });
taskSchema.index({ tenantId: 1, repId: 1, status: 1, dueDate: 1 });
taskSchema.plugin(tenantScoped);

export interface TaskDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  visitId: Types.ObjectId;
  repId: Types.ObjectId;
  customerId: Types.ObjectId;
  kind: (typeof TASK_KINDS)[number];
  title: string;
  note: string;
  dueDate: string;
  status: 'open' | 'done' | 'cancelled';
  doneAt?: Date | null;
  doneNote?: string | null;
  createdAt: Date;
}
