// Writing messages to the outbox and claiming, finishing and failing their attempts. Only this file (and the
// models) touch the outbox collections; the sender decides what to do, this decides how it is recorded.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { ChannelKind } from '../hosts/messaging.ts';
import type { AttemptOutcome, OutboxAttemptDoc, OutboxDoc } from './outbox.model.ts';

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

const isDuplicate = (err: unknown) => (err as { code?: number }).code === 11000;

export function outboxStore(models: Models) {
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
          await models.Outbox.create({
            _id: messageKey(m), tenantId: m.tenantId, job: m.job, period: m.period, target: m.target,
            channel: { kind: m.channel.kind, robotId: m.channel.robotId ?? null, userId: m.channel.userId ?? null, hostUserId: m.channel.hostUserId ?? null },
            channelKey: channelKeyOf(m.channel), seq: `${now.toISOString()}#${String(i).padStart(6, '0')}`, title: m.title,
            parts: m.payloads.map((p) => JSON.stringify(p)), nextPart: 0, attempts: 0, rateLimits: 0, status: 'pending',
            nextAttemptAt: now, createdAt: now, expiresAt: m.expiresAt,
          });
          created += 1;
        } catch (err) {
          if (!isDuplicate(err)) throw err;
          existing += 1;
        }
      }
      return { created, existing };
    },

    /** Unfinished messages of a tenant, in sending order. */
    unfinished(tenantId: Types.ObjectId, channelKey?: string): Promise<OutboxDoc[]> {
      const q: Record<string, unknown> = { tenantId, status: op({ $in: ['pending', 'sending'] }) };
      if (channelKey) q.channelKey = channelKey;
      return models.Outbox.find(q).sort({ seq: 1, _id: 1 }).lean<OutboxDoc[]>();
    },

    reload(m: OutboxDoc): Promise<OutboxDoc | null> {
      return models.Outbox.findOne({ tenantId: m.tenantId, _id: m._id }).lean<OutboxDoc>();
    },

    /** Attempts claimed on a channel since `since` (the robot's rate window). */
    claimsSince(tenantId: Types.ObjectId, channelKey: string, since: Date): Promise<number> {
      return models.OutboxAttempt.countDocuments({ tenantId, channelKey, claimedAt: op({ $gt: since }) });
    },

    /**
     * Claims attempt n of the message's current part by inserting its attempt document. When that number is taken
     * by a claimant that died before recording anything (lease over, no outcome), the next number is tried, so a
     * crash can never wedge a message. Null: somebody else holds the part, or our view of it is stale.
     */
    async claim(m: OutboxDoc, holder: string, now: Date, leaseMs: number): Promise<{ n: number; leaseUntil: Date } | null> {
      const leaseUntil = new Date(now.getTime() + leaseMs);
      for (let n = m.attempts + 1; n <= m.attempts + 5; n += 1) {
        const _id = `${m._id}#${m.nextPart}.${n}`;
        try {
          await models.OutboxAttempt.create({ _id, tenantId: m.tenantId, messageId: m._id, channelKey: m.channelKey, part: m.nextPart, n, holder, claimedAt: now, leaseUntil });
        } catch (err) {
          if (!isDuplicate(err)) throw err;
          const taken = await models.OutboxAttempt.findOne({ tenantId: m.tenantId, _id }).lean<OutboxAttemptDoc>();
          if (taken && taken.outcome === null && taken.leaseUntil <= now) {
            await models.OutboxAttempt.updateOne({ tenantId: m.tenantId, _id, outcome: null }, { $set: { outcome: 'abandoned', code: 'LEASE_EXPIRED', finishedAt: now } });
            continue;
          }
          return null;
        }
        await models.Outbox.updateOne({ tenantId: m.tenantId, _id: m._id }, { $set: { status: 'sending', attempts: n, leaseUntil, holder } });
        return { n, leaseUntil };
      }
      return null;
    },

    async finishAttempt(m: OutboxDoc, n: number, outcome: AttemptOutcome, now: Date, detail: { code?: string; message?: string; ref?: string | null } = {}): Promise<void> {
      await models.OutboxAttempt.updateOne(
        { tenantId: m.tenantId, _id: `${m._id}#${m.nextPart}.${n}` },
        { $set: { outcome, code: detail.code ?? null, message: detail.message ?? null, ref: detail.ref ?? null, finishedAt: now } },
      );
    },

    /** The holder of attempt n moves the message on; the filter on (part, attempt) keeps a stale holder from writing. */
    async update(m: OutboxDoc, n: number, set: Partial<Omit<OutboxDoc, '_id' | 'tenantId'>>): Promise<void> {
      await models.Outbox.updateOne({ tenantId: m.tenantId, _id: m._id, nextPart: m.nextPart, attempts: n }, { $set: set });
    },

    /** The holder of the message's current attempt died (lease over): its outcome is unknown, recorded as abandoned. */
    async abandonCurrent(m: OutboxDoc, now: Date): Promise<void> {
      await models.OutboxAttempt.updateOne(
        { tenantId: m.tenantId, _id: `${m._id}#${m.nextPart}.${m.attempts}`, outcome: null },
        { $set: { outcome: 'abandoned', code: 'LEASE_EXPIRED', message: 'the instance holding this attempt stopped before recording its result', finishedAt: now } },
      );
    },

    /** The delivery log: messages written in [from, to) (optionally of one channel kind or key), with their attempts. */
    async list(tenantId: Types.ObjectId, filter: { from: Date; to: Date; kind?: string; channelKey?: string; limit: number }) {
      const q: Record<string, unknown> = { tenantId, createdAt: op({ $gte: filter.from, $lt: filter.to }) };
      if (filter.kind) q['channel.kind'] = filter.kind;
      if (filter.channelKey) q.channelKey = filter.channelKey;
      const messages = await models.Outbox.find(q).sort({ createdAt: -1, seq: -1 }).limit(filter.limit).lean<OutboxDoc[]>();
      const attempts = messages.length === 0 ? [] : await models.OutboxAttempt.find({ tenantId, messageId: op({ $in: messages.map((m) => m._id) }) })
        .sort({ claimedAt: 1, _id: 1 }).lean<OutboxAttemptDoc[]>();
      return { messages, attempts };
    },

    /** Gives up a message nobody is working on (expired before it could be sent). */
    async expire(m: OutboxDoc, now: Date): Promise<void> {
      await models.Outbox.updateOne(
        { tenantId: m.tenantId, _id: m._id, nextPart: m.nextPart, attempts: m.attempts, status: m.status },
        { $set: { status: 'expired', lastError: { code: 'EXPIRED', message: `not sent before ${m.expiresAt.toISOString()}` }, leaseUntil: null, holder: null, sentAt: null, nextAttemptAt: now } },
      );
    },
  };
}

export type OutboxStore = ReturnType<typeof outboxStore>;
