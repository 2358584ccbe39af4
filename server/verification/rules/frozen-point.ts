// FROZEN_POINT: a burst of fixes that never moves while claiming GPS-grade accuracy. Real GPS jitters by metres;
// a mock app repeats its point. WiFi/cell fixes, coarse fixes and DingTalk's 2-minute cache repeat honestly.
import { sameCoordinates } from '../geo.ts';
import { finding, note, nothing, outcome, type Rule } from '../findings.ts';
import { claimsGpsGrade, DINGTALK_CACHE_MS, fixesOf } from '../fixes.ts';
import type { Fix } from '../types.ts';

/** The longest run of consecutive fixes (by phone time) on exactly the same coordinates. */
function longestIdenticalRun(fixes: Fix[]): Fix[] {
  let best: Fix[] = [];
  let run: Fix[] = [];
  for (const fix of fixes) {
    run = run.length > 0 && sameCoordinates(run[0]!, fix) ? [...run, fix] : [fix];
    if (run.length > best.length) best = run;
  }
  return best;
}

export const frozenPoint: Rule = (facts, _history, params) => {
  for (const phase of ['checkin', 'checkout'] as const) {
    const run = longestIdenticalRun(fixesOf(facts.fixes, phase));
    if (run.length < params.frozenFixMinCount) continue;
    const spanMs = run.at(-1)!.deviceTime.getTime() - run[0]!.deviceTime.getTime();
    if (spanMs < params.frozenMinSpanSeconds * 1000) continue;
    if (!run.every((f) => claimsGpsGrade(f, params))) continue;
    const seconds = Math.round(spanMs / 1000);
    if (run.some((f) => f.host === 'dingtalk' && !f.uncached) && spanMs <= DINGTALK_CACHE_MS) {
      return outcome([], [note('DINGTALK_CACHED_FIX',
        `${run.length} 次定位坐标完全相同，钉钉会缓存 2 分钟内的定位，不计为异常`,
        `${run.length} fixes were identical; DingTalk caches a fix for 2 minutes, so this is not held against the rep`,
        { visitId: facts.visitId })]);
    }
    const accuracyM = Math.max(...run.map((f) => f.accuracyM ?? 0));
    return outcome([finding('FROZEN_POINT', params, {
      measured: run.length,
      threshold: params.frozenFixMinCount,
      unit: 'fixes',
      zh: `${run.length} 次定位在 ${seconds} 秒内坐标完全不变，却声称 ${accuracyM} 米精度；真实 GPS 总有几米漂移，这像是虚拟定位`,
      en: `${run.length} fixes over ${seconds} s never moved while claiming ${accuracyM} m accuracy; real GPS always drifts a few metres, this looks like a fake location app`,
      evidence: { visitId: facts.visitId, accuracyM },
    })]);
  }
  return nothing();
};
