// Start-up: which tenant, which host, who is signed in. A host login code signs in silently; the plain browser
// falls back to the development login (a list of the tenant's reps) when the tenant allows it.
import { reactive } from 'vue';
import { api, ApiError } from './api/client.ts';
import type { LoginResult } from './api/types.ts';
import type { TenantBootstrap } from './hosts/host.ts';
import { bootstrap, host, signerFor } from './platform.ts';
import { rememberTenant, session, signIn, signOut } from './session.ts';

export const boot = reactive({
  state: 'loading' as 'loading' | 'ready' | 'login' | 'error',
  tenant: null as TenantBootstrap | null,
  error: null as { zh: string; en: string } | null,
});

function tenantFromUrl(): string | null {
  const fromSearch = new URLSearchParams(window.location.search).get('tenant');
  if (fromSearch) return fromSearch;
  // Also accept it after the hash (#/today?tenant=x), where links built for hash routing put it.
  const hashQuery = window.location.hash.split('?')[1];
  return hashQuery ? new URLSearchParams(hashQuery).get('tenant') : null;
}

/** Runs once at start-up; afterwards `boot.state` tells the router where to go. */
export async function start(): Promise<void> {
  try {
    const adapter = await host();
    let code = tenantFromUrl() ?? session.tenantCode;
    let info: TenantBootstrap;
    if (code) {
      info = await bootstrap(code);
    } else {
      // Without a tenant in the link only a development server (dev login on) may fall back to the demo tenant.
      info = await bootstrap('demo');
      if (!info.devLogin) throw new ApiError(400, 'NO_TENANT', '链接缺少企业编码，请从企业微信或钉钉工作台打开', 'The link has no tenant; open the app from the WeCom or DingTalk workbench');
      code = 'demo';
    }
    rememberTenant(code);
    boot.tenant = info;
    if (session.current && session.current.tenant.code !== code) signOut();
    if (!session.current) {
      const loginCode = await adapter.loginCode(info);
      if (loginCode) {
        const deviceId = await adapter.deviceId();
        signIn(await api<LoginResult>('/auth/host-login', { method: 'POST', anonymous: true, body: { tenant: code, host: adapter.name, code: loginCode, ...(deviceId ? { deviceId } : {}) } }));
      } else if (info.devLogin) {
        boot.state = 'login';
        return;
      } else {
        throw new ApiError(401, 'NO_LOGIN', '请从企业微信或钉钉工作台打开本应用', 'Open the app from the WeCom or DingTalk workbench');
      }
    }
    await afterLogin();
  } catch (err) {
    boot.state = 'error';
    boot.error = err instanceof ApiError ? { zh: err.messageZh, en: err.messageEn } : { zh: `启动失败：${String(err)}`, en: `Start-up failed: ${String(err)}` };
  }
}

/** Registers the host's JS-API; a failure there must not lock the rep out (the browser adapter needs none). */
export async function afterLogin(): Promise<void> {
  const adapter = await host();
  if (boot.tenant) {
    await adapter.ready(boot.tenant, signerFor(adapter.name)).catch((err) => console.warn('host ready failed', err));
  }
  boot.state = 'ready';
}
