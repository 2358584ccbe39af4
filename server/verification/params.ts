// The rule parameters: the scoring template's `authenticity` block, with a default for every optional field so a
// template saved before a rule existed keeps working. The defaults equal templates/scoring/default.json.
import type { CustomerClass } from './types.ts';

export const RULE_CODES = [
  'OUTSIDE_FENCE', 'FROZEN_POINT', 'EXACT_STORE_POINT', 'COORDINATES_REPLAYED', 'IMPOSSIBLE_TRAVEL', 'HOST_MOCK_FLAG',
  'PHOTO_SAME_FILE', 'PHOTO_REUSED', 'PHOTO_OLD_OR_ELSEWHERE', 'PHOTO_NOT_CAMERA',
  'PROXY_CHECK_IN', 'STAY_TOO_SHORT', 'LATE_REPORT', 'CLOCK_SKEW', 'SAME_CONTACT', 'QR_INVALID',
] as const;
export type RuleCode = (typeof RULE_CODES)[number];

export interface AuthenticityParams {
  bands: { green: number; yellow: number };
  fenceRadiusM: number;
  accuracyCapM: number;
  /** Around a customer polygon (instead of fenceRadiusM): GPS drifts a little outside the drawn outline. */
  polygonMarginM: number;
  minStayMinutes: Record<CustomerClass, number>;
  reportDeadlineHours: number;
  travelSpeedSoftKmh: number;
  travelSpeedHardKmh: number;
  travelMinDistanceKm: number;
  /** The rep's visits checked in this many hours before or after are all measured against this one. */
  travelWindowHours: number;
  photoHashMaxDistance: number;
  /** Hash distance at or below which a match on hashes alone (no thumbnail to compare) counts as a likely copy. */
  photoHashTightDistance: number;
  /** Below this greyscale standard deviation (0–255) a picture holds too little for a hash match to mean re-use. */
  photoMinDetail: number;
  /** Aligned-pixel correlation (0–1) at or above which, with photoCopyMaxChanged, a photo is the earlier picture again. */
  photoCopySimilarity: number;
  /** Share of the aligned picture that may differ in a copy; a new shot of the same scene changes more. */
  photoCopyMaxChanged: number;
  frozenFixMaxAccuracyM: number;
  frozenFixMinCount: number;
  /** A phone may hand back its last fix for a few seconds; only a burst longer than this can be "frozen". */
  frozenMinSpanSeconds: number;
  exactStorePointM: number;
  exifMaxAgeHours: number;
  exifMaxDistanceM: number;
  clockSkewMinutes: number;
  proxyDeviceWindowHours: number;
  proxyFixWindowMinutes: number;
  /** How far back the most frequent user of a phone is counted, when the host sign-ins do not name its owner. */
  deviceOwnerLookbackDays: number;
  /** Fewest visits on a phone that make its most frequent user the owner (with twice the runner-up's). */
  deviceOwnerMinVisits: number;
  sameContactMonths: number;
  /** A hard failure (mock flag, forged code, same file, another rep's device) caps the score here. */
  hardCapScore: number;
  ruleWeights: Record<RuleCode, number>;
}

export const DEFAULT_AUTHENTICITY: AuthenticityParams = {
  bands: { green: 80, yellow: 60 },
  fenceRadiusM: 200,
  accuracyCapM: 120,
  polygonMarginM: 50,
  minStayMinutes: { A: 15, B: 10, C: 5, D: 5 },
  reportDeadlineHours: 24,
  travelSpeedSoftKmh: 130,
  travelSpeedHardKmh: 400,
  travelMinDistanceKm: 2,
  travelWindowHours: 12,
  photoHashMaxDistance: 10,
  photoHashTightDistance: 4,
  photoMinDetail: 10,
  photoCopySimilarity: 0.95,
  photoCopyMaxChanged: 0.002,
  frozenFixMaxAccuracyM: 25,
  frozenFixMinCount: 3,
  frozenMinSpanSeconds: 10,
  exactStorePointM: 2,
  exifMaxAgeHours: 12,
  exifMaxDistanceM: 2000,
  clockSkewMinutes: 30,
  proxyDeviceWindowHours: 8,
  proxyFixWindowMinutes: 10,
  deviceOwnerLookbackDays: 30,
  deviceOwnerMinVisits: 3,
  sameContactMonths: 2,
  hardCapScore: 30,
  ruleWeights: {
    OUTSIDE_FENCE: 45, FROZEN_POINT: 25, EXACT_STORE_POINT: 25, COORDINATES_REPLAYED: 30, IMPOSSIBLE_TRAVEL: 45,
    HOST_MOCK_FLAG: 100, PHOTO_SAME_FILE: 100, PHOTO_REUSED: 45, PHOTO_OLD_OR_ELSEWHERE: 25, PHOTO_NOT_CAMERA: 30,
    PROXY_CHECK_IN: 50, STAY_TOO_SHORT: 30, LATE_REPORT: 25, CLOCK_SKEW: 10, SAME_CONTACT: 30, QR_INVALID: 100,
  },
};

/** A template's authenticity block (already schema-checked), completed with the defaults. */
export type AuthenticityBlock = Partial<Omit<AuthenticityParams, 'minStayMinutes' | 'ruleWeights'>> & {
  minStayMinutes?: Partial<Record<string, number>>;
  ruleWeights?: Partial<Record<string, number>>;
};

export function readAuthenticityParams(block: AuthenticityBlock): AuthenticityParams {
  const d = DEFAULT_AUTHENTICITY;
  // Unknown weight keys are kept out: a template may name rules this version does not have yet.
  const weights = { ...d.ruleWeights };
  for (const code of RULE_CODES) weights[code] = block.ruleWeights?.[code] ?? weights[code];
  const stay = { ...d.minStayMinutes };
  for (const c of ['A', 'B', 'C', 'D'] as const) stay[c] = block.minStayMinutes?.[c] ?? stay[c];
  return { ...d, ...stripUndefined(block), minStayMinutes: stay, ruleWeights: weights };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
