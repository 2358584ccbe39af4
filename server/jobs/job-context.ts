// What every job gets: the tenant and its settings, the occurrence it runs for, and the services it reads from
// (as narrow interfaces, so the jobs are tested with hand-made boards and plans). Plus turning a draft into the
// message to one person on the tenant's host.
import { Types } from 'mongoose';
import type { HostName } from '../hosts/common/host-http.ts';
import { dingtalkSettings, wecomSettings, type TenantHostFields } from '../hosts/host-settings.ts';
import type { BoardSource } from '../messages/messages.service.ts';
import type { OutgoingMessage } from '../messages/outbox.ts';
import { render } from '../messages/templates/channel-payloads.ts';
import type { Draft } from '../messages/templates/draft.ts';
import type { JobData, Person } from './job-data.ts';
import type { NotificationSettings } from './notification-settings.ts';

export type { BoardSource };

interface SystemViewer { tenantId: Types.ObjectId; userId: Types.ObjectId; role: 'admin'; name: string }

export interface PlanSource {
  list(viewer: SystemViewer, filter: { month: string; status?: 'draft' | 'submitted' | 'approved' | 'returned' }): Promise<{ repId: string; repName: string; month: string; status: string; submittedAt: Date | null }[]>;
}

export interface CallbackSource {
  drawSample(viewer: SystemViewer, date: string, perRep: number): Promise<{ repId: unknown; customerName?: string | null; contactName?: string | null; phone?: string | null; band?: string | null }[]>;
}

export interface JobDeps {
  data: JobData;
  board: BoardSource;
  plans: PlanSource;
  reviews: CallbackSource;
  customerNames(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, string>>;
  /** Robots configured for a tenant (ids and hosts). */
  robots(tenantCode: string): { id: string; host: HostName }[];
  publicUrl: string;
}

export type TenantRow = TenantHostFields & { _id: Types.ObjectId; name: string; notifications?: unknown };

export interface JobContext {
  tenant: TenantRow;
  settings: NotificationSettings;
  /** The scheduled instant this run is for (a catch-up runs for the missed one). */
  occurrence: Date;
  period: string;
  now: Date;
}

/** The jobs act as the system; services that take a viewer get one with admin reach in the tenant. */
export function systemViewer(tenantId: Types.ObjectId): SystemViewer {
  return { tenantId, userId: new Types.ObjectId('000000000000000000000000'), role: 'admin', name: '系统' };
}

/** The host personal messages go through: the setting, else the tenant's host, else the one it has settings for. */
export function personalHost(tenant: TenantRow, settings: NotificationSettings): HostName | null {
  if (settings.channels.personalHost) return settings.channels.personalHost;
  if (tenant.host === 'wecom' || tenant.host === 'dingtalk') return tenant.host;
  if (wecomSettings(tenant)) return 'wecom';
  if (dingtalkSettings(tenant)) return 'dingtalk';
  return null;
}

export interface Addressed { job: string; period: string; target: string; draft: Draft; expiresAt: Date }

/** The message to one person, or null when they cannot be reached (no host for the tenant, no host account). */
export function toPerson(ctx: Pick<JobContext, 'tenant' | 'settings'>, person: Person | undefined, a: Addressed): OutgoingMessage | null {
  const host = personalHost(ctx.tenant, ctx.settings);
  if (!host || !person?.hostUserId) return null;
  const kind = host === 'wecom' ? 'wecomApp' : 'dingtalkWork';
  const r = render(a.draft, kind, person.hostUserId);
  return {
    tenantId: ctx.tenant._id, job: a.job, period: a.period, target: a.target,
    channel: { kind, userId: new Types.ObjectId(person.id), hostUserId: person.hostUserId },
    title: r.title, payloads: r.payloads, expiresAt: a.expiresAt,
  };
}

export const hoursAfter = (d: Date, hours: number): Date => new Date(d.getTime() + hours * 3_600_000);

/** Messages for the people that could be reached, and how many could not. */
export function collect(candidates: (OutgoingMessage | null)[]): { messages: OutgoingMessage[]; skipped: number } {
  const messages = candidates.filter((m): m is OutgoingMessage => m !== null);
  return { messages, skipped: candidates.length - messages.length };
}
