// Telling the rep the outcome of their appeal: one app message / work notification written to the outbox, keyed by
// the appeal, so a decision is announced exactly once however often this runs. Never fails the decision itself.
import type { Types } from 'mongoose';
import type { HostName } from '../hosts/common/host-http.ts';
import { logger } from '../lib/logger.ts';
import { messageKey, type OutgoingMessage } from '../messages/outbox.ts';
import { render } from '../messages/templates/channel-payloads.ts';
import { appealOutcomeDraft } from '../messages/templates/appeals.ts';
import type { AppealDecision, AppealDoc, AppealNotice } from './appeal.model.ts';

/** The outcome should reach the rep within a few days or not at all. */
const NOTICE_TTL_MS = 3 * 86_400_000;

export interface NoticeDeps {
  /** The host personal messages go through for the tenant (null: none connected). */
  hostInUse(tenantId: Types.ObjectId): Promise<HostName | null>;
  /** The rep's account on that host. */
  hostUserIdOf(tenantId: Types.ObjectId, userId: Types.ObjectId): Promise<string | null>;
  enqueue(messages: readonly OutgoingMessage[]): Promise<unknown>;
  publicUrl: string;
}

export function outcomeMessage(appeal: AppealDoc, decision: AppealDecision, host: HostName, hostUserId: string, publicUrl: string): OutgoingMessage {
  const kind = host === 'wecom' ? 'wecomApp' : 'dingtalkWork';
  const draft = appealOutcomeDraft({
    repName: appeal.repName, customerName: appeal.customerName, visitAt: appeal.visitAt, decision: decision.decision,
    band: decision.band, bandBefore: decision.bandBefore, reason: decision.reason, managerName: decision.byName, publicUrl,
  });
  const r = render(draft, kind, hostUserId);
  return {
    tenantId: appeal.tenantId, job: 'appealOutcome', period: String(appeal._id), target: String(appeal.repId),
    channel: { kind, userId: appeal.repId, hostUserId }, title: r.title, payloads: r.payloads,
    expiresAt: new Date(decision.at.getTime() + NOTICE_TTL_MS),
  };
}

export async function notifyRep(deps: NoticeDeps, appeal: AppealDoc, decision: AppealDecision): Promise<AppealNotice> {
  const at = new Date();
  try {
    const host = await deps.hostInUse(appeal.tenantId);
    const hostUserId = host ? await deps.hostUserIdOf(appeal.tenantId, appeal.repId) : null;
    if (!host || !hostUserId) return { status: 'unreachable', at };
    const message = outcomeMessage(appeal, decision, host, hostUserId, deps.publicUrl);
    await deps.enqueue([message]);
    return { status: 'queued', at, messageKey: messageKey(message) };
  } catch (err) {
    logger.warn('appeal outcome message not written', { appealId: String(appeal._id), error: String((err as Error)?.message ?? err) });
    return { status: 'failed', at, error: String((err as Error)?.message ?? err) };
  }
}
