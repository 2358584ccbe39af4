// Shared judgements about location fixes, so every rule spares coarse fixes the same way.
import type { AuthenticityParams } from './params.ts';
import type { Fix } from './types.ts';

/** WiFi and cell fixes are coarse and repeat exactly; identical coordinates from them prove nothing. */
export function isCoarse(fix: Fix): boolean {
  return fix.provider === 'wifi' || fix.provider === 'lbs' || fix.provider === 'network';
}

/** The fix claims the metre-level precision only GPS gives (WeCom reports no provider: accuracy must speak). */
export function claimsGpsGrade(fix: Fix, params: AuthenticityParams): boolean {
  return !isCoarse(fix) && fix.accuracyM !== undefined && fix.accuracyM <= params.frozenFixMaxAccuracyM;
}

export function byDeviceTime(fixes: readonly Fix[]): Fix[] {
  return [...fixes].sort((a, b) => a.deviceTime.getTime() - b.deviceTime.getTime());
}

export function fixesOf(fixes: readonly Fix[], phase: Fix['phase']): Fix[] {
  return byDeviceTime(fixes.filter((f) => f.phase === phase));
}

/** DingTalk answers from a 2-minute cache unless the client asked for `useCache: false`. */
export const DINGTALK_CACHE_MS = 2 * 60_000;

/** China has one time zone and no daylight saving: a calendar day there is UTC+8. */
export function chinaDay(d: Date): string {
  return new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);
}

export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
