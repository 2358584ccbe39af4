// One error type for everything a host (WeCom, DingTalk, the browser) can refuse, so pages act on a code
// ('cancelled' usually means "do nothing") and show a message in Chinese and English without knowing the host.
import type { HostName } from './host.ts';

export type HostErrorCode =
  | 'cancelled'
  | 'permissionDenied'
  | 'notConfigured'
  | 'notReady'
  | 'timeout'
  | 'unavailable'
  | 'failed';

export type HostOp = 'login' | 'config' | 'location' | 'camera' | 'scan';

type Text = readonly [zh: string, en: string];

const MESSAGES: Record<HostErrorCode, Partial<Record<HostOp, Text>> & { any: Text }> = {
  cancelled: {
    camera: ['已取消拍照', 'Photo cancelled'],
    scan: ['已取消扫码', 'Scan cancelled'],
    any: ['已取消', 'Cancelled'],
  },
  permissionDenied: {
    location: ['没有定位权限：请在手机设置中允许本应用使用位置信息，并打开定位服务',
      'Location permission denied: allow this app to use your location in the phone settings and turn location on'],
    camera: ['没有相机权限：请在手机设置中允许本应用使用相机', 'Camera permission denied: allow camera access in the phone settings'],
    any: ['没有权限，请在手机设置中允许后重试', 'Permission denied: allow it in the phone settings and try again'],
  },
  notConfigured: {
    any: ['当前企业尚未接入此平台，请联系管理员', 'Your company has not set up this messenger yet; ask your admin'],
  },
  notReady: {
    any: ['应用接口鉴权失败，请关闭后重新打开应用', 'The messenger refused this app (signature check failed); close and reopen it'],
  },
  timeout: {
    location: ['定位超时，请到开阔处后重试', 'Location timed out; move to an open spot and try again'],
    any: ['操作超时，请重试', 'Timed out; please try again'],
  },
  unavailable: {
    location: ['暂时无法获取位置，请打开 GPS 后重试', 'Your location is unavailable; turn on GPS and try again'],
    any: ['此设备不支持该功能', 'This device does not support this'],
  },
  failed: {
    login: ['登录失败，请重试', 'Login failed; please try again'],
    config: ['初始化失败，请检查网络后重新打开应用', 'Could not start the app; check the network and reopen it'],
    location: ['定位失败，请重试', 'Could not get your location; please try again'],
    camera: ['拍照失败，请重试', 'Could not take the photo; please try again'],
    scan: ['扫码失败，请重试', 'Could not scan the code; please try again'],
    any: ['操作失败，请重试', 'Something went wrong; please try again'],
  },
};

export class HostError extends Error {
  readonly code: HostErrorCode;
  readonly op: HostOp;
  readonly host: HostName;
  readonly zh: string;
  readonly en: string;
  /** The host's own words (errMsg / errorMessage), for support logs only. */
  readonly detail: string | undefined;

  constructor(code: HostErrorCode, op: HostOp, host: HostName, detail?: string) {
    const [zh, en] = MESSAGES[code][op] ?? MESSAGES[code].any;
    super(`${zh} / ${en}`);
    this.name = 'HostError';
    this.code = code;
    this.op = op;
    this.host = host;
    this.zh = zh;
    this.en = en;
    this.detail = detail;
  }

  /** The message in one language, for pages that show the current locale only. */
  text(locale: string): string {
    return locale.toLowerCase().startsWith('zh') ? this.zh : this.en;
  }
}

export function isCancelled(err: unknown): boolean {
  return err instanceof HostError && err.code === 'cancelled';
}
