// IMPOSSIBLE_TRAVEL: from the previous visit's check-out to this check-in the rep would have had to move faster than
// any honest trip. Both fixes' accuracy is credited (d_eff = max(0, d − acc1 − acc2)) and short hops are ignored,
// so coarse fixes in one city never trip it; the soft level is what expressways and high-speed rail stay under
// door to door, the strong level what even a flight between cities cannot reach.
import { haversineM, speedKmh } from '../geo.ts';
import { finding, fmt, nothing, outcome, type Rule } from '../findings.ts';
import { fixesOf, MINUTE_MS } from '../fixes.ts';

export const impossibleTravel: Rule = (facts, history, params) => {
  const previous = history.previousVisit;
  const here = fixesOf(facts.fixes, 'checkin')[0];
  if (!previous || !here) return nothing();
  const there = previous.checkOutFix;
  const distanceM = haversineM(there, here);
  const effectiveM = Math.max(0, distanceM - (there.accuracyM ?? 0) - (here.accuracyM ?? 0));
  if (effectiveM <= params.travelMinDistanceKm * 1000) return nothing();
  // Phone times of the same rep's two visits; a gap under a minute (or a negative one) is taken as a minute.
  const elapsedMs = Math.max(here.deviceTime.getTime() - there.deviceTime.getTime(), MINUTE_MS);
  const kmh = speedKmh(effectiveM, elapsedMs);
  if (kmh <= params.travelSpeedSoftKmh) return nothing();
  const strong = kmh > params.travelSpeedHardKmh;
  const minutes = Math.round(elapsedMs / MINUTE_MS);
  const trip = {
    zh: `从上一次拜访（${previous.visitId}）签退到本次签到，${minutes} 分钟内至少移动了 ${fmt.km(effectiveM)} 公里（直线 ${fmt.km(distanceM)} 公里，已扣除定位误差），折合 ${fmt.int(kmh)} 公里/小时`,
    en: `From the check-out of the previous visit (${previous.visitId}) to this check-in the rep covered at least ${fmt.km(effectiveM)} km (${fmt.km(distanceM)} km straight, fix accuracy credited) in ${minutes} min: ${fmt.int(kmh)} km/h`,
  };
  return outcome([finding('IMPOSSIBLE_TRAVEL', params, {
    scale: strong ? 1 : 0.5,
    measured: Math.round(kmh),
    threshold: strong ? params.travelSpeedHardKmh : params.travelSpeedSoftKmh,
    unit: 'km/h',
    zh: strong ? `${trip.zh}，超过 ${params.travelSpeedHardKmh} 公里/小时，任何交通方式都无法做到`
      : `${trip.zh}，超过 ${params.travelSpeedSoftKmh} 公里/小时；仅高铁或航班可能做到，请核实`,
    en: strong ? `${trip.en}, above ${params.travelSpeedHardKmh} km/h, which no means of transport achieves door to door`
      : `${trip.en}, above ${params.travelSpeedSoftKmh} km/h; only high-speed rail or a flight could do it, please confirm`,
    evidence: { visitId: facts.visitId, otherVisitId: previous.visitId, distanceM: Math.round(distanceM), speedKmh: Math.round(kmh), minutes },
  })]);
};
