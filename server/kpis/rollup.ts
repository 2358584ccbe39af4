// The per-day rollup (日汇总) of one rep: what the KPIs need of a day's submitted visits and due follow-ups, as one
// small document (kpi-rollup.model.ts). Pure: built from the day's visits and tasks, so a rebuild is a recompute
// (idempotent), never an increment.
import { effectiveBand, type Band } from '../reviews/reviews.service.ts';
import { shanghaiDayStart } from '../lib/time.ts';

/** Evidence kinds that count for richness (动作丰富度): distinct kinds per visit. */
export const EVIDENCE_TYPES = ['qr', 'location', 'photo', 'contact', 'followUp'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

/** One customer the rep touched that day: its class and the day's on-site and phone visits. */
export interface CustomerTouch { customerId: string; cls: string; onsite: number; phone: number }

/** One visit's action path, for consistency (动作一致性): when, to which customer type, which steps. */
export interface PathStep { at: Date; type: string; path: string }

export interface DailyRollup {
  tenantId: string;
  repId: string;
  /** YYYY-MM-DD (Asia/Shanghai day of check-in). */
  date: string;
  /** When the visits behind this rollup were read; a write never replaces a newer read. */
  asOf: Date;
  visits: number;
  onsite: number;
  phone: number;
  joint: number;
  green: number;
  yellow: number;
  red: number;
  /** Green, or yellow that a manager reviewed and kept (see isValidVisit). */
  valid: number;
  /** Check-in → check-out on the phone's clock, minutes. */
  durationSum: number;
  durationCount: number;
  /** Submitted within reportDeadlineHours of check-out (the LATE_REPORT rule's measure). */
  reportsOnTime: number;
  /** Sum over visits of the distinct evidence kinds each carried. */
  evidenceSum: number;
  /** Follow-ups due on this day (not cancelled), and those done by the end of it. */
  followUpsDue: number;
  followUpsOnTime: number;
  customers: CustomerTouch[];
  /** In check-in order. */
  paths: PathStep[];
}

/** What a rollup needs of one submitted visit (a projection of the visit document). */
export interface RollupVisitInput {
  _id: unknown;
  customerId: unknown;
  customer: { class?: string; type?: string };
  visitType?: 'onsite' | 'phone';
  jointVisit?: boolean;
  start: { method: 'qr' | 'location'; qr?: { ok?: boolean } | null };
  checkIn?: { deviceTime: Date } | null;
  checkOut?: { deviceTime: Date; receivedAt?: Date } | null;
  submitted?: { deviceTime: Date } | null;
  contactsMet?: string[];
  answers?: Record<string, unknown>;
  verdict?: { band?: Band } | null;
  override?: { band?: Band } | null;
  callback?: { outcome?: 'confirmed' | 'denied' | 'unreachable' | null } | null;
  /** The engine's inputs at submit: the photos and fixes the visit carried. */
  verdictInput?: { facts?: { photos?: { kind: string; uploadedAt: Date | string }[]; fixes?: { phase: string }[] } };
}

export interface RollupTaskInput { dueDate: string; status: string; doneAt?: Date | null }

/**
 * Valid (有效拜访): the band that counts is green (a confirming call-back makes it green), or it is yellow and a
 * manager reviewed it and kept it yellow (an override to yellow). An unreviewed yellow is still in doubt.
 */
export function isValidVisit(v: Pick<RollupVisitInput, 'verdict' | 'override' | 'callback'>): boolean {
  const band = effectiveBand(v);
  return band === 'green' || (band === 'yellow' && v.override?.band === 'yellow');
}

interface StoredEvidence { photos: { kind: string; uploadedAt: Date | string }[]; checkinFixes: number }

function storedEvidence(input: RollupVisitInput['verdictInput']): StoredEvidence {
  const facts = input?.facts;
  return { photos: facts?.photos ?? [], checkinFixes: (facts?.fixes ?? []).filter((f) => f.phase === 'checkin').length };
}

export function evidenceOf(v: RollupVisitInput, stored = storedEvidence(v.verdictInput)): EvidenceType[] {
  const kinds: EvidenceType[] = [];
  if (v.start.method === 'qr' && v.start.qr?.ok) kinds.push('qr');
  if (stored.checkinFixes > 0) kinds.push('location');
  if (stored.photos.length > 0) kinds.push('photo');
  if ((v.contactsMet ?? []).length > 0) kinds.push('contact');
  if (v.answers?.followUp) kinds.push('followUp');
  return kinds;
}

/**
 * The visit's action path as letters: start by code (Q) or location (L), check-in (I), each photo by the first
 * character of its kind in upload order, check-out (O) where it fell among the photos, contacts recorded (C),
 * follow-up chosen (F), submit (S).
 */
export function actionPath(v: RollupVisitInput, stored = storedEvidence(v.verdictInput)): string {
  const steps: { at: number; token: string }[] = stored.photos.map((p) => ({ at: new Date(p.uploadedAt).getTime(), token: p.kind.slice(0, 1) || 'P' }));
  if (v.checkOut) steps.push({ at: (v.checkOut.receivedAt ?? v.checkOut.deviceTime).getTime(), token: 'O' });
  steps.sort((a, b) => a.at - b.at);
  return [
    v.start.method === 'qr' ? 'Q' : 'L', 'I', ...steps.map((s) => s.token),
    (v.contactsMet ?? []).length > 0 ? 'C' : '', v.answers?.followUp ? 'F' : '', 'S',
  ].join('');
}

const round1 = (n: number) => Math.round(n * 10) / 10;

/** The rollup of one rep-day from that day's submitted visits and the follow-ups due that day. */
export function buildDailyRollup(
  key: { tenantId: string; repId: string; date: string; asOf: Date },
  visits: readonly RollupVisitInput[],
  tasks: readonly RollupTaskInput[],
  reportDeadlineHours: number,
): DailyRollup {
  const r: DailyRollup = {
    tenantId: key.tenantId, repId: key.repId, date: key.date, asOf: key.asOf,
    visits: 0, onsite: 0, phone: 0, joint: 0, green: 0, yellow: 0, red: 0, valid: 0, durationSum: 0, durationCount: 0,
    reportsOnTime: 0, evidenceSum: 0, followUpsDue: 0, followUpsOnTime: 0, customers: [], paths: [],
  };
  const customers = new Map<string, CustomerTouch>();
  for (const v of visits) {
    const stored = storedEvidence(v.verdictInput);
    const phone = v.visitType === 'phone';
    r.visits += 1;
    if (phone) r.phone += 1; else r.onsite += 1;
    if (v.jointVisit) r.joint += 1;
    const band = effectiveBand(v);
    if (band) r[band] += 1;
    if (isValidVisit(v)) r.valid += 1;
    if (v.checkIn && v.checkOut) {
      r.durationSum += Math.max(0, (v.checkOut.deviceTime.getTime() - v.checkIn.deviceTime.getTime()) / 60_000);
      r.durationCount += 1;
    }
    const reportFrom = v.checkOut?.deviceTime ?? v.checkIn?.deviceTime;
    if (reportFrom && v.submitted && v.submitted.deviceTime.getTime() - reportFrom.getTime() <= reportDeadlineHours * 3_600_000) r.reportsOnTime += 1;
    r.evidenceSum += evidenceOf(v, stored).length;
    const id = String(v.customerId);
    const c = customers.get(id) ?? { customerId: id, cls: v.customer.class ?? 'D', onsite: 0, phone: 0 };
    if (phone) c.phone += 1; else c.onsite += 1;
    customers.set(id, c);
    r.paths.push({ at: v.checkIn?.deviceTime ?? new Date(0), type: v.customer.type ?? '', path: actionPath(v, stored) });
  }
  const dayEnd = shanghaiDayStart(key.date).getTime() + 86_400_000;
  for (const t of tasks) {
    if (t.status === 'cancelled') continue;
    r.followUpsDue += 1;
    if (t.status === 'done' && t.doneAt && t.doneAt.getTime() < dayEnd) r.followUpsOnTime += 1;
  }
  r.durationSum = round1(r.durationSum);
  // Sorted by customer so a recompute gives the same document whatever order the visits came in.
  r.customers = [...customers.values()].sort((a, b) => (a.customerId < b.customerId ? -1 : a.customerId > b.customerId ? 1 : 0));
  r.paths.sort((a, b) => a.at.getTime() - b.at.getTime());
  return r;
}

/** The counters, summed over days and reps. */
export const ROLLUP_COUNTERS = [
  'visits', 'onsite', 'phone', 'joint', 'green', 'yellow', 'red', 'valid', 'durationSum', 'durationCount', 'reportsOnTime',
  'evidenceSum', 'followUpsDue', 'followUpsOnTime',
] as const satisfies readonly (keyof DailyRollup)[];
