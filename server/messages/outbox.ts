// Writing messages to the outbox and claiming, finishing and failing their attempts (in each message's log). Only
// this file (and the model) touch the outbox; the sender decides what to do, this decides how it is recorded.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { ChannelKind } from '../hosts/messaging.ts';
import type { AttemptOutcome, OutboxDoc } from './outbox.model.ts';
import { isDuplicateKey, retryTransient } from '../db/transient.ts';

export interface OutgoingChannel {
  kind: ChannelKind;
  robotId?: string | null;
  /** Personal channels: our user id and their host userid. */
  userId?: Types.ObjectId | null;
  hostUserId?: string | null;
}

/** One logical message (all its parts), as a job or a submit produces it. */
export interface OutgoingMessage {
  tenantId: Types.ObjectId;
  job: string;
  period: string;
  /** What the message is about, for the key: 'board', a user id, a visit id. */
  target: string;
  channel: OutgoingChannel;
  title: string;
  payloads: Record<string, unknown>[];
  expiresAt: Date;
}

export function channelKeyOf(c: OutgoingChannel): string {
  return c.kind === 'wecomRobot' || c.kind === 'dingtalkRobot' ? `robot:${c.robotId ?? ''}` : `${c.kind}:${c.hostUserId ?? ''}`;
}

/** The deduplication key: tenant, job, period, channel, target. The part is tracked inside the message. */
export function messageKey(m: Pick<OutgoingMessage, 'tenantId' | 'job' | 'period' | 'target' | 'channel'>): string {
  return [String(m.tenantId), m.job, m.period, channelKeyOf(m.channel), m.target].join(':');
}

/** Messages still to send (the sender's query, oldest first by seq). */
export function unfinishedFilter(tenantId: Types.ObjectId, channelKey?: string): Record<string, unknown> {
  return { tenantId, status: op({ $in: ['pending', 'sending'] }), ...(channelKey ? { channelKey } : {}) };
}

