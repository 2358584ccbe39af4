// Responses remembered per (tenant, user, Idempotency-Key), so a phone on a flaky network can retry freely.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from './tenant-scope.ts';

export const idempotencySchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    userId: { type: Types.ObjectId, required: true },
    key: { type: String, required: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    status: { type: Number },
    body: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
  },
  { minimize: false },
);
idempotencySchema.index({ tenantId: 1, userId: 1, key: 1 }, { unique: true });
idempotencySchema.plugin(tenantScoped);
