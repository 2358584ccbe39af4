// OUTSIDE_FENCE: the check-in was too far from the customer. Accuracy is credited up to a cap, so dense-city
// drift and indoor WiFi fixes pass, and that leniency is recorded rather than hidden.
import { distanceToPolygonM, haversineM } from '../geo.ts';
import { finding, fmt, note, nothing, outcome, type Rule } from '../findings.ts';
import { fixesOf } from '../fixes.ts';

export const outsideFence: Rule = (facts, _history, params) => {
  const checkIns = fixesOf(facts.fixes, 'checkin');
  const fixes = checkIns.length > 0 ? checkIns : fixesOf(facts.fixes, 'checkout');
  if (fixes.length === 0) return nothing();
  const { customer } = facts;
  const polygon = customer.polygon && customer.polygon.length >= 3 ? customer.polygon : undefined;
  const allowedM = customer.fenceRadiusM ?? (polygon ? params.polygonMarginM : params.fenceRadiusM);
  // The rep is judged on their best fix of the burst: the first fix after opening the app is often the worst.
  const best = fixes
    .map((fix) => {
      const distanceM = polygon ? distanceToPolygonM(fix, polygon) : haversineM(fix, customer.location);
      const creditM = Math.min(fix.accuracyM ?? 0, params.accuracyCapM);
      return { fix, distanceM, creditM, effectiveM: Math.max(0, distanceM - creditM) };
    })
    .sort((a, b) => a.effectiveM - b.effectiveM)[0]!;
  const { distanceM, creditM, effectiveM, fix } = best;
  const evidence = { visitId: facts.visitId, distanceM: Math.round(distanceM), ...(fix.accuracyM !== undefined ? { accuracyM: fix.accuracyM } : {}) };
  const place = polygon ? { zh: '门店范围', en: "the customer's outline" } : { zh: '客户位置', en: 'the customer' };

  if (effectiveM <= allowedM) {
    if (distanceM <= allowedM) return nothing();
    return outcome([], [note('ACCEPTED_BY_ACCURACY',
      `签到点距${place.zh} ${fmt.m(distanceM)} 米，超出 ${allowedM} 米围栏，因定位精度较差（${fmt.m(fix.accuracyM ?? 0)} 米）而放行`,
      `Checked in ${fmt.m(distanceM)} m from ${place.en}, beyond the ${allowedM} m fence; accepted only because the fix was coarse (accuracy ${fmt.m(fix.accuracyM ?? 0)} m)`,
      evidence)]);
  }
  // A rotating store code on a tablet can only be scanned on site: it outweighs a bad fix.
  if (facts.startedBy === 'qr' && facts.qr?.ok && facts.dynamicQr) {
    return outcome([], [note('PRESENCE_PROVEN_BY_QR',
      `签到点距${place.zh} ${fmt.m(distanceM)} 米，但扫描了门店的动态二维码，视为在店`,
      `Checked in ${fmt.m(distanceM)} m from ${place.en}, but the store's rotating code was scanned, which proves presence`,
      evidence)]);
  }
  // Up to twice the fence is where honest drift ends up: half the weight asks for a review, not a rejection.
  const nearMiss = effectiveM <= 2 * allowedM;
  const accuracy = fix.accuracyM === undefined ? { zh: '未报告定位精度', en: 'no accuracy reported' }
    : { zh: `定位精度 ${fmt.m(fix.accuracyM)} 米，已扣除 ${fmt.m(creditM)} 米`, en: `accuracy ${fmt.m(fix.accuracyM)} m, ${fmt.m(creditM)} m credited` };
  return outcome([finding('OUTSIDE_FENCE', params, {
    scale: nearMiss ? 0.5 : 1,
    measured: Math.round(effectiveM),
    threshold: allowedM,
    unit: 'm',
    zh: `签到点距${place.zh} ${fmt.m(distanceM)} 米（${accuracy.zh}），超出 ${allowedM} 米围栏`,
    en: `Checked in ${fmt.m(distanceM)} m from ${place.en} (${accuracy.en}), beyond the ${allowedM} m fence`,
    evidence,
  })]);
};
