// Words for the review screens: the authenticity rules and notes (server/verification: codes stay on the wire,
// people read names), bands, call-back outcomes, units and times in China time. Chinese first.
import { tr } from '../tr.ts';
import type { Band, CallbackOutcome, Visit } from '../types/visits.ts';

const REASONS: Record<string, [string, string]> = {
  OUTSIDE_FENCE: ['不在电子围栏内', 'Outside the fence'],
  FROZEN_POINT: ['定位冻结不动', 'Frozen location'],
  EXACT_STORE_POINT: ['定位与门店坐标完全重合', 'Exactly on the store point'],
  COORDINATES_REPLAYED: ['坐标重放', 'Coordinates replayed'],
  IMPOSSIBLE_TRAVEL: ['不可能的移动速度', 'Impossible travel'],
  HOST_MOCK_FLAG: ['虚拟定位', 'Mock location'],
  PHOTO_SAME_FILE: ['照片与以前的完全相同', 'Same photo file as before'],
  PHOTO_REUSED: ['照片重复使用', 'Photo re-used'],
  PHOTO_OLD_OR_ELSEWHERE: ['照片过旧或非现场拍摄', 'Old photo or taken elsewhere'],
  PHOTO_NOT_CAMERA: ['非现场拍摄（相册/截图）', 'Not taken with the camera'],
  PROXY_CHECK_IN: ['疑似代打卡', 'Possible proxy check-in'],
  STAY_TOO_SHORT: ['在店时间不足', 'Stay too short'],
  LATE_REPORT: ['超时填报', 'Late report'],
  CLOCK_SKEW: ['手机时间异常', 'Phone clock off'],
  SAME_CONTACT: ['连续只拜访同一联系人', 'Always the same contact'],
  QR_INVALID: ['门头二维码无效', 'Invalid store code'],
};

const NOTES: Record<string, [string, string]> = {
  ACCEPTED_BY_ACCURACY: ['因定位精度放行', 'Accepted for coarse accuracy'],
  PRESENCE_PROVEN_BY_QR: ['动态码证明在店', 'Presence proven by rotating code'],
  DINGTALK_CACHED_FIX: ['钉钉缓存定位', 'DingTalk cached fix'],
  STORE_POINT_FROM_THIS_PHONE: ['门店坐标由本机采集', 'Store point captured by this phone'],
  COORDINATES_REPEATED_COARSE: ['粗定位重复', 'Coarse fix repeated'],
  PHOTO_SIMILAR_SAME_CUSTOMER: ['同店相似照片', 'Similar photo at the same store'],
  PHOTO_SIMILAR_LOW_DETAIL: ['画面信息少的相似照片', 'Similar low-detail photo'],
  SCREENSHOT_DURING_VISIT: ['拜访中有截屏', 'Screenshot during the visit'],
  JOINT_VISIT_SAME_FIX: ['协访同点', 'Joint visit, same spot'],
  OWN_PHONE_SHARED: ['本人手机曾被他人使用', 'Own phone, used by another rep'],
  QR_SCANNED_OFFLINE: ['动态码离线扫描', 'Rotating code scanned offline'],
  NO_CHECK_OUT: ['未签退', 'No check-out'],
  OFFLINE_LAG: ['离线延迟上传', 'Uploaded late (offline)'],
};

const UNITS: Record<string, [string, string]> = {
  m: ['米', 'm'], 'km/h': ['公里/小时', 'km/h'], min: ['分钟', 'min'], h: ['小时', 'h'], bits: ['位', 'bits'], '%': ['%', '%'],
  fixes: ['个定位', 'fixes'], photos: ['张照片', 'photos'], visits: ['次拜访', 'visits'], contacts: ['位联系人', 'contacts'], flag: ['', ''],
};

export const reasonName = (code: string): string => { const n = REASONS[code] ?? NOTES[code]; return n ? tr(n[0], n[1]) : code; };
export const unitWord = (unit: string): string => { const u = UNITS[unit]; return u ? tr(u[0], u[1]) : unit; };

/** "实测 1,068 公里/小时（阈值 400）" — the measured value beside the threshold, as a reviewer compares them. */
export function measuredText(r: { measured: number; threshold: number; unit: string }): string {
  if (r.unit === 'flag') return tr('已触发', 'Raised');
  const n = (x: number) => (Math.round(x * 10) / 10).toLocaleString('en-US');
  return tr(`实测 ${n(r.measured)} ${unitWord(r.unit)}（阈值 ${n(r.threshold)}）`, `Measured ${n(r.measured)} ${unitWord(r.unit)} (threshold ${n(r.threshold)})`);
}

export const bandName = (b: Band | null | undefined): string =>
  b === 'green' ? tr('绿灯', 'Green') : b === 'yellow' ? tr('黄灯', 'Yellow') : b === 'red' ? tr('红灯', 'Red') : tr('未评估', 'Not rated');

export const outcomeName = (o: CallbackOutcome | null | undefined): string =>
  o === 'confirmed' ? tr('属实', 'Confirmed') : o === 'denied' ? tr('不属实', 'Denied') : o === 'unreachable' ? tr('未接通', 'Unreachable') : tr('待回访', 'To call');

const OFFSET_MS = 8 * 3_600_000;
/** "11-20 10:05" in China time, whatever the browser's zone. */
export function chinaTime(iso: string | null | undefined, withDate = true): string {
  if (!iso) return '—';
  const s = new Date(new Date(iso).getTime() + OFFSET_MS).toISOString();
  return withDate ? `${s.slice(5, 10)} ${s.slice(11, 16)}` : s.slice(11, 19);
}

/** YYYY-MM-DD of now in China time. */
export const chinaToday = (): string => new Date(Date.now() + OFFSET_MS).toISOString().slice(0, 10);

/** Minutes between check-in and check-out, or null while the visit is open. */
export function stayMinutes(v: Pick<Visit, 'checkIn' | 'checkOut'>): number | null {
  if (!v.checkIn || !v.checkOut) return null;
  return Math.round((new Date(v.checkOut.deviceTime).getTime() - new Date(v.checkIn.deviceTime).getTime()) / 60_000);
}

export function lagText(seconds: number | null): string {
  if (seconds === null) return '—';
  if (seconds < 120) return tr(`${Math.max(0, seconds)} 秒`, `${Math.max(0, seconds)} s`);
  if (seconds < 7200) return tr(`${Math.round(seconds / 60)} 分钟`, `${Math.round(seconds / 60)} min`);
  return tr(`${(seconds / 3600).toFixed(1)} 小时`, `${(seconds / 3600).toFixed(1)} h`);
}

/** The counted reasons, largest deduction first (the verdict is already in that order). */
export function topReasons(v: Pick<Visit, 'verdict'>, n = 2): string[] {
  return (v.verdict?.reasons ?? []).filter((r) => r.counted !== false).slice(0, n).map((r) => reasonName(r.code));
}

export const auditActionName = (a: string): string => ({
  approve: tr('确认机器结论', 'Confirmed the machine verdict'),
  override: tr('改判', 'Overrode'),
  sendToCallback: tr('转电话回访', 'Sent to call-back'),
  callback: tr('回访结果', 'Call-back outcome'),
  appeal: tr('业务员申诉', 'Rep appealed'),
  appealDecision: tr('申诉处理', 'Appeal decided'),
} as Record<string, string>)[a] ?? a;
