// WeCom (企业微信) adapter over @wecom/jssdk, which talks to the client through window.WeixinJSBridge.invoke.
// Login is WeCom's web OAuth: a redirect to open.weixin.qq.com that comes back with ?code=&state=.
// The JS-API is unlocked by ww.register: the SDK asks us to sign the page URL and sends the signature itself
// (agentConfig alone on WeCom ≥ 3.0.24, config then agentConfig on older clients).
import * as ww from '@wecom/jssdk';
import type { CapturedPhoto, Fix, HostAdapter, Signer, TenantBootstrap } from './host.ts';
import { HostError, type HostErrorCode, type HostOp } from './host-error.ts';
import { installId, randomToken } from './local-ids.ts';
import { blobFromBase64, makeFix } from './readings.ts';

export const WECOM_OAUTH_URL = 'https://open.weixin.qq.com/connect/oauth2/authorize';
const OAUTH_KEY = 'fv.wecomOAuth';
const JS_API_LIST = ['getLocation', 'chooseImage', 'getLocalImgData', 'uploadImage', 'scanQRCode'];

interface SavedOAuth { state: string; hash: string }

function wecomOf(boot: TenantBootstrap, op: HostOp): { corpId: string; agentId: string } {
  if (!boot.wecom) throw new HostError('notConfigured', op, 'wecom');
  return boot.wecom;
}

/** The SDK rejects with the client's result object ({ errMsg: 'api:keyword', errCode }) or an SDK Error. */
function errMsgOf(err: unknown): string | undefined {
  if (typeof err === 'object' && err !== null && 'errMsg' in err) return String(err.errMsg);
  return undefined;
}

function toHostError(err: unknown, op: HostOp): HostError {
  if (err instanceof HostError) return err;
  const msg = errMsgOf(err) ?? (err instanceof Error ? err.message : String(err));
  const keyword = msg.slice(msg.indexOf(':') + 1).toLowerCase();
  let code: HostErrorCode = 'failed';
  if (keyword.includes('cancel')) code = 'cancelled';
  // The SDK rewrites "access denied" / "no permission to execute" to "permission denied": the JS-API itself was
  // refused (not in jsApiList, bad signature), unlike a user or the OS refusing location or camera.
  else if (keyword === 'permission denied' || /signature|config|not match/.test(keyword)) code = 'notReady';
  else if (/den(y|ied)|authori[sz]|not allow|permission/.test(keyword)) code = 'permissionDenied';
  return new HostError(code, op, 'wecom', msg);
}

async function call<T>(op: HostOp, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toHostError(err, op);
  }
}

function readSavedOAuth(): SavedOAuth | undefined {
  try {
    const raw = sessionStorage.getItem(OAUTH_KEY);
    sessionStorage.removeItem(OAUTH_KEY);
    return raw ? (JSON.parse(raw) as SavedOAuth) : undefined;
  } catch {
    return undefined;
  }
}

/** Takes ?code=&state= off the address bar (a reload must not replay a used code) and puts back the saved route. */
function consumeOAuthReturn(url: URL, saved: SavedOAuth | undefined): void {
  url.searchParams.delete('code');
  url.searchParams.delete('state');
  if (saved?.hash && !url.hash) url.hash = saved.hash;
  history.replaceState(history.state, '', url.toString());
}

function redirectToOAuth(url: URL, corpId: string, agentId: string): Promise<never> {
  const state = randomToken(16);
  // WeCom mangles a redirect_uri that contains '#', so the hash route travels in sessionStorage instead.
  sessionStorage.setItem(OAUTH_KEY, JSON.stringify({ state, hash: url.hash } satisfies SavedOAuth));
  url.hash = '';
  const target = `${WECOM_OAUTH_URL}?appid=${encodeURIComponent(corpId)}`
    + `&redirect_uri=${encodeURIComponent(url.toString())}&response_type=code&scope=snsapi_base`
    + `&state=${state}&agentid=${encodeURIComponent(agentId)}#wechat_redirect`;
  location.assign(target);
  return new Promise<never>(() => undefined); // the page is going away
}

export const wecomHost: HostAdapter = {
  name: 'wecom',

  async loginCode(boot) {
    const { corpId, agentId } = wecomOf(boot, 'login');
    const url = new URL(location.href);
    const code = url.searchParams.get('code');
    if (!code) return redirectToOAuth(url, corpId, agentId);
    const state = url.searchParams.get('state');
    const saved = readSavedOAuth();
    consumeOAuthReturn(url, saved);
    // A code we did not ask for (a forwarded link, a forged redirect) must not log this phone in.
    if (!saved || saved.state !== state) throw new HostError('failed', 'login', 'wecom', 'OAuth state mismatch');
    return code;
  },

  async ready(boot: TenantBootstrap, sign: Signer) {
    const { corpId, agentId } = wecomOf(boot, 'config');
    ww.register({
      corpId,
      agentId,
      jsApiList: JS_API_LIST,
      getConfigSignature: (url) => sign('corp', url),
      getAgentConfigSignature: (url) => sign('agent', url),
    });
    try {
      await ww.ensureConfigReady();
    } catch (err) {
      // Our own signer's errors (offline, session expired) keep their type so the app can handle them.
      if (errMsgOf(err) === undefined && !(err instanceof Error && err.message.startsWith('SDK Error'))) throw err;
      throw toHostError(err, 'config');
    }
  },

  async locate(): Promise<Fix> {
    const res = await call('location', () => ww.getLocation({ type: ww.LocationType.gcj02 }));
    // WeCom has no mock-location flag and always reports speed 0, so neither is passed on.
    return makeFix('wecom', { lng: res.longitude, lat: res.latitude, accuracy: res.accuracy }, { system: 'GCJ02' });
  },

  async takePhoto(): Promise<CapturedPhoto> {
    const chosen = await call('camera', () => ww.chooseImage({
      count: 1,
      sizeType: [ww.SizeType.original],
      sourceType: [ww.SourceType.camera],
      isSaveToAlbum: false,
    }));
    const deviceTime = new Date().toISOString();
    const localId = chosen.localIds?.[0];
    if (!localId) throw new HostError('cancelled', 'camera', 'wecom', 'no localId');
    try {
      const { localData } = await ww.getLocalImgData({ localId });
      return { kind: 'blob', blob: blobFromBase64(localData), source: 'camera', deviceTime };
    } catch {
      // Older Android clients lack getLocalImgData: WeCom keeps the photo 3 days as media for the server to fetch.
      const { serverId } = await call('camera', () => ww.uploadImage({ localId, isShowProgressTips: true }));
      if (!serverId) throw new HostError('failed', 'camera', 'wecom', 'uploadImage returned no serverId');
      return { kind: 'hostMedia', host: 'wecom', mediaId: serverId, source: 'camera', deviceTime };
    }
  },

  async scan() {
    try {
      const res = await ww.scanQRCode({ needResult: true, scanType: [ww.ScanQRCodeType.qrCode] });
      const text = res.resultStr?.trim();
      if (!text) throw new HostError('failed', 'scan', 'wecom', 'empty resultStr');
      return text;
    } catch (err) {
      const error = toHostError(err, 'scan');
      if (error.code === 'cancelled') return null;
      throw error;
    }
  },

  // WeCom gives an H5 page no device id: a persisted random install id still links visits made on one phone.
  async deviceId() {
    return installId();
  },
};
