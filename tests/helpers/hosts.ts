// The real app wired to fake WeCom and DingTalk servers (base URLs and secrets through config, as in production).
import { startFakeWecom, type FakeWecom } from '../fakes/wecom-server.ts';
import { startFakeDingtalk, type FakeDingtalk } from '../fakes/dingtalk-server.ts';
import { createTestApp, type TestApp } from './test-app.ts';
import type { Config } from '../../server/config.ts';

/** The origin the mini-app is served from in these tests (the only one the server signs pages for). */
export const PAGE_ORIGIN = 'https://visits.example.com';
export const WECOM_AGENT = '1000002';
export const DINGTALK_AGENT = '300001';

export interface HostTestApp { t: TestApp; wecom: FakeWecom; dingtalk: FakeDingtalk; close(): Promise<void> }

/** `withSecrets`: tenant codes whose secrets the server knows (others are connected but unusable). */
export async function hostTestApp(withSecrets: string[], overrides: Partial<Config> = {}): Promise<HostTestApp> {
  const wecom = await startFakeWecom();
  const dingtalk = await startFakeDingtalk();
  const hostSecrets = Object.fromEntries(withSecrets.map((code) => [code, { wecom: { secret: wecom.secret }, dingtalk: { appSecret: dingtalk.appSecret } }]));
  const t = await createTestApp({
    wecomApiBase: wecom.url, dingtalkOapiBase: dingtalk.url, dingtalkMediaHosts: [dingtalk.url], jsapiOrigins: [PAGE_ORIGIN],
    hostSecrets, hostTimeoutMs: 3000, ...overrides,
  });
  return {
    t, wecom, dingtalk,
    async close() {
      await t.close();
      await wecom.close();
      await dingtalk.close();
    },
  };
}

/** Stores a tenant's public host settings (what an operator configures per tenant). */
export async function connectTenant(h: HostTestApp, code: string, autoProvision: { wecom?: boolean; dingtalk?: boolean } = {}): Promise<void> {
  await h.t.models.Tenant.updateOne({ code }, { $set: {
    host: 'wecom',
    hosts: {
      wecom: { corpId: h.wecom.corpId, agentId: WECOM_AGENT, autoProvision: autoProvision.wecom ?? false },
      dingtalk: { corpId: 'ding-corp-1', agentId: DINGTALK_AGENT, clientId: h.dingtalk.appKey, autoProvision: autoProvision.dingtalk ?? false },
    },
  } });
}
