// The per-day rollup (日汇总) of one rep: what the KPIs need of a day's submitted visits and due follow-ups, as one
// small document. Pure: built from the day's visits and tasks, so a rebuild is a recompute (idempotent), never an
// increment. Stored (StoredRollup) as four fields, the counters packed into one "name:value" text, because the local
// database (FerretDB v1) decodes every document it scans field by field: a month of a 1,000-rep tenant reads about
// twice as fast this way as with one field per counter, and nested objects would cost three times as much again.
import { effectiveBand, type Band } from '../reviews/reviews.service.ts';
import { shanghaiDayStart } from '../lib/time.ts';

/** Evidence kinds that count for richness (动作丰富度): distinct kinds per visit. */
export const EVIDENCE_TYPES = ['qr', 'location', 'photo', 'contact', 'followUp'] as const;
export type EvidenceType = (typeof EVIDENCE_TYPES)[number];

export interface DailyRollup {
  /** `<tenantId>:<repId>:<YYYY-MM-DD>` (Asia/Shanghai day of check-in). */
  _id: string;
  tenantId: string;
  repId: string;
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
  /** "customerId:class:onsite:phone" joined by ",". */
  customers: string;
  /** JSON text of [checkInMs, customerType, path][]: action paths for consistency (动作一致性). */
  paths: string;
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

export function rollupId(tenantId: string, repId: string, date: string): string {
  return `${tenantId}:${repId}:${date}`;
}

/** The rollup of one rep-day from that day's submitted visits and the follow-ups due that day. */
export function buildDailyRollup(
  key: { tenantId: string; repId: string; date: string; asOf: Date },
  visits: readonly RollupVisitInput[],
  tasks: readonly RollupTaskInput[],
  reportDeadlineHours: number,
): DailyRollup {
  const r: DailyRollup = {
    _id: rollupId(key.tenantId, key.repId, key.date), tenantId: key.tenantId, repId: key.repId, date: key.date, asOf: key.asOf,
    visits: 0, onsite: 0, phone: 0, joint: 0, green: 0, yellow: 0, red: 0, valid: 0, durationSum: 0, durationCount: 0,
    reportsOnTime: 0, evidenceSum: 0, followUpsDue: 0, followUpsOnTime: 0, customers: '', paths: '[]',
  };
  const customers = new Map<string, { cls: string; onsite: number; phone: number }>();
  const paths: [number, string, string][] = [];
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
    const c = customers.get(id) ?? { cls: v.customer.class ?? 'D', onsite: 0, phone: 0 };
    if (phone) c.phone += 1; else c.onsite += 1;
    customers.set(id, c);
    paths.push([v.checkIn?.deviceTime.getTime() ?? 0, v.customer.type ?? '', actionPath(v, stored)]);
  }
  const dayEnd = shanghaiDayStart(key.date).getTime() + 86_400_000;
  for (const t of tasks) {
    if (t.status === 'cancelled') continue;
    r.followUpsDue += 1;
    if (t.status === 'done' && t.doneAt && t.doneAt.getTime() < dayEnd) r.followUpsOnTime += 1;
  }
  r.durationSum = round1(r.durationSum);
  r.customers = [...customers].map(([id, c]) => `${id}:${c.cls}:${c.onsite}:${c.phone}`).join(',');
  r.paths = JSON.stringify(paths.sort((a, b) => a[0] - b[0]));
  return r;
}

/** The counters, in the order they are stored. */
export const ROLLUP_COUNTERS = [
  'visits', 'onsite', 'phone', 'joint', 'green', 'yellow', 'red', 'valid', 'durationSum', 'durationCount', 'reportsOnTime',
  'evidenceSum', 'followUpsDue', 'followUpsOnTime',
] as const satisfies readonly (keyof DailyRollup)[];

/** A rollup as stored: `_id`, when its visits were read, the counters ("visits:4,onsite:3,…"), customers, paths. */
export interface StoredRollup { _id: string; asOf: Date; counts: string; customers: string; paths: string }

export function toStored(r: DailyRollup): StoredRollup {
  return { _id: r._id, asOf: r.asOf, counts: ROLLUP_COUNTERS.map((k) => `${k}:${r[k]}`).join(','), customers: r.customers, paths: r.paths };
}

export function fromStored(doc: StoredRollup): DailyRollup {
  const [tenantId = '', repId = '', date = ''] = doc._id.split(':');
  const r: DailyRollup = {
    _id: doc._id, tenantId, repId, date, asOf: doc.asOf, visits: 0, onsite: 0, phone: 0, joint: 0, green: 0, yellow: 0, red: 0, valid: 0,
    durationSum: 0, durationCount: 0, reportsOnTime: 0, evidenceSum: 0, followUpsDue: 0, followUpsOnTime: 0, customers: doc.customers, paths: doc.paths,
  };
  for (const pair of doc.counts.split(',')) {
    const at = pair.indexOf(':');
    const key = pair.slice(0, at) as (typeof ROLLUP_COUNTERS)[number];
    if ((ROLLUP_COUNTERS as readonly string[]).includes(key)) r[key] = Number(pair.slice(at + 1));
  }
  return r;
}

export interface CustomerTouch { customerId: string; cls: string; onsite: number; phone: number }

export function decodeCustomers(text: string): CustomerTouch[] {
  if (!text) return [];
  return text.split(',').map((part) => {
    const [customerId = '', cls = 'D', onsite = '0', phone = '0'] = part.split(':');
    return { customerId, cls, onsite: Number(onsite), phone: Number(phone) };
  });
}

export function decodePaths(text: string): [number, string, string][] {
  try { return JSON.parse(text) as [number, string, string][]; } catch { return []; }
}
