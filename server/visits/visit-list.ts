// Reading visits for people who review them: the filtered list (newest first), the review queue (worst band first,
// unreviewed first, newest first) and what a reviewer needs beside one visit (fence, the rep's recent visits, the
// reasons with their measured values). Scoped by visit-scope: a manager sees only their team.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { effectiveBand } from '../reviews/reviews.service.ts';
import type { AuthenticityParams } from '../verification/params.ts';
import { baseFilter, effectiveBandClause, QUEUE_BUCKETS, reviewedClause, type Band, type QueueCursor, type VisitFilter } from './visit-filters.ts';
import { visibleReps, type TeamSource, type Viewer } from './visit-scope.ts';
import { withoutEmptySteps, type VisitDoc } from './visit.model.ts';

const RECENT = 10;

export interface QueuePage { items: VisitDoc[]; next: QueueCursor | null }

const NEWEST_FIRST = { createdAt: -1 as const };

/** The visit list's query: the filters, newest first; `before` (exclusive, on createdAt) pages back. */
export function listFind(tenantId: Types.ObjectId, reps: Types.ObjectId[] | null, f: VisitFilter, limit: number, before?: Date) {
  const { q, and } = baseFilter(tenantId, reps, f);
  if (before) q.createdAt = op({ $lt: before });
  return { filter: and.length > 0 ? { ...q, $and: and } : q, sort: NEWEST_FIRST, limit };
}

/** One bucket of the review queue (a band, reviewed or not), newest first, after the cursor when it points here. */
export function queueBucketFind(tenantId: Types.ObjectId, reps: Types.ObjectId[] | null, f: VisitFilter, bucket: number, cursor: QueueCursor | undefined, limit: number) {
  const { q, and } = baseFilter(tenantId, reps, { ...f, bands: undefined, status: 'submitted' });
  const b = QUEUE_BUCKETS[bucket]!;
  const before = cursor && cursor.bucket === bucket ? { createdAt: op({ $lt: cursor.before }) } : {};
  return { filter: { ...q, ...before, $and: [...and, effectiveBandClause(b.band), reviewedClause(b.reviewed)] }, sort: NEWEST_FIRST, limit };
}

export function visitLister(models: Models, team: TeamSource) {
  const find = async (q: { filter: Record<string, unknown>; sort: typeof NEWEST_FIRST; limit: number }) =>
    (await models.Visit.find(q.filter).sort(q.sort).limit(q.limit).lean<VisitDoc[]>()).map(withoutEmptySteps);

  return {
    /** Newest first; `before` (exclusive, on createdAt) pages back. */
    async list(viewer: Viewer, f: VisitFilter & { limit: number; before?: Date }): Promise<VisitDoc[]> {
      return find(listFind(viewer.tenantId, await visibleReps(team, viewer), f, f.limit, f.before));
    },

    /** Submitted visits of the chosen bands, bucket by bucket in queue order, paged with a cursor. */
    async queue(viewer: Viewer, f: VisitFilter & { limit: number; cursor?: QueueCursor }): Promise<QueuePage> {
      const bands = f.bands ?? ['red', 'yellow'];
      const reps = await visibleReps(team, viewer);
      const items: VisitDoc[] = [];
      let last: QueueCursor | null = null;
      for (let b = f.cursor?.bucket ?? 0; b < QUEUE_BUCKETS.length && items.length < f.limit; b += 1) {
        const bucket = QUEUE_BUCKETS[b]!;
        if (!bands.includes(bucket.band)) continue;
        const found = await find(queueBucketFind(viewer.tenantId, reps, f, b, f.cursor, f.limit - items.length));
        items.push(...found);
        if (found.length > 0) last = { bucket: b, before: found.at(-1)!.createdAt };
      }
      return { items, next: items.length === f.limit ? last : null };
    },

    /** The fence the verdict used, the rep's latest other visits, and the verdict's reasons and notes. */
    async context(visit: VisitDoc, params: AuthenticityParams, formFenceRadiusM: number | undefined) {
      const input = visit.verdictInput;
      const polygon = visit.customer.polygon && visit.customer.polygon.length >= 3 ? visit.customer.polygon : null;
      const radiusM = input?.facts.customer.fenceRadiusM ?? visit.customer.fenceRadiusM ?? formFenceRadiusM ?? (polygon ? params.polygonMarginM : params.fenceRadiusM);
      const verdict = visit.verdict as { reasons?: unknown[]; notes?: unknown[] } | undefined;
      const prev = input?.history.previousVisit;
      return {
        fence: { location: visit.customer.location, polygon, radiusM, shape: polygon ? 'polygon' as const : 'circle' as const },
        previousVisit: prev ? { visitId: prev.visitId, lng: prev.checkOutFix.lng, lat: prev.checkOutFix.lat, at: prev.checkOutFix.deviceTime } : null,
        recent: await recentOf(models, visit.tenantId, visit.repId, visit._id),
        reasons: verdict?.reasons ?? [],
        notes: verdict?.notes ?? [],
      };
    },
  };
}

async function recentOf(models: Models, tenantId: Types.ObjectId, repId: Types.ObjectId, except: Types.ObjectId) {
  const visits = await models.Visit.find(
    { tenantId, repId, status: 'submitted', _id: op({ $ne: except }) },
    { customerId: 1, customer: 1, checkIn: 1, checkOut: 1, verdict: 1, override: 1, callback: 1, createdAt: 1 },
  ).sort({ createdAt: -1 }).limit(RECENT).lean<VisitDoc[]>();
  return visits.map(withoutEmptySteps).map((v) => {
    const inAt = v.checkIn?.deviceTime;
    const outAt = v.checkOut?.deviceTime;
    return {
      id: v._id, customerId: v.customerId, customerName: v.customer.name, customerType: v.customer.type, customerClass: v.customer.class,
      checkInAt: inAt ?? null, stayMinutes: inAt && outAt ? Math.round((outAt.getTime() - inAt.getTime()) / 60_000) : null,
      band: (effectiveBand(v as Parameters<typeof effectiveBand>[0]) ?? null) as Band | null,
      score: (v.verdict as { score?: number } | undefined)?.score ?? null,
      overridden: Boolean(v.override),
    };
  });
}

export type VisitLister = ReturnType<typeof visitLister>;
