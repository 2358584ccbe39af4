// A tenant's public host settings (stored on the tenant) joined with its secrets (config only). The older single
// `host` + `corpId` fields still count: they supply the corp id when `hosts.<name>.corpId` is not set.
import type { HostName } from './common/host-http.ts';

export interface TenantHostFields {
  code: string;
  host?: string | null;
  corpId?: string | null;
  hosts?: {
    wecom?: { corpId?: string | null; agentId?: string | null; autoProvision?: boolean | null } | null;
    dingtalk?: { corpId?: string | null; agentId?: string | null; clientId?: string | null; autoProvision?: boolean | null } | null;
  } | null;
}

export interface WecomSettings { corpId: string; agentId: string; autoProvision: boolean }
export interface DingtalkSettings { corpId: string; agentId: string; clientId: string; autoProvision: boolean }

function legacyCorpId(tenant: TenantHostFields, host: HostName): string | undefined {
  return tenant.host === host && tenant.corpId ? tenant.corpId : undefined;
}

/** Null unless the tenant names both its corp and its app. */
export function wecomSettings(tenant: TenantHostFields): WecomSettings | null {
  const s = tenant.hosts?.wecom;
  const corpId = s?.corpId || legacyCorpId(tenant, 'wecom');
  if (!corpId || !s?.agentId) return null;
  return { corpId, agentId: s.agentId, autoProvision: Boolean(s.autoProvision) };
}

export function dingtalkSettings(tenant: TenantHostFields): DingtalkSettings | null {
  const s = tenant.hosts?.dingtalk;
  const corpId = s?.corpId || legacyCorpId(tenant, 'dingtalk');
  if (!corpId || !s?.agentId || !s.clientId) return null;
  return { corpId, agentId: s.agentId, clientId: s.clientId, autoProvision: Boolean(s.autoProvision) };
}
