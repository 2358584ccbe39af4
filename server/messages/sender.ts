// The sender: takes the outbox channel by channel, oldest message first, one attempt in flight per channel, and
// records every attempt. Several instances may run it at once; the conditional claim decides who sends.
//
// Guarantees:
// - in order per channel: a later message of a channel waits while an earlier one is pending, retrying or leased;
// - at most robotMaxPerMinute claims per robot in any 60 s, counted from the attempt log (so across instances);
// - a message written but not sent (crash before or during the claim) is sent by whoever comes next, once;
// - a claim whose holder died is retried once its lease is over, by exactly one instance (the claim of attempt n+1
//   is conditional on attempt n);
// - a duplicate can only arise when the host accepted a part but we never learned it (timeout after delivery, crash
//   between the host's answer and our record): then one more copy per such loss. WeCom app messages carry
//   enable_duplicate_check, so WeCom itself drops that copy within 4 h; DingTalk work notifications with the same
//   content reach a user once a day. Robots have no host-side dedupe.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { mapLimit } from '../hosts/common/host-http.ts';
import { classifySendError, type FailureKind, type HostMessaging } from '../hosts/messaging.ts';
import type { TenantHostFields } from '../hosts/host-settings.ts';
import type { Clock } from '../lib/clock.ts';
import { logger } from '../lib/logger.ts';
import type { OutboxDoc } from './outbox.model.ts';
import { outboxStore } from './outbox.ts';
import { isRobot, type ChannelKind } from './templates/channel-payloads.ts';

export interface SenderOptions {
  instanceId: string;
  clock: Clock;
  robotMaxPerMinute: number;
  /** How long a claim is held; must exceed the worst case of one send (token fetch and retries included). */
  leaseMs: number;
  maxAttempts?: number;
  /** Channels worked on at once. */
  concurrency?: number;
  /** How long finished messages (and their attempt log) are kept. */
  retentionMs?: number;
}

export interface SendReport { sent: number; retried: number; failed: number; expired: number }

const MINUTE = 60_000;
const MAX_BACKOFF = 10 * MINUTE;

/** Failures back off 10 s, 20 s, 40 s … ; rate limits wait at least a minute, doubling while they repeat. */
export function backoffMs(kind: FailureKind, attempt: number, rateLimitsInRow: number): number {
  if (kind === 'rateLimited') return Math.min(MINUTE * 2 ** rateLimitsInRow, MAX_BACKOFF);
  return Math.min(10_000 * 2 ** (attempt - 1), MAX_BACKOFF);
}

type Tenant = TenantHostFields & { _id: Types.ObjectId };

export function outboxSender(models: Models, messaging: HostMessaging, options: SenderOptions) {
  const store = outboxStore(models, options.retentionMs);
  const { clock } = options;
  const maxAttempts = options.maxAttempts ?? 8;
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<unknown> | null = null;

  /** One step on the head of a channel: 'continue' when the channel may go on at once, 'stop' when it must wait. */
  async function advance(tenant: Tenant, m: OutboxDoc, report: SendReport): Promise<'continue' | 'stop'> {
    const now = clock.now();
    const leased = m.status === 'sending' && m.leaseUntil !== null && m.leaseUntil > now;
    if (leased || (m.status === 'pending' && m.nextAttemptAt > now)) return 'stop';
    if (m.status === 'sending') await store.abandonCurrent(m, now); // its holder died mid-attempt
    if (m.expiresAt <= now) {
      await store.expire(m, now);
      report.expired += 1;
      return 'continue';
    }
    const kind = m.channel.kind as ChannelKind;
    if (isRobot(kind) && await store.claimsSince(m.tenantId, m.channelKey, new Date(now.getTime() - MINUTE)) >= options.robotMaxPerMinute) return 'stop';
    const claim = await store.claim(m, options.instanceId, now, options.leaseMs);
    if (!claim) return 'stop';

    const part = m.nextPart;
    try {
      const { ref } = await messaging.send(tenant, { kind, robotId: m.channel.robotId }, JSON.parse(m.parts[part] as string) as Record<string, unknown>);
      const done = clock.now();
      await store.finishAttempt(m, claim.n, 'sent', done, { ref });
      const last = part + 1 >= m.parts.length;
      await store.update(m, claim.n, {
        status: last ? 'sent' : 'pending', nextPart: part + 1, attempts: 0, rateLimits: 0, nextAttemptAt: done,
        leaseUntil: null, holder: null, lastError: null, ...(last ? { sentAt: done } : {}),
      });
      report.sent += 1;
      return 'continue';
    } catch (err) {
      const failure = classifySendError(err);
      const done = clock.now();
      await store.finishAttempt(m, claim.n, failure.kind, done, failure);
      const lastError = { code: failure.code, message: failure.message };
      if (failure.kind === 'permanent' || claim.n >= maxAttempts) {
        logger.warn('message given up', { id: m._id, part, attempts: claim.n, ...lastError });
        await store.update(m, claim.n, { status: 'failed', leaseUntil: null, holder: null, lastError });
        report.failed += 1;
        return 'continue'; // the channel moves on: a message that cannot be sent must not block the ones after it
      }
      const wait = backoffMs(failure.kind, claim.n, m.rateLimits);
      await store.update(m, claim.n, {
        status: 'pending', nextAttemptAt: new Date(done.getTime() + wait), leaseUntil: null, holder: null, lastError,
        rateLimits: failure.kind === 'rateLimited' ? m.rateLimits + 1 : 0,
      });
      report.retried += 1;
      return 'stop';
    }
  }

  async function drain(tenant: Tenant, head: OutboxDoc, report: SendReport): Promise<void> {
    let m: OutboxDoc | undefined = head;
    while (m) {
      if (await advance(tenant, m, report) === 'stop') return;
      m = (await store.unfinished(tenant._id, m.channelKey))[0];
    }
  }

  /** Works every tenant's outbox until each channel is empty or has to wait. */
  async function runOnce(): Promise<SendReport> {
    const report: SendReport = { sent: 0, retried: 0, failed: 0, expired: 0 };
    const tenants = await models.Tenant.find({}, { code: 1, host: 1, corpId: 1, hosts: 1 }).lean<Tenant[]>();
    for (const tenant of tenants) {
      const heads = new Map<string, OutboxDoc>();
      for (const m of await store.unfinished(tenant._id)) if (!heads.has(m.channelKey)) heads.set(m.channelKey, m);
      await mapLimit([...heads.values()], options.concurrency ?? 8, (m) => drain(tenant, m, report));
    }
    return report;
  }

  function tick(): void {
    if (running) return;
    running = runOnce()
      .catch((err: unknown) => logger.error('outbox sender failed', { error: String((err as Error)?.message ?? err) }))
      .finally(() => { running = null; });
  }

  return {
    runOnce,
    /** Polls the outbox every `intervalMs` (one pass at a time per instance). */
    start(intervalMs = 2000): void {
      if (timer) return;
      timer = setInterval(tick, intervalMs);
      tick();
    },
    /** Sends soon, e.g. right after a submit wrote a summary card. */
    kick: tick,
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running;
    },
  };
}

export type OutboxSender = ReturnType<typeof outboxSender>;
