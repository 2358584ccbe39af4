// Every migration step, in the order they run. Each is idempotent; see migration.ts.
import type { mongo } from 'mongoose';
import type { MigrationStep } from './migration.ts';
import { photoBands } from './photo-bands.ts';
import { verdictInputSubdocument } from './verdict-input.ts';
import { customerGeoJson } from './customer-geojson.ts';

export const MIGRATIONS: readonly MigrationStep[] = [
  verdictInputSubdocument,
  photoBands,
  customerGeoJson,
];

export interface MigrationReport { id: string; describe: string; changed: number }

/** Runs every step; `log` hears each result. */
export async function migrate(db: mongo.Db, log: (r: MigrationReport) => void = () => {}): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  for (const step of MIGRATIONS) {
    const changed = await step.run(db);
    await db.collection<{ _id: string }>('migrations').updateOne({ _id: step.id }, { $set: { describe: step.describe, lastRunAt: new Date() }, $inc: { changed } }, { upsert: true });
    const report = { id: step.id, describe: step.describe, changed };
    reports.push(report);
    log(report);
  }
  return reports;
}
