// Map-free location check (位置核对): how far the last visits' check-ins sat from a customer's stored point, and
// whether the stored point itself looks wrong (recent visits agree with each other but not with it). Pure.
import { distanceToPolygonM, haversineM } from '../verification/geo.ts';

export interface LngLat { lng: number; lat: number }
export interface CheckFix extends LngLat { accuracyM?: number }

export interface CheckVisit {
  visitId: string;
  repId: string;
  repName: string | null;
  at: Date;
  startMethod: 'qr' | 'location';
  /** The check-in burst (several fixes over a few seconds). */
  fixes: CheckFix[];
}

export interface CheckInput {
  store: LngLat;
  polygon?: LngLat[];
  /** Allowed distance: the radius around the point, or the margin around the polygon. */
  fenceRadiusM: number;
  /** Newest first. */
  visits: CheckVisit[];
}

export interface CheckedVisit {
  visitId: string;
  repId: string;
  repName: string | null;
  at: Date;
  startMethod: 'qr' | 'location';
  point: LngLat;
  distanceM: number;
  accuracyM: number | null;
  inside: boolean;
  /** Metres east and north of the stored point, for a drawn plot. */
  eastM: number;
  northM: number;
}

export type CheckVerdict = 'NO_VISITS' | 'TOO_FEW' | 'CONSISTENT' | 'POINT_SUSPECT' | 'SCATTERED';

export interface CheckSummary {
  visits: number;
  inside: number;
  outside: number;
  medianDistanceM: number | null;
  verdict: CheckVerdict;
  /** The median visit location, offered as the new stored point when the verdict is POINT_SUSPECT. */
  suggestedPoint: LngLat | null;
  /** Distance from the stored point to the suggested one. */
  suggestedShiftM: number | null;
  hint_zh: string;
  hint_en: string;
}

export interface LocationCheck { visits: CheckedVisit[]; summary: CheckSummary }

/** Fewer visits than this say nothing about the stored point. */
export const MIN_VISITS_FOR_VERDICT = 3;
/** Share of visits that must sit outside the fence before the point is doubted. */
const OUTSIDE_SHARE = 2 / 3;

export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

/** Coordinate-wise median of a burst: one wild fix (the first after opening the app) cannot drag it. */
export function burstMedian(fixes: readonly CheckFix[]): (LngLat & { accuracyM: number | null }) | null {
  if (fixes.length === 0) return null;
  const accuracies = fixes.map((f) => f.accuracyM).filter((a): a is number => typeof a === 'number');
  return { lng: median(fixes.map((f) => f.lng))!, lat: median(fixes.map((f) => f.lat))!, accuracyM: median(accuracies) };
}

/** Flat offset in metres (east, north) of p from origin: fine at the scale of a neighbourhood. */
export function offsetM(origin: LngLat, p: LngLat): { eastM: number; northM: number } {
  const kx = haversineM(origin, { lng: p.lng, lat: origin.lat }) * Math.sign(p.lng - origin.lng);
  const ky = haversineM(origin, { lng: origin.lng, lat: p.lat }) * Math.sign(p.lat - origin.lat);
  return { eastM: kx, northM: ky };
}

const round = (m: number) => Math.round(m);

function checkVisit(input: CheckInput, v: CheckVisit): CheckedVisit | null {
  const point = burstMedian(v.fixes);
  if (!point) return null;
  const here = { lng: point.lng, lat: point.lat };
  const distanceM = haversineM(input.store, here);
  const polygon = input.polygon && input.polygon.length >= 3 ? input.polygon.map((q) => [q.lng, q.lat] as const) : undefined;
  const fromFenceM = polygon ? distanceToPolygonM(here, polygon) : distanceM;
  const { eastM, northM } = offsetM(input.store, here);
  return {
    visitId: v.visitId, repId: v.repId, repName: v.repName, at: v.at, startMethod: v.startMethod,
    point: here, distanceM: round(distanceM), accuracyM: point.accuracyM === null ? null : round(point.accuracyM),
    inside: fromFenceM <= input.fenceRadiusM, eastM: round(eastM), northM: round(northM),
  };
}

function summarise(input: CheckInput, checked: CheckedVisit[]): CheckSummary {
  const outside = checked.filter((v) => !v.inside).length;
  const base = { visits: checked.length, inside: checked.length - outside, outside, medianDistanceM: median(checked.map((v) => v.distanceM)), suggestedPoint: null, suggestedShiftM: null };
  if (checked.length === 0) {
    return { ...base, verdict: 'NO_VISITS', hint_zh: '最近没有带签到定位的拜访，无法核对位置', hint_en: 'No recent visit with a check-in location to compare against' };
  }
  if (checked.length < MIN_VISITS_FOR_VERDICT) {
    return { ...base, verdict: 'TOO_FEW', hint_zh: `仅 ${checked.length} 次拜访，至少 ${MIN_VISITS_FOR_VERDICT} 次后才能判断客户位置是否准确`, hint_en: `Only ${checked.length} visit(s); at least ${MIN_VISITS_FOR_VERDICT} are needed to judge the stored point` };
  }
  if (outside < checked.length * OUTSIDE_SHARE) {
    return { ...base, verdict: 'CONSISTENT', hint_zh: '最近拜访的签到点与客户位置基本一致', hint_en: 'Recent check-ins agree with the stored point' };
  }
  // Most visits are outside. If they agree with each other, the stored point is the odd one out.
  const centre = { lng: median(checked.map((v) => v.point.lng))!, lat: median(checked.map((v) => v.point.lat))! };
  const spreadM = median(checked.map((v) => haversineM(centre, v.point)))!;
  const shiftM = haversineM(input.store, centre);
  if (spreadM <= input.fenceRadiusM && spreadM < shiftM / 2) {
    return {
      ...base, verdict: 'POINT_SUSPECT', suggestedPoint: centre, suggestedShiftM: round(shiftM),
      hint_zh: `最近 ${checked.length} 次拜访中 ${outside} 次在围栏外，且签到点彼此集中（中位距离约 ${round(spreadM)} 米），客户位置可能有误：建议改为拜访签到点的中位位置（偏移约 ${round(shiftM)} 米）`,
      hint_en: `${outside} of the last ${checked.length} visits were outside the fence yet close to each other (median spread ${round(spreadM)} m): the stored point is probably wrong; consider the median visit location (${round(shiftM)} m away)`,
    };
  }
  return {
    ...base, verdict: 'SCATTERED',
    hint_zh: `最近 ${checked.length} 次拜访中 ${outside} 次在围栏外，且签到点分散，请逐次核查拜访真实性`,
    hint_en: `${outside} of the last ${checked.length} visits were outside the fence and scattered: review these visits one by one`,
  };
}

export function locationCheck(input: CheckInput): LocationCheck {
  const checked = input.visits.map((v) => checkVisit(input, v)).filter((v): v is CheckedVisit => v !== null);
  return { visits: checked, summary: summarise(input, checked) };
}
