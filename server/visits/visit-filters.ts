// Filters of the visit list and the review queue, as database filters. The band that counts is the effective one
// (reviews.service effectiveBand: a decisive call-back outcome, else a manager's override, else the machine verdict),
// so a band filter is an $or over those three sources. Pure: builds filter objects only.
import { Types } from 'mongoose';
import { op } from '../db/trusted.ts';
import { shanghaiDayStart } from '../lib/time.ts';

export type Band = 'green' | 'yellow' | 'red';
export const BANDS: readonly Band[] = ['red', 'yellow', 'green'];

export interface VisitFilter {
  status?: string;
  customerId?: string;
  repId?: string;
  /** Check-in day range, YYYY-MM-DD in China time, both ends included. */
  from?: string;
  to?: string;
  bands?: Band[];
  formId?: string;
  version?: number;
}

const DAY_MS = 86_400_000;
const DECISIVE = ['confirmed', 'denied'];

/** Visits whose effective band is `band`. */
export function effectiveBandClause(band: Band): Record<string, unknown> {
  const undecided = { 'callback.outcome': op({ $nin: DECISIVE }) };
  const clauses: Record<string, unknown>[] = [
    { ...undecided, 'override.band': band },
    { ...undecided, override: null, 'verdict.band': band },
  ];
  if (band === 'green') clauses.unshift({ 'callback.outcome': 'confirmed' });
  if (band === 'red') clauses.unshift({ 'callback.outcome': 'denied' });
  return { $or: clauses };
}

/** A visit counts as reviewed once a manager confirmed it, overrode it, sent it to call-back or a call-back was recorded. */
export function reviewedClause(reviewed: boolean): Record<string, unknown> {
  if (!reviewed) return { review: null, override: null, callback: null };
  return { $or: [{ review: op({ $ne: null }) }, { override: op({ $ne: null }) }, { callback: op({ $ne: null }) }] };
}

/** The filter of everything but the bands and paging: scope (rep ids, null = all), status, customer, rep, dates, form. */
export function baseFilter(tenantId: Types.ObjectId, reps: Types.ObjectId[] | null, f: VisitFilter): { q: Record<string, unknown>; and: Record<string, unknown>[] } {
  const q: Record<string, unknown> = { tenantId };
  const and: Record<string, unknown>[] = [];
  if (reps) q.repId = op({ $in: reps });
  if (f.repId) and.push({ repId: new Types.ObjectId(f.repId) });
  if (f.status) q.status = f.status;
  if (f.customerId) q.customerId = new Types.ObjectId(f.customerId);
  if (f.formId) q['form.formId'] = new Types.ObjectId(f.formId);
  if (f.version !== undefined) q['form.version'] = f.version;
  if (f.from || f.to) {
    const range: Record<string, Date> = {};
    if (f.from) range.$gte = shanghaiDayStart(f.from);
    if (f.to) range.$lt = new Date(shanghaiDayStart(f.to).getTime() + DAY_MS);
    q['checkIn.deviceTime'] = op(range);
  }
  if (f.bands && f.bands.length < BANDS.length) and.push({ $or: f.bands.map(effectiveBandClause) });
  return { q, and };
}

/** The review queue's order: red, then yellow, then green; within a band the unreviewed first; newest first within. */
export const QUEUE_BUCKETS: readonly { band: Band; reviewed: boolean }[] = BANDS.flatMap((band) => [
  { band, reviewed: false }, { band, reviewed: true },
]);

/** Where the next queue page starts: the bucket and the createdAt (exclusive) inside it. "<bucket>.<epoch ms>". */
export interface QueueCursor { bucket: number; before: Date }

export function parseQueueCursor(text: string): QueueCursor {
  const [bucket, ms] = text.split('.');
  return { bucket: Number(bucket), before: new Date(Number(ms)) };
}

export function queueCursorText(c: QueueCursor): string {
  return `${c.bucket}.${c.before.getTime()}`;
}