export function outboxStore(models: Models, retentionMs = 30 * 86_400_000) {
  const purgeAt = (now: Date) => new Date(now.getTime() + retentionMs);

  return {
    /**
     * Writes each message once. All parts go in one document, so a message is either entirely in the outbox or not
     * at all; a second write (a re-run, another instance) finds the key taken and changes nothing.
     */
    async enqueue(messages: readonly OutgoingMessage[], now: Date): Promise<{ created: number; existing: number }> {
      let created = 0;
      let existing = 0;
      for (const [i, m] of messages.entries()) {
        try {
          await retryTransient(() => models.Outbox.create({
            _id: messageKey(m), tenantId: m.tenantId, job: m.job, period: m.period, target: m.target,
            channel: { kind: m.channel.kind, robotId: m.channel.robotId ?? null, userId: m.channel.userId ?? null, hostUserId: m.channel.hostUserId ?? null },
            channelKey: channelKeyOf(m.channel), seq: `${now.toISOString()}#${String(i).padStart(6, '0')}`, title: m.title,
            parts: m.payloads.map((p) => JSON.stringify(p)), nextPart: 0, attempts: 0, rateLimits: 0, status: 'pending',
            nextAttemptAt: now, createdAt: now, expiresAt: m.expiresAt, log: [], purgeAt: null,
          }));
          created += 1;
        } catch (err) {
          if (!isDuplicateKey(err)) throw err;
          existing += 1;
        }
      }
      return { created, existing };
    },

    /** Unfinished messages of a tenant, in sending order. */
    unfinished(tenantId: Types.ObjectId, channelKey?: string): Promise<OutboxDoc[]> {
      return models.Outbox.find(unfinishedFilter(tenantId, channelKey)).sort({ seq: 1, _id: 1 }).lean<OutboxDoc[]>();
    },

    reload(m: OutboxDoc): Promise<OutboxDoc | null> {
      return models.Outbox.findOne({ tenantId: m.tenantId, _id: m._id }).lean<OutboxDoc>();
    },

    /** Attempts claimed on a channel since `since` (the robot's rate window). */
    async claimsSince(tenantId: Types.ObjectId, channelKey: string, since: Date): Promise<number> {
      const [row] = await models.Outbox.aggregate<{ n: number }>([
        { $match: { tenantId, channelKey, 'log.claimedAt': op({ $gt: since }) } },
        { $unwind: '$log' },
        { $match: { 'log.claimedAt': op({ $gt: since }) } },
        { $count: 'n' },
      ]);
      return row?.n ?? 0;
    },

    /**
     * Claims attempt n+1 of the message's current part: one update conditional on the part, the attempt count and
     * the status the sender saw, which also appends the attempt to the message's log. Null: somebody else moved it.
     */
    async claim(m: OutboxDoc, holder: string, now: Date, leaseMs: number): Promise<{ n: number; leaseUntil: Date } | null> {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      const n = m.attempts + 1;
      const won = await models.Outbox.findOneAndUpdate(
        { tenantId: m.tenantId, _id: m._id, nextPart: m.nextPart, attempts: m.attempts, status: m.status },
        {
          $set: { status: 'sending', attempts: n, leaseUntil, holder },
          $push: { log: { part: m.nextPart, n, holder, claimedAt: now, leaseUntil, outcome: null, code: null, message: null, ref: null, finishedAt: null } },
        },
      ).lean();
      return won ? { n, leaseUntil } : null;
    },

    async finishAttempt(m: OutboxDoc, n: number, outcome: AttemptOutcome, now: Date, detail: { code?: string; message?: string; ref?: string | null } = {}): Promise<void> {
      await models.Outbox.updateOne(
        { tenantId: m.tenantId, _id: m._id },
        { $set: { 'log.$[a].outcome': outcome, 'log.$[a].code': detail.code ?? null, 'log.$[a].message': detail.message ?? null, 'log.$[a].ref': detail.ref ?? null, 'log.$[a].finishedAt': now } },
        { arrayFilters: [{ 'a.part': m.nextPart, 'a.n': n }] },
      );
    },

    /** The holder of attempt n moves the message on; the filter on (part, attempt) keeps a stale holder from writing. */
    async update(m: OutboxDoc, n: number, set: Partial<Omit<OutboxDoc, '_id' | 'tenantId'>>): Promise<void> {
      const finished = set.status === 'sent' || set.status === 'failed' || set.status === 'expired';
      await models.Outbox.updateOne({ tenantId: m.tenantId, _id: m._id, nextPart: m.nextPart, attempts: n }, { $set: { ...set, ...(finished ? { purgeAt: purgeAt(set.sentAt ?? new Date()) } : {}) } });
    },

    /** The holder of the message's current attempt died (lease over): its outcome is unknown, recorded as abandoned. */
    async abandonCurrent(m: OutboxDoc, now: Date): Promise<void> {
      await models.Outbox.updateOne(
        { tenantId: m.tenantId, _id: m._id },
        { $set: { 'log.$[a].outcome': 'abandoned', 'log.$[a].code': 'LEASE_EXPIRED', 'log.$[a].message': 'the instance holding this attempt stopped before recording its result', 'log.$[a].finishedAt': now } },
        { arrayFilters: [{ 'a.part': m.nextPart, 'a.n': m.attempts, 'a.outcome': null }] },
      );
    },

    /** The delivery log: messages written in [from, to) (optionally of one channel kind or key), with their attempts. */
    async list(tenantId: Types.ObjectId, filter: { from: Date; to: Date; kind?: string; channelKey?: string; limit: number }) {
      const q: Record<string, unknown> = { tenantId, createdAt: op({ $gte: filter.from, $lt: filter.to }) };
      if (filter.kind) q['channel.kind'] = filter.kind;
      if (filter.channelKey) q.channelKey = filter.channelKey;
      return models.Outbox.find(q).sort({ createdAt: -1, seq: -1 }).limit(filter.limit).lean<OutboxDoc[]>();
    },

    /** Gives up a message nobody is working on (expired before it could be sent). */
    async expire(m: OutboxDoc, now: Date): Promise<void> {
      await models.Outbox.updateOne(
        { tenantId: m.tenantId, _id: m._id, nextPart: m.nextPart, attempts: m.attempts, status: m.status },
        { $set: { status: 'expired', lastError: { code: 'EXPIRED', message: `not sent before ${m.expiresAt.toISOString()}` }, leaseUntil: null, holder: null, sentAt: null, nextAttemptAt: now, purgeAt: purgeAt(now) } },
      );
    },
  };
}

export type OutboxStore = ReturnType<typeof outboxStore>;
