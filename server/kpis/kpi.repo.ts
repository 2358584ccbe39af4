// Every database access of the KPIs: the rollup and holdings collections this domain owns, and read-only
// projections of visits, tasks, users and customers (the other services have no bulk reads for a whole tenant).
//
// Why one rollup collection per month (kpi_rollups_YYYYMM) read by an _id prefix: on MongoDB the prefix range uses
// the _id index; the local database (FerretDB v1, SQLite) scans and decodes the whole collection for any filter,
// about 0.1 ms per rollup, so keeping a month per collection bounds the board's read to one month whatever the
// history. Holdings (who holds which customer) and a month's approved plan items are kept as snapshots (one text per
// tenant, read by exact _id): scanning customers or plans takes seconds at tens of thousands of customers or
// hundreds of thousands of plan items on FerretDB.
import { Types, type Connection } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { VisitDoc } from '../visits/visit.model.ts';
import type { TaskDoc } from '../tasks/task.model.ts';
import type { VersionRecord } from '../versioning/versioned.model.ts';
import { shanghaiDayStart } from '../lib/time.ts';
import { fromStored, toStored, type DailyRollup, type RollupTaskInput, type RollupVisitInput, type StoredRollup } from './rollup.ts';
import { append, type Holding } from './indicators.ts';

const DAY_MS = 86_400_000;

/** The YYYY-MM months a date range touches. */
export function monthsOf(from: string, to: string): string[] {
  const out: string[] = [];
  let y = Number(from.slice(0, 4));
  let m = Number(from.slice(5, 7));
  const end = to.slice(0, 7);
  for (;;) {
    const month = `${y}-${String(m).padStart(2, '0')}`;
    if (month > end) return out;
    out.push(month);
    m += 1;
    if (m > 12) { m = 1; y += 1; }
  }
}

export interface KpiUser { id: string; name: string; role: string; managerId: string | null; hostUserId: string | null; active: boolean }

interface SnapshotDoc { _id: string; at: Date; gen?: string; chunks?: number; text?: string }

/** Strings above this go into several documents (a document may hold 16 MB). */
const CHUNK_CHARS = 4_000_000;

export const VISIT_ROLLUP_FIELDS = {
  customerId: 1, 'customer.class': 1, 'customer.type': 1, visitType: 1, jointVisit: 1, start: 1, checkIn: 1, checkOut: 1,
  submitted: 1, contactsMet: 1, 'answers.followUp': 1, 'verdict.band': 1, override: 1, callback: 1, verdictInput: 1,
} as const;

