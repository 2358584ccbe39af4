// A data migration: one idempotent step that converts documents written by an earlier version into today's shape.
// Steps run in order, every time `npm run migrate` runs; a step finds its old-shape documents itself (so a second
// run changes nothing) and records what it did in the `migrations` collection.
import type { mongo } from 'mongoose';

export interface MigrationStep {
  id: string;
  /** What the step converts, for the log. */
  describe: string;
  run(db: mongo.Db): Promise<number>;
}

/** Streams the documents a filter finds and writes the updates `change` returns, in batches. */
export async function rewrite<T extends mongo.Document>(
  col: mongo.Collection<T>, filter: mongo.Filter<T>, change: (doc: mongo.WithId<T>) => mongo.UpdateFilter<T> | null, batch = 500,
): Promise<number> {
  let ops: mongo.AnyBulkWriteOperation<T>[] = [];
  let changed = 0;
  const flush = async () => {
    if (ops.length === 0) return;
    changed += (await col.bulkWrite(ops, { ordered: false })).modifiedCount;
    ops = [];
  };
  for await (const doc of col.find(filter)) {
    const update = change(doc);
    if (update) ops.push({ updateOne: { filter: { _id: doc._id } as mongo.Filter<T>, update } });
    if (ops.length >= batch) await flush();
  }
  await flush();
  return changed;
}

/** Drops the collections whose names match, returning how many there were. */
export async function dropCollections(db: mongo.Db, match: RegExp): Promise<number> {
  const names = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => match.test(n));
  for (const name of names) await db.dropCollection(name);
  return names.length;
}
