// Messages as the API shows them: writing to the outbox (and waking the sender), the delivery log, and the board
// preview that renders a team's board exactly as the morning job would send it, without sending.
import type { Types } from 'mongoose';
import type { Config } from '../config.ts';
import type { Models } from '../db/models.ts';
import { AppError, fieldError } from '../http/errors.ts';
import type { HostName } from '../hosts/common/host-http.ts';
import type { HostMessaging } from '../hosts/messaging.ts';
import type { DailyBoard, DailyBoardOptions } from '../kpis/board-types.ts';
import type { Clock } from '../lib/clock.ts';
import { addDays, shanghaiDate, shanghaiDayStart } from '../lib/time.ts';
import type { AuthState } from '../users/auth.ts';
import type { OutboxDoc } from './outbox.model.ts';
import { outboxStore, type OutgoingMessage } from './outbox.ts';
import { outboxSender } from './sender.ts';
import { boardDraft } from './templates/board.ts';
import { CHANNEL_KINDS, limitOf, render, type ChannelKind } from './templates/channel-payloads.ts';
import { DIALECTS } from './templates/draft.ts';

export interface BoardSource {
  dailyBoard(tenantId: Types.ObjectId, date: string, options?: DailyBoardOptions): Promise<DailyBoard>;
}

export interface MessagesDeps { config: Config; messaging: HostMessaging; board: BoardSource; clock: Clock }

export interface LogQuery { from?: string; to?: string; channel?: string; limit?: string }
export interface PreviewQuery { date?: string; managerId?: string; host?: HostName }

const MAX_LOG_DAYS = 31;

function logItem(m: OutboxDoc) {
  return {
    id: m._id, job: m.job, period: m.period, target: m.target, title: m.title,
    channel: { kind: m.channel.kind, key: m.channelKey, robotId: m.channel.robotId ?? null, userId: m.channel.userId ? String(m.channel.userId) : null, hostUserId: m.channel.hostUserId ?? null },
    status: m.status, parts: m.parts.length, partsSent: m.nextPart,
    createdAt: m.createdAt, sentAt: m.sentAt ?? null, expiresAt: m.expiresAt, nextAttemptAt: m.status === 'pending' ? m.nextAttemptAt : null,
    lastError: m.lastError?.code ? { code: m.lastError.code, message: m.lastError.message ?? '' } : null,
    attempts: (m.log ?? []).map((a) => ({
      part: a.part + 1, n: a.n, claimedAt: a.claimedAt, finishedAt: a.finishedAt ?? null, outcome: a.outcome ?? null, code: a.code ?? null, message: a.message ?? null,
    })),
  };
}

export function messagesService(models: Models, deps: MessagesDeps) {
  const store = outboxStore(models, deps.config.outboxRetentionDays * 86_400_000);
  let wake: () => void = () => undefined;

  /** Sender leases outlast the worst single send: token fetch, a refused token's refresh and the send itself. */
  const leaseMs = Math.max(60_000, 5 * deps.config.hostTimeoutMs + 10_000);

  return {
    /** Writes messages (each once, by key) and wakes this instance's sender if one runs. */
    async enqueue(messages: readonly OutgoingMessage[], now: Date = deps.clock.now()) {
      const written = await store.enqueue(messages, now);
      if (written.created > 0) wake();
      return written;
    },

    /** The running sender registers here so fresh messages go out without waiting for its next poll. */
    onEnqueued(fn: () => void): void {
      wake = fn;
    },

    /** A sender for this process (started by main.ts through the jobs runtime, or by a test). */
    sender(options: { clock: Clock; instanceId: string; leaseMs?: number }) {
      return outboxSender(models, deps.messaging, { robotMaxPerMinute: deps.config.robotMaxPerMinute, leaseMs, retentionMs: deps.config.outboxRetentionDays * 86_400_000, ...options });
    },

    async log(auth: AuthState, q: LogQuery) {
      const from = q.from ?? shanghaiDate(deps.clock.now());
      const to = q.to ?? from;
      if (to < from || addDays(from, MAX_LOG_DAYS - 1) < to) {
        throw new AppError('VALIDATION_FAILED', [fieldError('/query/to', 'RANGE_INVALID', `结束日期须不早于开始日期，且跨度不超过 ${MAX_LOG_DAYS} 天`, `to must not be before from, and the range at most ${MAX_LOG_DAYS} days`)]);
      }
      const kind = q.channel && (CHANNEL_KINDS as readonly string[]).includes(q.channel) ? q.channel : undefined;
      const messages = await store.list(auth.tenantId, {
        from: shanghaiDayStart(from), to: shanghaiDayStart(addDays(to, 1)), kind, channelKey: q.channel && !kind ? q.channel : undefined, limit: Number(q.limit ?? 200),
      });
      return { from, to, items: messages.map(logItem) };
    },

    /** The board of `date` (default: yesterday, the one this morning's message carries) for one team, or all for an admin. */
    async previewBoard(auth: AuthState, q: PreviewQuery, tenantHost: HostName | null) {
      let managerId = q.managerId;
      if (auth.role === 'manager') {
        if (managerId && managerId !== String(auth.userId)) {
          throw new AppError('FORBIDDEN', [fieldError('/query/managerId', 'OWN_TEAM_ONLY', '主管只能预览自己团队的看板', 'Managers can preview only their own team\'s board')]);
        }
        managerId = String(auth.userId);
      }
      const date = q.date ?? addDays(shanghaiDate(deps.clock.now()), -1);
      const host: HostName = q.host ?? tenantHost ?? 'wecom';
      const kind: ChannelKind = host === 'wecom' ? 'wecomRobot' : 'dingtalkRobot';
      const board = await deps.board.dailyBoard(auth.tenantId, date, managerId ? { managerId } : {});
      const r = render(boardDraft(board, { dialect: DIALECTS[host], publicUrl: deps.config.publicUrl }, managerId ? [managerId] : undefined), kind);
      return {
        date, host, kind, team: managerId ?? null, limitBytes: limitOf(kind),
        messages: r.payloads.map((payload, i) => ({ part: i + 1, bytes: r.bytes[i], payload })),
      };
    },
  };
}

export type MessagesService = ReturnType<typeof messagesService>;
