// DingTalk (钉钉) adapter over dingtalk-jsapi. The SDK picks its bridge from the user agent: on Android H5 it is
// window.nuva.require() (a function taking success, fail, service, action, params), on iOS H5
// window.WebViewJavascriptBridge.callHandler(api, params, cb). dd.config sends the server's signature as
// runtime.permission.requestJsApis; it can run once per page, and dd.ready only waits for it when called after it.
import * as dd from 'dingtalk-jsapi';
import type { CapturedPhoto, Fix, HostAdapter, Signer, TenantBootstrap } from './host.ts';
import { HostError, type HostErrorCode, type HostOp } from './host-error.ts';
import { makeFix } from './readings.ts';

// dingtalk-jsapi registers biz.util.scan twice (dd.biz.util.scan and the union dd.scan) and the union's parameter
// rewrite wins: any type but 'qr'/'bar' goes to the client as 'all'. Our parameters are sent as written instead.
dd.devConfig({ disbaleDealApiWhiteList: ['biz.util.scan'] });

// Names as dd.config wants them: without the "dd." prefix. biz.util.chooseImage is not used (see takePhoto).
const JS_API_LIST = ['device.geolocation.get', 'biz.util.uploadImageFromCamera', 'biz.util.scan', 'device.base.getUUID'];

/** DingTalk rejects with { errorCode, errorMessage }; '-1' is the user cancelling, '7' a JS-API not granted. */
function toHostError(err: unknown, op: HostOp): HostError {
  if (err instanceof HostError) return err;
  const obj = typeof err === 'object' && err !== null ? (err as Record<string, unknown>) : {};
  const errorCode = obj.errorCode === undefined ? undefined : String(obj.errorCode);
  const message = String(obj.errorMessage ?? obj.message ?? err);
  let code: HostErrorCode = 'failed';
  if (errorCode === '-1') code = 'cancelled';
  else if (errorCode === '7' || op === 'config') code = 'notReady';
  else if (/权限|授权|permission|denied|not allow/i.test(message)) code = 'permissionDenied';
  else if (/超时|timeout/i.test(message)) code = 'timeout';
  return new HostError(code, op, 'dingtalk', `${errorCode ?? ''} ${message}`.trim());
}

async function call<T>(op: HostOp, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    throw toHostError(err, op);
  }
}

function dingtalkOf(boot: TenantBootstrap, op: HostOp): { corpId: string; agentId: string } {
  if (!boot.dingtalk) throw new HostError('notConfigured', op, 'dingtalk');
  return boot.dingtalk;
}

function olderThan(version: string, than: string): boolean {
  const a = version.split('.').map((p) => parseInt(p, 10) || 0);
  const b = than.split('.').map((p) => parseInt(p, 10) || 0);
  for (let i = 0; i < Math.max(a.length, b.length); i += 1) {
    if ((a[i] ?? 0) !== (b[i] ?? 0)) return (a[i] ?? 0) < (b[i] ?? 0);
  }
  return false;
}

/** coordinate:1 asks for AMap (GCJ-02); iOS clients before 2.7.6 ignore it and answer in WGS-84. */
function coordinateSystem(): Fix['system'] {
  const { platform, version } = dd.env;
  return platform === 'ios' && version && olderThan(version, '2.7.6') ? 'WGS84' : 'GCJ02';
}

let configured: Promise<void> | undefined;
let configSent = false;
let deviceUuid: string | undefined;

async function configure(boot: TenantBootstrap, sign: Signer): Promise<void> {
  const { corpId, agentId } = dingtalkOf(boot, 'config');
  const s = await sign('corp', location.href.split('#')[0] ?? location.href);
  configSent = true;
  await new Promise<void>((resolve, reject) => {
    dd.config({
      agentId,
      corpId,
      timeStamp: s.timestamp,
      nonceStr: s.nonceStr,
      signature: s.signature,
      type: 0,
      jsApiList: JS_API_LIST,
    });
    dd.ready(() => resolve());
    dd.error((err: unknown) => reject(toHostError(err, 'config')));
  });
}

export const dingtalkHost: HostAdapter = {
  name: 'dingtalk',

  async loginCode(boot) {
    const { corpId } = dingtalkOf(boot, 'login');
    // requestAuthCode needs no dd.config; the code is single-use and lives 5 minutes.
    const { code } = await call('login', () => dd.runtime.permission.requestAuthCode({ corpId }));
    if (!code) throw new HostError('failed', 'login', 'dingtalk', 'no code');
    return code;
  },

  ready(boot, sign) {
    // A failed signature cannot be retried in this page (the SDK ignores a second dd.config), a failed sign() can.
    configured ??= configure(boot, sign).catch((err: unknown) => {
      if (!configSent) configured = undefined;
      throw err;
    });
    return configured;
  },

  async locate(): Promise<Fix> {
    const res = await call('location', () => dd.device.geolocation.get({
      targetAccuracy: 50,
      coordinate: 1,
      withReGeocode: false,
      useCache: false, // the client otherwise answers from a 2-minute cache
    }));
    // Android clients ≤ 2.1 nested the reading under `location`.
    const r = (res as { location?: typeof res }).location ?? res;
    const provider = r.provider === 'gps' || r.provider === 'wifi' || r.provider === 'lbs' ? r.provider : 'unknown';
    const mock = r.isFromMock as unknown;
    return makeFix('dingtalk', { lng: r.longitude, lat: r.latitude, accuracy: r.accuracy }, {
      system: coordinateSystem(),
      provider,
      uncached: true, // asked with useCache: false above: the server must not excuse a repeat as the cache
      ...(typeof mock === 'boolean' ? { isMock: mock } : mock === 'true' || mock === 'false' ? { isMock: mock === 'true' } : {}),
    });
  },

  /**
   * Camera only, through biz.util.uploadImageFromCamera: DingTalk opens the camera, uploads the shot to its CDN and
   * returns the URL, which the server downloads. biz.util.chooseImage({ sourceType: ['camera'] }) returns local
   * paths that an H5 page cannot read into bytes (only biz.util.uploadFile, client ≥ 6.5.27, can post them on).
   */
  async takePhoto(): Promise<CapturedPhoto> {
    const urls = await call('camera', () => dd.biz.util.uploadImageFromCamera({ compression: true, quality: 85 }));
    const url = Array.isArray(urls) ? urls[0] : undefined;
    if (typeof url !== 'string' || !/^https?:\/\//.test(url)) throw new HostError('failed', 'camera', 'dingtalk', 'no image url');
    return { kind: 'hostMedia', host: 'dingtalk', url, source: 'camera', deviceTime: new Date().toISOString() };
  },

  async scan() {
    try {
      const res: unknown = await dd.biz.util.scan({ type: 'qrCode' });
      const text = typeof res === 'string' ? res : (res as { text?: unknown } | null)?.text;
      if (typeof text !== 'string' || !text.trim()) throw new HostError('failed', 'scan', 'dingtalk', 'empty scan result');
      return text.trim();
    } catch (err) {
      const error = toHostError(err, 'scan');
      if (error.code === 'cancelled') return null;
      throw error;
    }
  },

  /** DingTalk's per-install UUID (changes on reinstall); a missing one never blocks a visit. */
  async deviceId() {
    if (deviceUuid) return deviceUuid;
    try {
      const { uuid } = await dd.device.base.getUUID({});
      if (typeof uuid === 'string' && uuid) deviceUuid = uuid.slice(0, 100);
    } catch {
      // not granted or an old client: the visit goes on without it
    }
    return deviceUuid;
  },
};
