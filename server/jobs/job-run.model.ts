// One document per job run (`<tenantId>:<job>:<period>`). Inserting it is the lease: of several instances firing
// the same schedule exactly one insert succeeds. A run whose holder died (lease expired) or that failed may be taken
// over by an update conditional on the attempt number (see job-lease.ts).
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const RUN_STATUSES = ['running', 'done', 'failed'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export const jobRunSchema = new Schema(
  {
    _id: { type: String, required: true },
    tenantId: { type: Types.ObjectId, required: true },
    job: { type: String, required: true },
    period: { type: String, required: true },
    /** The scheduled instant this run is for. */
    scheduledFor: { type: Date, required: true },
    /** 1 for the first holder, +1 per takeover. */
    attempt: { type: Number, required: true },
    holder: { type: String, required: true },
    status: { type: String, enum: RUN_STATUSES, required: true },
    startedAt: { type: Date, required: true },
    leaseUntil: { type: Date, required: true },
    /** A failed run may be retried from then on. */
    retryAt: { type: Date, default: null },
    finishedAt: { type: Date, default: null },
    /** Messages written to the outbox by this run (new and already there). */
    result: { created: Number, existing: Number, skipped: Number },
    error: { type: String, default: null },
    /** True when the run was started by a catch-up after the scheduled time had passed. */
    late: { type: Boolean, default: false },
  },
  { collection: 'job_runs', minimize: false, versionKey: false },
);
jobRunSchema.index({ tenantId: 1, job: 1, scheduledFor: -1 });
jobRunSchema.plugin(tenantScoped);

export interface JobRunDoc {
  _id: string;
  tenantId: Types.ObjectId;
  job: string;
  period: string;
  scheduledFor: Date;
  attempt: number;
  holder: string;
  status: RunStatus;
  startedAt: Date;
  leaseUntil: Date;
  retryAt: Date | null;
  finishedAt: Date | null;
  result?: { created?: number; existing?: number; skipped?: number } | null;
  error: string | null;
  late: boolean;
}
