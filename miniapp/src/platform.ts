// The host adapter for this run, picked once at start-up (WeCom, DingTalk or a plain browser).
import type { HostAdapter, TenantBootstrap } from './hosts/host.ts';
import { pickHost } from './hosts/pick-host.ts';
import { api } from './api/client.ts';

/** Picked once (pickHost caches it); pages reach the phone only through this adapter. */
export function host(): Promise<HostAdapter> {
  return pickHost();
}

const BOOT_KEY = 'fv.bootstrap';

/** The tenant's public settings; the last copy is kept so the app also starts without a network. */
export async function bootstrap(tenant: string): Promise<TenantBootstrap> {
  try {
    const boot = await api<TenantBootstrap>(`/hosts/bootstrap?tenant=${encodeURIComponent(tenant)}`, { anonymous: true });
    localStorage.setItem(`${BOOT_KEY}.${tenant}`, JSON.stringify(boot));
    return boot;
  } catch (err) {
    const cached = localStorage.getItem(`${BOOT_KEY}.${tenant}`);
    if (cached) return JSON.parse(cached) as TenantBootstrap;
    throw err;
  }
}

/** Signs the page URL for the host's JS-API on the server (the secrets never reach the phone). */
export function signerFor(hostName: string) {
  return (kind: 'corp' | 'agent', url: string) =>
    api<{ timestamp: number; nonceStr: string; signature: string }>(`/hosts/${hostName}/jsapi-signature`, { method: 'POST', body: { url, kind } });
}
