// One place that turns "this tenant, this host" into a ready client: settings from the tenant, the secret from
// config, one token cache and one HTTP instance per host for the whole process (so tokens are shared across requests).
import axios from 'axios';
import type { Config } from '../config.ts';
import { AppError, fieldError } from '../http/errors.ts';
import { hostHttp, type HostName } from './common/host-http.ts';
import { TokenCache } from './common/token-cache.ts';
import { newNonce, nowSeconds, type JsApiConfig } from './common/jsapi.ts';
import type { HostDirectory, HostIdentity, HostUser } from './common/directory.ts';
import { wecomClient, type TicketKind, type WecomClient } from './wecom/wecom.client.ts';
import { wecomSignature } from './wecom/wecom.signature.ts';
import { dingtalkClient, type DingtalkClient } from './dingtalk/dingtalk.client.ts';
import { dingtalkSignature } from './dingtalk/dingtalk.signature.ts';
import { dingtalkSettings, wecomSettings, type TenantHostFields } from './host-settings.ts';

/** What login, signing and directory sync need of a host, whichever it is. */
export interface HostApp {
  host: HostName;
  corpId: string;
  agentId: string;
  autoProvision: boolean;
  userFromCode(code: string): Promise<HostIdentity>;
  user(userId: string): Promise<HostUser>;
  directory(): Promise<HostDirectory>;
  /** DingTalk has one ticket; `kind` matters for WeCom only. */
  sign(kind: TicketKind, url: string): Promise<JsApiConfig>;
}

function notConfigured(host: HostName, missing: 'settings' | 'secret'): AppError {
  const [zh, en] = missing === 'settings'
    ? ['该企业未配置此平台的企业 ID 与应用', 'The tenant has no corp id and app for this host']
    : ['服务器未配置该企业此平台的应用密钥', 'The server has no app secret for this tenant and host'];
  return new AppError('HOST_NOT_CONFIGURED', [fieldError('/host', missing === 'settings' ? 'NOT_CONFIGURED' : 'SECRET_MISSING', `${zh}（${host}）`, `${en} (${host})`)]);
}

export function hostApps(config: Config, tokens: TokenCache = new TokenCache()) {
  const wecomHttp = hostHttp(config.wecomApiBase, config.hostTimeoutMs);
  const dingtalkHttp = hostHttp(config.dingtalkOapiBase, config.hostTimeoutMs);
  const mediaHttp = axios.create({ timeout: config.hostTimeoutMs, maxRedirects: 0 });
  const mediaMaxBytes = config.photoMaxBytes;

  function wecom(tenant: TenantHostFields): { settings: NonNullable<ReturnType<typeof wecomSettings>>; client: WecomClient } {
    const settings = wecomSettings(tenant);
    if (!settings) throw notConfigured('wecom', 'settings');
    const secret = config.hostSecrets[tenant.code]?.wecom?.secret;
    if (!secret) throw notConfigured('wecom', 'secret');
    return { settings, client: wecomClient({ corpId: settings.corpId, agentId: settings.agentId, secret }, { http: wecomHttp, tokens, mediaMaxBytes }) };
  }

  function dingtalk(tenant: TenantHostFields): { settings: NonNullable<ReturnType<typeof dingtalkSettings>>; client: DingtalkClient } {
    const settings = dingtalkSettings(tenant);
    if (!settings) throw notConfigured('dingtalk', 'settings');
    const appSecret = config.hostSecrets[tenant.code]?.dingtalk?.appSecret;
    if (!appSecret) throw notConfigured('dingtalk', 'secret');
    return {
      settings,
      client: dingtalkClient({ ...settings, appSecret }, { http: dingtalkHttp, media: mediaHttp, tokens, mediaMaxBytes, mediaHosts: config.dingtalkMediaHosts }),
    };
  }

  function app(tenant: TenantHostFields, host: HostName): HostApp {
    const timestampAndNonce = () => ({ timestamp: nowSeconds(), nonceStr: newNonce() });
    if (host === 'wecom') {
      const { settings, client } = wecom(tenant);
      return {
        host, ...settings, userFromCode: client.userFromCode, user: client.user, directory: client.directory,
        async sign(kind, url) {
          const ticket = await client.jsapiTicket(kind);
          const t = timestampAndNonce();
          return { ...t, signature: wecomSignature({ ticket, url, ...t }) };
        },
      };
    }
    const { settings, client } = dingtalk(tenant);
    return {
      host, ...settings, userFromCode: client.userFromCode, user: client.user, directory: client.directory,
      async sign(_kind, url) {
        const ticket = await client.jsapiTicket();
        const t = timestampAndNonce();
        return { ...t, signature: dingtalkSignature({ ticket, url, ...t }) };
      },
    };
  }

  return { wecom, dingtalk, app, tokens };
}

export type HostApps = ReturnType<typeof hostApps>;
