// EXACT_STORE_POINT: a GPS-grade fix within a metre or two of the stored customer point. Real GPS never lands
// there by chance; a mock app fed the customer's coordinates does. Spared when this phone captured the point.
import { haversineM } from '../geo.ts';
import { finding, fmt, note, nothing, outcome, type Rule } from '../findings.ts';
import { claimsGpsGrade } from '../fixes.ts';

export const exactStorePoint: Rule = (facts, history, params) => {
  const hits = facts.fixes
    .map((fix) => ({ fix, distanceM: haversineM(fix, facts.customer.location) }))
    .filter((h) => h.distanceM <= params.exactStorePointM)
    .sort((a, b) => a.distanceM - b.distanceM);
  if (hits.length === 0) return nothing();
  const tenths = (m: number) => Math.round(m * 10) / 10;
  if (history.storePointCapturedOnSiteByThisDevice) {
    return outcome([], [note('STORE_POINT_FROM_THIS_PHONE',
      '定位与客户坐标几乎重合，而该坐标正是这部手机在店内采集的，属正常',
      "The fix sits on the customer's stored point, which this same phone captured on site: expected",
      { visitId: facts.visitId, distanceM: tenths(hits[0]!.distanceM) })]);
  }
  // WiFi/cell positioning returns the same point to every phone in the shop, including the one that set it.
  const gpsGrade = hits.filter((h) => claimsGpsGrade(h.fix, params));
  if (gpsGrade.length === 0) return nothing();
  const { distanceM, fix } = gpsGrade[0]!;
  return outcome([finding('EXACT_STORE_POINT', params, {
    measured: tenths(distanceM),
    threshold: params.exactStorePointM,
    unit: 'm',
    zh: `定位点与系统中的客户坐标仅差 ${distanceM.toFixed(1)} 米（精度 ${fmt.m(fix.accuracyM ?? 0)} 米）；真实定位几乎不可能如此精确，像是手工输入了客户坐标`,
    en: `The fix is only ${distanceM.toFixed(1)} m from the customer's stored point (accuracy ${fmt.m(fix.accuracyM ?? 0)} m); a real fix almost never lands this exactly, it looks like the stored coordinates were typed into a location app`,
    evidence: { visitId: facts.visitId, distanceM: tenths(distanceM), ...(fix.accuracyM !== undefined ? { accuracyM: fix.accuracyM } : {}) },
  })]);
};
