// What a rule can say: a finding (a deduction with its numbers and evidence) or a note (recorded, not punished).
import type { AuthenticityParams, RuleCode } from './params.ts';
import type { History, VisitFacts } from './types.ts';

export type Family = 'location' | 'photo' | 'identity' | 'timing' | 'behaviour' | 'qr';
export const FAMILIES: readonly Family[] = ['location', 'photo', 'identity', 'timing', 'behaviour', 'qr'];

/** Correlated rules share a family, and only the largest penalty of a family counts (authenticity.md, Verdict). */
export const RULE_FAMILY: Record<RuleCode, Family> = {
  OUTSIDE_FENCE: 'location', FROZEN_POINT: 'location', EXACT_STORE_POINT: 'location', COORDINATES_REPLAYED: 'location',
  IMPOSSIBLE_TRAVEL: 'location', HOST_MOCK_FLAG: 'location',
  PHOTO_SAME_FILE: 'photo', PHOTO_REUSED: 'photo', PHOTO_OLD_OR_ELSEWHERE: 'photo', PHOTO_NOT_CAMERA: 'photo',
  PROXY_CHECK_IN: 'identity',
  STAY_TOO_SHORT: 'timing', LATE_REPORT: 'timing', CLOCK_SKEW: 'timing',
  SAME_CONTACT: 'behaviour',
  QR_INVALID: 'qr',
};

export type Unit = 'm' | 'km/h' | 'min' | 'h' | 'bits' | '%' | 'fixes' | 'photos' | 'visits' | 'contacts' | 'flag';

export interface Evidence {
  visitId?: string;
  photoId?: string;
  otherVisitId?: string;
  otherPhotoId?: string;
  otherRepId?: string;
  otherCustomerId?: string;
  distanceM?: number;
  accuracyM?: number;
  speedKmh?: number;
  minutes?: number;
  hours?: number;
  at?: Date;
  problem?: string;
  contactIds?: string[];
  /** Pixel similarity (0–1) of a photo and the earlier one after alignment, and the share of it that differs. */
  similarity?: number;
  changedShare?: number;
}

export interface Finding {
  code: RuleCode;
  family: Family;
  /** Points deducted: the template's weight for the code, scaled by the rule (soft vs strong, weak vs strong). */
  weight: number;
  /** Caps the whole score at params.hardCapScore. */
  hard?: boolean;
  measured: number;
  threshold: number;
  unit: Unit;
  message_zh: string;
  message_en: string;
  evidence: Evidence;
}

/** Things worth knowing that cost nothing: mostly why an honest-looking oddity was spared. */
export const NOTE_CODES = [
  'ACCEPTED_BY_ACCURACY', 'PRESENCE_PROVEN_BY_QR', 'DINGTALK_CACHED_FIX', 'STORE_POINT_FROM_THIS_PHONE',
  'COORDINATES_REPEATED_COARSE', 'PHOTO_SIMILAR_SAME_CUSTOMER', 'PHOTO_SIMILAR_LOW_DETAIL', 'SCREENSHOT_DURING_VISIT', 'JOINT_VISIT_SAME_FIX',
  'NO_CHECK_OUT', 'OFFLINE_LAG', 'OWN_PHONE_SHARED', 'QR_SCANNED_OFFLINE',
] as const;
export type NoteCode = (typeof NOTE_CODES)[number];

export interface Note {
  code: NoteCode;
  message_zh: string;
  message_en: string;
  evidence?: Evidence;
}

export interface RuleOutcome { findings: Finding[]; notes: Note[] }

export type Rule = (facts: VisitFacts, history: History, params: AuthenticityParams) => RuleOutcome;

/** A fresh empty outcome (never a shared object the engine could append to). */
export const nothing = (): RuleOutcome => ({ findings: [], notes: [] });

export interface FindingSpec {
  /** Share of the template weight, 1 by default: 0.5 for a soft signal, 1/3 for a weak one. */
  scale?: number;
  hard?: boolean;
  measured: number;
  threshold: number;
  unit: Unit;
  zh: string;
  en: string;
  evidence: Evidence;
}

export function finding(code: RuleCode, params: AuthenticityParams, spec: FindingSpec): Finding {
  const { scale = 1, hard, zh, en, ...rest } = spec;
  // Whole points keep the score and the band in agreement on screen.
  const weight = Math.round(params.ruleWeights[code] * scale);
  return { code, family: RULE_FAMILY[code], weight, ...(hard ? { hard } : {}), ...rest, message_zh: zh, message_en: en };
}

export function note(code: NoteCode, zh: string, en: string, evidence?: Evidence): Note {
  return evidence ? { code, message_zh: zh, message_en: en, evidence } : { code, message_zh: zh, message_en: en };
}

export function outcome(findings: (Finding | null | undefined)[], notes: (Note | null | undefined)[] = []): RuleOutcome {
  return { findings: findings.filter((f): f is Finding => !!f), notes: notes.filter((n): n is Note => !!n) };
}

/** Numbers as people read them in a message. */
export const fmt = {
  m: (x: number) => `${Math.round(x)}`,
  km: (m: number) => (m / 1000).toFixed(1),
  h: (x: number) => (Math.round(x * 10) / 10).toString(),
  int: (x: number) => `${Math.round(x)}`,
};
