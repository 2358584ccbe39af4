// IMPOSSIBLE_TRAVEL: between one of the rep's other visits and this one the rep would have had to move faster than
// any honest trip. Every visit of the rep checked in within the window before or after is measured, each pair of
// fixes (one of theirs, one of ours) in time order: a joint visit (协访) that overlaps the day sits next to this one
// in time, and measuring only from the previous visit would measure from it and miss a teleport from another.
// Both fixes' accuracy is credited (d_eff = max(0, d − acc1 − acc2)) and short hops are ignored, so coarse fixes in
// one city never trip it; the soft level is what expressways and high-speed rail stay under door to door, the
// strong level what even a flight between cities cannot reach.
import { haversineM, speedKmh } from '../geo.ts';
import { finding, fmt, nothing, outcome, type Rule } from '../findings.ts';
import { fixesOf, MINUTE_MS } from '../fixes.ts';
import type { AuthenticityParams } from '../params.ts';
import type { Fix, History, VisitFacts } from '../types.ts';

interface Leg { otherVisitId: string; from: Fix; to: Fix; fromOurs: boolean; distanceM: number; effectiveM: number; elapsedMs: number; kmh: number }

function leg(otherVisitId: string, from: Fix, to: Fix, fromOurs: boolean, elapsedMs: number): Leg {
  const distanceM = haversineM(from, to);
  const effectiveM = Math.max(0, distanceM - (from.accuracyM ?? 0) - (to.accuracyM ?? 0));
  // Phone times of the same rep; a gap under a minute (or a negative one) is taken as a minute.
  const elapsed = Math.max(elapsedMs, MINUTE_MS);
  return { otherVisitId, from, to, fromOurs, distanceM, effectiveM, elapsedMs: elapsed, kmh: speedKmh(effectiveM, elapsed) };
}

/** Every pair of one other visit's fix and one of ours, earlier fix first. */
function legsAround(facts: VisitFacts, history: History): Leg[] {
  const ours = facts.fixes;
  if (history.repVisitsNearby) {
    return history.repVisitsNearby.filter((v) => v.visitId !== facts.visitId).flatMap((v) => v.fixes.flatMap((theirs) => ours.map((mine) => {
      const fromOurs = mine.deviceTime.getTime() < theirs.deviceTime.getTime();
      const [from, to] = fromOurs ? [mine, theirs] : [theirs, mine];
      return leg(v.visitId, from, to, fromOurs, to.deviceTime.getTime() - from.deviceTime.getTime());
    })));
  }
  // Verdict inputs stored before repVisitsNearby: the previous visit's check-out to our first check-in.
  const previous = history.previousVisit;
  const here = fixesOf(ours, 'checkin')[0];
  if (!previous || !here) return [];
  return [leg(previous.visitId, previous.checkOutFix, here, false, here.deviceTime.getTime() - previous.checkOutFix.deviceTime.getTime())];
}

function worstLeg(facts: VisitFacts, history: History, params: AuthenticityParams): Leg | undefined {
  // Without a check-in fix there is no claim of where the rep was.
  if (fixesOf(facts.fixes, 'checkin').length === 0) return undefined;
  return legsAround(facts, history)
    .filter((l) => l.effectiveM > params.travelMinDistanceKm * 1000 && l.kmh > params.travelSpeedSoftKmh)
    .sort((a, b) => b.kmh - a.kmh)[0];
}

const PHASE = { checkin: { zh: '签到', en: 'check-in' }, checkout: { zh: '签退', en: 'check-out' } } as const;

export const impossibleTravel: Rule = (facts, history, params) => {
  const l = worstLeg(facts, history, params);
  if (!l) return nothing();
  const strong = l.kmh > params.travelSpeedHardKmh;
  const minutes = Math.round(l.elapsedMs / MINUTE_MS);
  const kmh = l.kmh;
  const [a, b] = l.fromOurs
    ? [{ zh: `本次拜访${PHASE[l.from.phase].zh}`, en: `this visit's ${PHASE[l.from.phase].en}` }, { zh: `拜访（${l.otherVisitId}）${PHASE[l.to.phase].zh}`, en: `the ${PHASE[l.to.phase].en} of visit ${l.otherVisitId}` }]
    : [{ zh: `拜访（${l.otherVisitId}）${PHASE[l.from.phase].zh}`, en: `the ${PHASE[l.from.phase].en} of visit ${l.otherVisitId}` }, { zh: `本次拜访${PHASE[l.to.phase].zh}`, en: `this visit's ${PHASE[l.to.phase].en}` }];
  const trip = {
    zh: `从${a.zh}到${b.zh}，${minutes} 分钟内至少移动了 ${fmt.km(l.effectiveM)} 公里（直线 ${fmt.km(l.distanceM)} 公里，已扣除定位误差），折合 ${fmt.int(kmh)} 公里/小时`,
    en: `From ${a.en} to ${b.en} the rep covered at least ${fmt.km(l.effectiveM)} km (${fmt.km(l.distanceM)} km straight, fix accuracy credited) in ${minutes} min: ${fmt.int(kmh)} km/h`,
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
    evidence: { visitId: facts.visitId, otherVisitId: l.otherVisitId, distanceM: Math.round(l.distanceM), speedKmh: Math.round(kmh), minutes },
  })]);
};
