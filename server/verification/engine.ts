// The verdict on one visit: run every rule, then combine. Start at 100; within a family of correlated rules only
// the largest penalty counts; families add; a hard failure caps the score; the band follows the template.
import { FAMILIES, type Family, type Finding, type Note, type Rule } from './findings.ts';
import type { AuthenticityParams } from './params.ts';
import type { History, VisitFacts } from './types.ts';
import { clockSkew } from './rules/clock-skew.ts';
import { coordinatesReplayed } from './rules/coordinates-replayed.ts';
import { exactStorePoint } from './rules/exact-store-point.ts';
import { frozenPoint } from './rules/frozen-point.ts';
import { hostMockFlag } from './rules/host-mock-flag.ts';
import { impossibleTravel } from './rules/impossible-travel.ts';
import { lateReport } from './rules/late-report.ts';
import { outsideFence } from './rules/outside-fence.ts';
import { photoNotCamera } from './rules/photo-not-camera.ts';
import { photoOldOrElsewhere } from './rules/photo-old-or-elsewhere.ts';
import { photoReused } from './rules/photo-reused.ts';
import { photoSameFile } from './rules/photo-same-file.ts';
import { proxyCheckIn } from './rules/proxy-check-in.ts';
import { qrInvalid } from './rules/qr-invalid.ts';
import { sameContact } from './rules/same-contact.ts';
import { stayTooShort } from './rules/stay-too-short.ts';

/** In the order of authenticity.md; notes come out in this order. */
export const RULES: readonly Rule[] = [
  outsideFence, frozenPoint, exactStorePoint, coordinatesReplayed, impossibleTravel, hostMockFlag,
  photoSameFile, photoReused, photoOldOrElsewhere, photoNotCamera,
  proxyCheckIn, stayTooShort, lateReport, clockSkew, sameContact, qrInvalid,
];

export type Band = 'green' | 'yellow' | 'red';

/** A finding as shown in the verdict; `counted` is false when a larger penalty of the same family counted instead. */
export interface Reason extends Finding { counted: boolean }

export interface Verdict {
  score: number;
  band: Band;
  /** Largest deduction first. */
  reasons: Reason[];
  notes: Note[];
  /** The penalty each family contributed (0 when none). */
  families: Record<Family, number>;
  /** The score was capped at params.hardCapScore by a hard failure. */
  capped: boolean;
}

export function evaluateVisit(facts: VisitFacts, history: History, params: AuthenticityParams): Verdict {
  const findings: Finding[] = [];
  const notes: Note[] = [];
  for (const rule of RULES) {
    const out = rule(facts, history, params);
    findings.push(...out.findings);
    notes.push(...out.notes);
  }
  return combine(findings, notes, params);
}

export function combine(findings: readonly Finding[], notes: readonly Note[], params: AuthenticityParams): Verdict {
  // A template switches a rule off with weight 0: such a finding neither deducts nor caps.
  const reasons = findings.filter((f) => f.weight > 0).sort(byWeight);
  const families = Object.fromEntries(FAMILIES.map((f) => [f, 0])) as Record<Family, number>;
  const counted = reasons.map((r) => {
    const first = families[r.family] === 0;
    if (first) families[r.family] = r.weight;
    return { ...r, counted: first };
  });
  const total = Object.values(families).reduce((a, b) => a + b, 0);
  const uncapped = Math.max(0, 100 - total);
  const hard = reasons.some((r) => r.hard);
  const score = hard ? Math.min(uncapped, params.hardCapScore) : uncapped;
  return { score, band: bandOf(score, params.bands), reasons: counted, notes: [...notes], families, capped: hard && score < uncapped };
}

export function bandOf(score: number, bands: AuthenticityParams['bands']): Band {
  if (score >= bands.green) return 'green';
  if (score >= bands.yellow) return 'yellow';
  return 'red';
}

/** Largest weight first, hard before soft at equal weight, then by code and message so the order never wobbles. */
function byWeight(a: Finding, b: Finding): number {
  return b.weight - a.weight || Number(!!b.hard) - Number(!!a.hard) || a.code.localeCompare(b.code) || a.message_en.localeCompare(b.message_en);
}
