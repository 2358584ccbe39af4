// Every migration step, in the order they run. Each is idempotent; see migration.ts.
import type { mongo } from 'mongoose';
import type { MigrationStep } from './migration.ts';
import { photoBands } from './photo-bands.ts';
import { photoPixels } from './photo-pixels.ts';
import { verdictInputSubdocument } from './verdict-input.ts';
import { customerGeoJson } from './customer-geojson.ts';
import { kpiRollupsOneCollection } from './kpi-rollups.ts';

export const MIGRATIONS: readonly MigrationStep[] = [
  verdictInputSubdocument,
  photoBands,
  customerGeoJson,
  kpiRollupsOneCollection,
  photoPixels,
];

export interface MigrationReport { id: string; describe: string; changed: number }

/**
 * Runs every step (`npm run migrate`), or with `pendingOnly` those no run has completed yet (a server starting:
 * once a step has run, documents of its old shape are no longer written, so it need not scan again).
 */
export async function migrate(db: mongo.Db, options: { pendingOnly?: boolean; log?: (r: MigrationReport) => void } = {}): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  const done = options.pendingOnly ? new Set((await db.collection<{ _id: string }>('migrations').find({}, { projection: { _id: 1 } }).toArray()).map((m) => m._id)) : new Set<string>();
  for (const step of MIGRATIONS) {
    if (done.has(step.id)) continue;
    const changed = await step.run(db);
    await db.collection<{ _id: string }>('migrations').updateOne({ _id: step.id }, { $set: { describe: step.describe, lastRunAt: new Date() }, $inc: { changed } }, { upsert: true });
    const report = { id: step.id, describe: step.describe, changed };
    reports.push(report);
    options.log?.(report);
  }
  return reports;
}
