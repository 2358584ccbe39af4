// Every database access of the KPIs: the rollups this domain owns (kpi-rollup.model.ts), and read-only projections
// of visits, tasks, users, customers (who holds whom) and the scoring template (the other services have no bulk
// reads for a whole tenant). Every read is a filter on an index.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { isDuplicateKey, retryTransient } from '../db/transient.ts';
import type { VisitDoc } from '../visits/visit.model.ts';
import type { TaskDoc } from '../tasks/task.model.ts';
import { shanghaiDayStart } from '../lib/time.ts';
import type { DailyRollup, ROLLUP_COUNTERS, RollupTaskInput, RollupVisitInput } from './rollup.ts';
import type { KpiRollupDoc } from './kpi-rollup.model.ts';
import { append, type Holding, type RollupFigures } from './indicators.ts';

const DAY_MS = 86_400_000;

export interface KpiUser { id: string; name: string; role: string; managerId: string | null; hostUserId: string | null; active: boolean }

/** What the counters read of a stored rollup (indicators.ts RollupFigures): no times, no classes (the holdings have them). */
const FIGURES = { _id: 0, tenantId: 0, asOf: 0, 'customers.cls': 0, 'paths.at': 0 } as const;
type StoredFigures = Omit<KpiRollupDoc, 'tenantId' | 'asOf'>;

const oid = (id: string | Types.ObjectId) => (typeof id === 'string' ? new Types.ObjectId(id) : id);

function toDoc(r: DailyRollup): KpiRollupDoc {
  return {
    ...r, tenantId: oid(r.tenantId), repId: oid(r.repId),
    customers: r.customers.map((c) => ({ ...c, customerId: oid(c.customerId) })),
  };
}

/**
 * A stored rollup as the KPIs compute with it (ids as strings), converted in place: a month of a 1,000-rep tenant is
 * some 600,000 subdocuments, and copying them would double what the garbage collector has to clear per board.
 */
function fromDoc(d: Omit<KpiRollupDoc, 'tenantId'>, tenantId: string): DailyRollup {
  const r = d as unknown as DailyRollup;
  r.tenantId = tenantId;
  r.repId = String(d.repId);
  for (const c of r.customers) c.customerId = String(c.customerId);
  return r;
}

export const VISIT_ROLLUP_FIELDS = {
  customerId: 1, 'customer.class': 1, 'customer.type': 1, visitType: 1, jointVisit: 1, start: 1, checkIn: 1, checkOut: 1,
  submitted: 1, contactsMet: 1, 'answers.followUp': 1, 'verdict.band': 1, override: 1, callback: 1, verdictInput: 1,
} as const;

/** Rollups of [from, to] of some reps, or of the whole tenant (null): the board's and the KPIs' read. */
export function rollupFilter(tenantId: Types.ObjectId, repIds: readonly string[] | null, from: string, to: string): Record<string, unknown> {
  const q: Record<string, unknown> = { tenantId, date: op({ $gte: from, $lte: to }) };
  if (repIds) q.repId = repIds.length === 1 ? oid(repIds[0]!) : op({ $in: repIds.map(oid) });
  return q;
}

/** The customers held by some reps, or by anyone (null): holdings for coverage. */
export function holdingsFilter(tenantId: Types.ObjectId, repIds: readonly string[] | null): Record<string, unknown> {
  return { tenantId, assignedReps: repIds ? op({ $in: repIds.map(oid) }) : op({ $exists: true, $ne: [] }) };
}

