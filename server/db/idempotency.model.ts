// Responses remembered per (tenant, user, Idempotency-Key), so a phone on a flaky network can retry freely.
// A pending key is a lease held by one running request (holder, leaseUntil); see http/idempotency.ts.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from './tenant-scope.ts';

export const idempotencySchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    userId: { type: Types.ObjectId, required: true },
    key: { type: String, required: true },
    method: { type: String, required: true },
    path: { type: String, required: true },
    /** SHA-256 of what the request asked for: the same key with another body is refused. */
    bodyHash: { type: String, required: true },
    state: { type: String, enum: ['pending', 'done'], required: true },
    holder: { type: String, required: true },
    leaseUntil: { type: Date, required: true },
    status: { type: Number },
    body: { type: Schema.Types.Mixed },
    createdAt: { type: Date, required: true },
    /** Removed by the TTL index once past (IDEMPOTENCY_TTL_DAYS). */
    expiresAt: { type: Date, required: true },
  },
  { minimize: false },
);
idempotencySchema.index({ tenantId: 1, userId: 1, key: 1 }, { unique: true });
idempotencySchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });
idempotencySchema.plugin(tenantScoped);
