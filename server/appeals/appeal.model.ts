// An appeal (申诉) of a rep against the red or yellow verdict of one of their visits, and the manager's decision on it.
// The machine verdict stays on the visit untouched; the appeal keeps its own record, and the visit's audit both steps.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export type AppealStatus = 'pending' | 'upheld' | 'overturned';
export type AppealBand = 'green' | 'yellow' | 'red';

export const appealSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    visitId: { type: Types.ObjectId, required: true },
    repId: { type: Types.ObjectId, required: true },
    repName: { type: String, required: true },
    customerId: { type: Types.ObjectId, required: true },
    customerName: { type: String, required: true },
    /** When the visit happened (check-in, else start): the list shows it and the message names it. */
    visitAt: { type: Date, required: true },
    status: { type: String, enum: ['pending', 'upheld', 'overturned'], required: true },
    note: { type: String, required: true },
    photoIds: { type: [Types.ObjectId], default: [] },
    /** The machine's verdict and the band that counted when the rep appealed. */
    machineBand: { type: String, default: null },
    machineScore: { type: Number, default: null },
    bandAtFiling: { type: String, required: true },
    filedAt: { type: Date, required: true },
    decision: { type: Schema.Types.Mixed, default: null },
    /** Whether the outcome message to the rep was written to the outbox, or why not. */
    notice: { type: Schema.Types.Mixed, default: null },
  },
  { timestamps: true, minimize: false },
);
// One appeal per visit, ever: the unique insert is also what makes filing exactly-once under concurrent retries.
appealSchema.index({ tenantId: 1, visitId: 1 }, { unique: true });
appealSchema.index({ tenantId: 1, status: 1, filedAt: -1 });
appealSchema.plugin(tenantScoped);

export interface AppealDecision {
  decision: 'uphold' | 'overturn';
  reason: string;
  /** The band that counts after the decision, and the one before it. */
  band: AppealBand;
  bandBefore: AppealBand;
  by: Types.ObjectId;
  byName: string;
  at: Date;
}

export interface AppealNotice { status: 'queued' | 'unreachable' | 'failed'; at: Date; messageKey?: string | null; error?: string }

export interface AppealDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  visitId: Types.ObjectId;
  repId: Types.ObjectId;
  repName: string;
  customerId: Types.ObjectId;
  customerName: string;
  visitAt: Date;
  status: AppealStatus;
  note: string;
  photoIds: Types.ObjectId[];
  machineBand: AppealBand | null;
  machineScore: number | null;
  bandAtFiling: AppealBand;
  filedAt: Date;
  decision: AppealDecision | null;
  notice: AppealNotice | null;
  createdAt: Date;
  updatedAt: Date;
}

/** What the visit document carries about its appeal (the mini-app's history reads it from the visit). */
export interface VisitAppeal {
  id: Types.ObjectId;
  status: AppealStatus;
  note: string;
  at: Date;
  photoIds: Types.ObjectId[];
  /** The decision as made: the visit holds it first, the appeal's own record follows (visit-decisions.ts). */
  decision?: AppealDecision;
}