export function kpiRepo(models: Models) {
  const { KpiRollup } = models;

  return {
    /**
     * Writes a rollup whole unless one read later is already there: the replace matches only an older (or equal)
     * `asOf`; when a newer one holds the key, the upsert's insert hits the unique key and this write simply loses.
     */
    async writeRollup(r: DailyRollup): Promise<void> {
      const doc = toDoc(r);
      try {
        await retryTransient(() => KpiRollup.replaceOne(
          { tenantId: doc.tenantId, repId: doc.repId, date: doc.date, asOf: op({ $lte: doc.asOf }) }, doc, { upsert: true },
        ));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err; // a rollup read later holds the key
      }
    },

    /** Bulk insert of fresh rollups (benchmarks seed a month this way). */
    async insertRollups(rollups: DailyRollup[]): Promise<void> {
      for (let i = 0; i < rollups.length; i += 5000) {
        await KpiRollup.collection.insertMany(rollups.slice(i, i + 5000).map(toDoc), { ordered: false });
      }
    },

    /** Rollups of [from, to] (YYYY-MM-DD, inclusive) of some reps, or of the whole tenant (repIds null). */
    async rollups(tenantId: string | Types.ObjectId, repIds: readonly string[] | null, from: string, to: string): Promise<DailyRollup[]> {
      if (repIds?.length === 0) return [];
      const docs = await KpiRollup.find(rollupFilter(oid(tenantId), repIds, from, to), { _id: 0, tenantId: 0 }).lean<Omit<KpiRollupDoc, 'tenantId'>[]>();
      const tid = String(tenantId);
      return docs.map((d) => fromDoc(d, tid));
    },

    /**
     * The figures of the rollups of [from, to] of some reps (null: the whole tenant), streamed rep by rep and each
     * rep's in date order, for reads that fold them and keep none (the board, the KPIs): only what the counters read.
     */
    async *streamFigures(tenantId: Types.ObjectId, repIds: readonly string[] | null, from: string, to: string): AsyncGenerator<RollupFigures> {
      if (repIds?.length === 0) return;
      const q = rollupFilter(tenantId, repIds, from, to);
      // A first batch big enough for the database to read ahead while the caller is still busy with the plans.
      const cursor = KpiRollup.find(q, FIGURES).sort({ repId: 1, date: 1 }).batchSize(2000).lean<StoredFigures[]>().cursor() as AsyncIterable<StoredFigures>;
      for await (const d of cursor) {
        // Converted in place: a month of a 1,000-rep tenant is some 600,000 subdocuments.
        const r = d as unknown as RollupFigures & { repId: string };
        r.repId = String(d.repId);
        for (const c of d.customers) (c as unknown as { customerId: string }).customerId = String(c.customerId);
        yield r;
      }
    },

    /** Counters only (no customers, no paths) of some reps' rollups in [from, to]: the trend. */
    async counters(tenantId: Types.ObjectId, repIds: readonly string[], from: string, to: string): Promise<Pick<DailyRollup, 'repId' | 'date' | (typeof ROLLUP_COUNTERS)[number]>[]> {
      if (repIds.length === 0) return [];
      const docs = await KpiRollup.find(
        { tenantId, repId: op({ $in: repIds.map(oid) }), date: op({ $gte: from, $lte: to }) }, { _id: 0, tenantId: 0, asOf: 0, customers: 0, paths: 0 },
      ).lean<(Omit<KpiRollupDoc, 'tenantId' | 'asOf' | 'customers' | 'paths'>)[]>();
      return docs.map((d) => ({ ...d, repId: String(d.repId) }));
    },

    async dropRollups(tenantId: string | Types.ObjectId, from: string, to: string): Promise<void> {
      await KpiRollup.deleteMany({ tenantId: oid(tenantId), date: op({ $gte: from, $lte: to }) });
    },

    /** The submitted visits of one rep checked in on one Shanghai day. */
    async visitsOfDay(tenantId: Types.ObjectId, repId: Types.ObjectId, date: string): Promise<RollupVisitInput[]> {
      const start = shanghaiDayStart(date);
      return models.Visit.find(
        { tenantId, repId, status: 'submitted', 'checkIn.deviceTime': op({ $gte: start, $lt: new Date(start.getTime() + DAY_MS) }) },
        VISIT_ROLLUP_FIELDS,
      ).lean<RollupVisitInput[]>();
    },

    /** (repId, day) pairs with submitted visits checked in within [from, to), streamed. */
    submittedVisitKeys(tenantId: Types.ObjectId, from: Date, to: Date): AsyncIterable<Pick<VisitDoc, 'repId' | 'checkIn'>> {
      return models.Visit.find(
        { tenantId, status: 'submitted', 'checkIn.deviceTime': op({ $gte: from, $lt: to }) }, { repId: 1, checkIn: 1 },
      ).lean<Pick<VisitDoc, 'repId' | 'checkIn'>[]>().cursor() as AsyncIterable<Pick<VisitDoc, 'repId' | 'checkIn'>>;
    },

    async followUpsDueOn(tenantId: Types.ObjectId, repId: Types.ObjectId, date: string): Promise<RollupTaskInput[]> {
      return models.Task.find({ tenantId, repId, kind: 'followUp', dueDate: date }, { dueDate: 1, status: 1, doneAt: 1 }).lean<RollupTaskInput[]>();
    },

    async followUpKeys(tenantId: Types.ObjectId, from: string, to: string): Promise<{ repId: Types.ObjectId; dueDate: string }[]> {
      return models.Task.find({ tenantId, kind: 'followUp', dueDate: op({ $gte: from, $lte: to }) }, { repId: 1, dueDate: 1 }).lean<{ repId: Types.ObjectId; dueDate: string }[]>();
    },

    async task(tenantId: Types.ObjectId, id: Types.ObjectId | string): Promise<Pick<TaskDoc, 'repId' | 'dueDate'> | null> {
      return models.Task.findOne({ tenantId, _id: id }, { repId: 1, dueDate: 1 }).lean<Pick<TaskDoc, 'repId' | 'dueDate'>>();
    },

    /** Visits for the funnel, streamed: the steps' times only. */
    funnelVisits(tenantId: Types.ObjectId, repIds: Types.ObjectId[] | null, from: Date, to: Date): AsyncIterable<VisitDoc> {
      const q: Record<string, unknown> = { tenantId, 'start.deviceTime': op({ $gte: from, $lt: to }) };
      if (repIds) q.repId = op({ $in: repIds });
      return models.Visit.find(q, {
        status: 1, start: 1, checkIn: 1, checkOut: 1, submitted: 1, verdict: 1, override: 1, callback: 1, followUpTaskId: 1,
      }).lean<VisitDoc[]>().cursor() as AsyncIterable<VisitDoc>;
    },

    /** Times of the first and last photo per visit (only for the visits asked about). */
    async photoTimes(tenantId: Types.ObjectId, visitIds: Types.ObjectId[]): Promise<Map<string, Date>> {
      const out = new Map<string, Date>();
      if (visitIds.length === 0) return out;
      const photos = await models.Photo.find({ tenantId, visitId: op({ $in: visitIds }) }, { visitId: 1, receivedAt: 1 }).lean<{ visitId: Types.ObjectId; receivedAt: Date }[]>();
      for (const p of photos) {
        const key = String(p.visitId);
        const seen = out.get(key);
        if (!seen || p.receivedAt > seen) out.set(key, p.receivedAt);
      }
      return out;
    },

    async tasksByIds(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, Pick<TaskDoc, 'createdAt' | 'doneAt' | 'status'>>> {
      if (ids.length === 0) return new Map();
      const tasks = await models.Task.find({ tenantId, _id: op({ $in: ids }) }, { createdAt: 1, doneAt: 1, status: 1 }).lean<(Pick<TaskDoc, 'createdAt' | 'doneAt' | 'status'> & { _id: Types.ObjectId })[]>();
      return new Map(tasks.map((t) => [String(t._id), t]));
    },

    async users(tenantId: Types.ObjectId): Promise<KpiUser[]> {
      const docs = await models.User.find({ tenantId }, { name: 1, role: 1, managerId: 1, hostUserId: 1, active: 1 })
        .lean<{ _id: Types.ObjectId; name: string; role: string; managerId?: Types.ObjectId | null; hostUserId?: string; active?: boolean }[]>();
      return docs.map((u) => ({ id: String(u._id), name: u.name, role: u.role, managerId: u.managerId ? String(u.managerId) : null, hostUserId: u.hostUserId ?? null, active: u.active !== false }));
    },

    async tenantName(tenantId: Types.ObjectId): Promise<string | null> {
      const t = await models.Tenant.findOne({ _id: tenantId }, { name: 1 }).lean<{ name: string }>();
      return t?.name ?? null;
    },

    /**
     * The customers each rep holds now (customers' assignedReps, on its index), for the given reps or (null) all of
     * the tenant's.
     */
    async holdings(tenantId: Types.ObjectId, repIds: readonly string[] | null): Promise<Map<string, Holding[]>> {
      const out = new Map<string, Holding[]>();
      if (repIds?.length === 0) return out;
      const wanted = repIds ? new Set(repIds) : null;
      const docs = await models.Customer.find(holdingsFilter(tenantId, repIds), { _id: 1, class: 1, assignedReps: 1 },
      ).lean<{ _id: Types.ObjectId; class: string; assignedReps: Types.ObjectId[] }[]>();
      for (const c of docs) {
        const customerId = String(c._id);
        for (const rep of c.assignedReps) {
          const key = String(rep);
          if (!wanted || wanted.has(key)) append(out, key, { customerId, cls: c.class });
        }
      }
      return out;
    },
  };
}

export type KpiRepo = ReturnType<typeof kpiRepo>;
