// The outbox: every message is written here, under its deduplication key, before anything is sent; the sender
// works from it and records each attempt in the message's own log. An attempt is claimed by one update conditional
// on the message's state as the sender saw it (part and attempt numbers), so of several instances exactly one sends.
// Finished messages are removed after the retention period (TTL on purgeAt).
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const OUTBOX_STATUSES = ['pending', 'sending', 'sent', 'failed', 'expired'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];
export const ATTEMPT_OUTCOMES = ['sent', 'retry', 'rateLimited', 'permanent', 'abandoned'] as const;
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number];

const attemptSchema = new Schema(
  {
    part: { type: Number, required: true },
    n: { type: Number, required: true },
    holder: { type: String, required: true },
    claimedAt: { type: Date, required: true },
    leaseUntil: { type: Date, required: true },
    outcome: { type: String, enum: [...ATTEMPT_OUTCOMES, null], default: null },
    code: { type: String, default: null },
    message: { type: String, default: null },
    /** The host's id of the delivered message (WeCom msgid, DingTalk task_id), when it gives one. */
    ref: { type: String, default: null },
    finishedAt: { type: Date, default: null },
  },
  { _id: false },
);

export const outboxSchema = new Schema(
  {
    /** The deduplication key: tenant:job:period:channel:target. A second write of the same message is refused. */
    _id: { type: String, required: true },
    tenantId: { type: Types.ObjectId, required: true },
    job: { type: String, required: true },
    period: { type: String, required: true },
    target: { type: String, required: true },
    channel: {
      kind: { type: String, required: true },
      robotId: { type: String, default: null },
      /** The recipient (personal channels). */
      userId: { type: Types.ObjectId, default: null },
      hostUserId: { type: String, default: null },
    },
    /** Messages of one channel go out one at a time, in `seq` order; robots are rate-limited per channel. */
    channelKey: { type: String, required: true },
    seq: { type: String, required: true },
    title: { type: String, required: true },
    /** The host payload of each part as JSON text, exactly as measured against the host's size limit. */
    parts: { type: [String], required: true },
    /** Parts before this one have been accepted by the host. */
    nextPart: { type: Number, default: 0 },
    /** Attempts claimed for the current part. */
    attempts: { type: Number, default: 0 },
    /** Rate-limit answers in a row, for the back-off. */
    rateLimits: { type: Number, default: 0 },
    status: { type: String, enum: OUTBOX_STATUSES, required: true },
    nextAttemptAt: { type: Date, required: true },
    leaseUntil: { type: Date, default: null },
    holder: { type: String, default: null },
    lastError: { code: String, message: String },
    createdAt: { type: Date, required: true },
    sentAt: { type: Date, default: null },
    /** Not sent by then (a morning board at night): given up as expired. */
    expiresAt: { type: Date, required: true },
    /** Every attempt, in order: who claimed it, when, and how it ended (the delivery log). */
    log: { type: [attemptSchema], default: [] },
    /** Set when the message is finished (sent, failed, expired): the TTL index removes it then. */
    purgeAt: { type: Date, default: null },
  },
  { collection: 'outbox', minimize: false, versionKey: false },
);
outboxSchema.index({ tenantId: 1, status: 1, seq: 1 });
outboxSchema.index({ tenantId: 1, createdAt: -1 });
// The per-robot rate window counts a channel's recent claims.
outboxSchema.index({ tenantId: 1, channelKey: 1, 'log.claimedAt': -1 });
outboxSchema.index({ purgeAt: 1 }, { expireAfterSeconds: 0, partialFilterExpression: { purgeAt: { $type: 'date' } } });
outboxSchema.plugin(tenantScoped);

export interface OutboxDoc {
  _id: string;
  tenantId: Types.ObjectId;
  job: string;
  period: string;
  target: string;
  channel: { kind: string; robotId: string | null; userId: Types.ObjectId | null; hostUserId: string | null };
  channelKey: string;
  seq: string;
  title: string;
  parts: string[];
  nextPart: number;
  attempts: number;
  rateLimits: number;
  status: OutboxStatus;
  nextAttemptAt: Date;
  leaseUntil: Date | null;
  holder: string | null;
  lastError?: { code?: string; message?: string } | null;
  createdAt: Date;
  sentAt: Date | null;
  expiresAt: Date;
  log: OutboxAttempt[];
  purgeAt: Date | null;
}

export interface OutboxAttempt {
  part: number;
  n: number;
  holder: string;
  claimedAt: Date;
  leaseUntil: Date;
  outcome: AttemptOutcome | null;
  code: string | null;
  message: string | null;
  ref: string | null;
  finishedAt: Date | null;
}
