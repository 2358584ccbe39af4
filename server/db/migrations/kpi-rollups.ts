// The per-day KPI rollups were one collection per month (kpi_rollups_YYYYMM) read by an _id prefix, their counters
// packed into one "name:value" text and the customers and paths as text, and holdings and plans were cached as text
// snapshots (kpi_snapshots): workarounds for the previous local engine. Each old rollup becomes a document of the one rollup
// collection (numeric counters, arrays of subdocuments, keyed by { tenantId, repId, date }); then the monthly
// collections and the snapshots are dropped (the KPIs read holdings and plans directly now).
import { Types, type mongo } from 'mongoose';
import type { MigrationStep } from './migration.ts';
import { dropCollections } from './migration.ts';
import { KPI_ROLLUP_COLLECTION, type KpiRollupDoc } from '../../kpis/kpi-rollup.model.ts';
import { ROLLUP_COUNTERS } from '../../kpis/rollup.ts';

const MONTHLY = /^kpi_rollups_\d{6}$/;
const BATCH = 200;

/** An old rollup: `_id` "<tenantId>:<repId>:<YYYY-MM-DD>", counts "visits:4,onsite:3,…", customers "cid:A:1:0,…", paths "[[ms,type,path],…]". */
interface OldRollup { _id: string; asOf?: Date; counts?: string; customers?: string; paths?: string }

const isId = (s: string | undefined): s is string => typeof s === 'string' && /^[0-9a-f]{24}$/i.test(s);

/** The new document of an old rollup, or null when its key cannot be read. */
export function convertOldRollup(old: OldRollup): KpiRollupDoc | null {
  const [tenantId, repId, date] = String(old._id).split(':');
  if (!isId(tenantId) || !isId(repId) || !date || !/^\d{4}-\d{2}-\d{2}$/.test(date)) return null;
  const doc = {
    tenantId: new Types.ObjectId(tenantId), repId: new Types.ObjectId(repId), date, asOf: old.asOf ?? new Date(0),
    ...Object.fromEntries(ROLLUP_COUNTERS.map((k) => [k, 0])),
    customers: [], paths: [],
  } as unknown as KpiRollupDoc;
  for (const pair of (old.counts ?? '').split(',')) {
    const at = pair.indexOf(':');
    const key = pair.slice(0, at) as (typeof ROLLUP_COUNTERS)[number];
    const value = Number(pair.slice(at + 1));
    if ((ROLLUP_COUNTERS as readonly string[]).includes(key) && Number.isFinite(value)) doc[key] = value;
  }
  for (const part of (old.customers ?? '').split(',')) {
    const [customerId, cls = 'D', onsite = '0', phone = '0'] = part.split(':');
    if (isId(customerId)) doc.customers.push({ customerId: new Types.ObjectId(customerId), cls, onsite: Number(onsite) || 0, phone: Number(phone) || 0 });
  }
  let paths: unknown = [];
  try { paths = JSON.parse(old.paths ?? '[]'); } catch { /* unreadable paths: consistency starts afresh for that day */ }
  if (Array.isArray(paths)) {
    for (const p of paths) {
      if (Array.isArray(p) && typeof p[0] === 'number' && typeof p[2] === 'string') doc.paths.push({ at: new Date(p[0]), type: String(p[1] ?? ''), path: p[2] });
    }
  }
  return doc;
}

/** Writes the converted rollup unless the new collection already holds one read later (as the server's write). */
async function put(target: mongo.Collection<KpiRollupDoc>, doc: KpiRollupDoc): Promise<number> {
  try {
    const r = await target.replaceOne({ tenantId: doc.tenantId, repId: doc.repId, date: doc.date, asOf: { $lte: doc.asOf } }, doc, { upsert: true });
    return r.modifiedCount + r.upsertedCount;
  } catch (err) {
    if ((err as { code?: number }).code === 11000) return 0; // a newer rollup already holds the key
    throw err;
  }
}

export const kpiRollupsOneCollection: MigrationStep = {
  id: '2026-12-kpi-rollups-one-collection',
  describe: 'KPI rollups: monthly kpi_rollups_YYYYMM text documents → one collection with numeric fields; kpi_snapshots dropped',
  async run(db) {
    const target = db.collection<KpiRollupDoc>(KPI_ROLLUP_COLLECTION);
    const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => MONTHLY.test(n));
    let changed = 0;
    for (const name of names) {
      let batch: KpiRollupDoc[] = [];
      const flush = async () => {
        changed += (await Promise.all(batch.map((doc) => put(target, doc)))).reduce((a, b) => a + b, 0);
        batch = [];
      };
      for await (const old of db.collection<OldRollup>(name).find({})) {
        const doc = convertOldRollup(old);
        if (doc) batch.push(doc);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
    }
    // Converted (or unreadable) rollups and the snapshots are gone for good; a second run finds nothing.
    changed += await dropCollections(db, MONTHLY);
    changed += await dropCollections(db, /^kpi_snapshots$/);
    return changed;
  },
};