export function kpiRepo(models: Models, conn: Connection) {
  const db = () => {
    if (!conn.db) throw new Error('database not connected');
    return conn.db;
  };
  const rollupCol = (month: string) => db().collection<StoredRollup>(`kpi_rollups_${month.replace('-', '')}`);
  const snapshotCol = () => db().collection<SnapshotDoc>('kpi_snapshots');

  return {
    /** Writes a rollup unless one read later is already there (two recomputes racing: the later read wins). */
    async writeRollup(r: DailyRollup): Promise<void> {
      try {
        await rollupCol(r.date.slice(0, 7)).replaceOne({ _id: r._id, asOf: { $lte: r.asOf } }, toStored(r), { upsert: true });
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err; // a newer rollup holds the _id
      }
    },

    async insertRollups(rollups: DailyRollup[]): Promise<void> {
      const byMonth = new Map<string, DailyRollup[]>();
      for (const r of rollups) append(byMonth, r.date.slice(0, 7), r);
      for (const [month, docs] of byMonth) {
        for (let i = 0; i < docs.length; i += 5000) await rollupCol(month).insertMany(docs.slice(i, i + 5000).map(toStored), { ordered: false });
      }
    },

    /** Rollups of [from, to] (YYYY-MM-DD, inclusive) for one rep, or for the whole tenant (repId null). */
    async rollups(tenantId: string, repId: string | null, from: string, to: string): Promise<DailyRollup[]> {
      const prefix = repId ? `${tenantId}:${repId}:` : `${tenantId}:`;
      const lists = await Promise.all(monthsOf(from, to).map((month) => rollupCol(month).find(
        repId ? { _id: { $gte: `${prefix}${from}`, $lte: `${prefix}${to}` } } : { _id: { $gte: prefix, $lt: `${tenantId};` } },
      ).toArray()));
      return lists.flat().map(fromStored).filter((r) => r.date >= from && r.date <= to);
    },

    async dropRollups(tenantId: string, from: string, to: string): Promise<void> {
      for (const month of monthsOf(from, to)) {
        const ids = (await rollupCol(month).find({ _id: { $gte: `${tenantId}:`, $lt: `${tenantId};` } }, { projection: { _id: 1 } }).toArray())
          .map((r) => r._id).filter((id) => { const date = id.slice(-10); return date >= from && date <= to; });
        for (let i = 0; i < ids.length; i += 1000) await rollupCol(month).deleteMany({ _id: { $in: ids.slice(i, i + 1000) } });
      }
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

    /** The newest published scoring template's content, or null (then the built-in default applies). */
    async publishedScoring(tenantId: Types.ObjectId): Promise<unknown> {
      const latest = await models.ScoringVersion.findOne({ tenantId }).sort({ publishedAt: -1 }).lean<VersionRecord>();
      return latest?.content ?? null;
    },

    /** Held customers of the given reps (all reps: null), read from the customers collection now. */
    async holdingsNow(tenantId: Types.ObjectId, repIds: string[] | null): Promise<Map<string, Holding[]>> {
      const q: Record<string, unknown> = { tenantId, 'assignedReps.0': op({ $exists: true }) };
      if (repIds) q.assignedReps = op({ $in: repIds.map((id) => new Types.ObjectId(id)) });
      const cursor = models.Customer.find(q, { class: 1, assignedReps: 1 }).lean<{ _id: Types.ObjectId; class: string; assignedReps: Types.ObjectId[] }[]>().cursor();
      const out = new Map<string, Holding[]>();
      const wanted = repIds ? new Set(repIds) : null;
      for await (const c of cursor as AsyncIterable<{ _id: Types.ObjectId; class: string; assignedReps: Types.ObjectId[] }>) {
        for (const rep of c.assignedReps) {
          const key = String(rep);
          if (wanted && !wanted.has(key)) continue;
          append(out, key, { customerId: String(c._id), cls: c.class });
        }
      }
      return out;
    },

    /** A snapshot's text and when it was taken ("<tenantId>:holdings", "<tenantId>:plans:YYYY-MM"), or null. */
    async readSnapshot(key: string): Promise<{ at: Date; text: string } | null> {
      const head = await snapshotCol().findOne({ _id: key });
      if (!head?.gen) return null;
      const parts = await Promise.all(Array.from({ length: head.chunks ?? 0 }, (_, i) => snapshotCol().findOne({ _id: `${key}#${head.gen}#${i}` })));
      if (parts.some((p) => !p)) return null; // a refresh replaced this generation meanwhile
      return { at: head.at, text: parts.map((p) => p!.text ?? '').join('') };
    },

    /** Writes a new generation of a snapshot, points its head at it, then removes the old one. */
    async saveSnapshot(key: string, text: string, at: Date): Promise<void> {
      const gen = new Types.ObjectId().toHexString();
      const chunks = Math.max(1, Math.ceil(text.length / CHUNK_CHARS));
      for (let i = 0; i < chunks; i += 1) {
        await snapshotCol().insertOne({ _id: `${key}#${gen}#${i}`, at, text: text.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS) });
      }
      const old = await snapshotCol().findOneAndReplace({ _id: key }, { at, gen, chunks }, { upsert: true });
      if (old?.gen && old.gen !== gen) {
        for (let i = 0; i < (old.chunks ?? 0); i += 1) await snapshotCol().deleteOne({ _id: `${key}#${old.gen}#${i}` });
      }
    },
  };
}

export type KpiRepo = ReturnType<typeof kpiRepo>;
