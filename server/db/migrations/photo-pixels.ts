// Photos carry what the pixel-level re-use check needs: the hashes of their centre (so a slightly cropped copy is
// found by the band index), a greyscale thumbnail and a detail measure. Photos stored before have none; they are
// measured from their original file, as at upload. A photo whose file cannot be read gets `detail: null` (matched on
// hashes alone, and not tried again).
import { mongo } from 'mongoose';
import type { MigrationStep } from './migration.ts';
import { photoBands } from '../../photos/photo-match.ts';
import { pixelFactsOfFile } from '../../photos/photo-inspect.ts';
import { readFile } from '../../photos/photo-store.ts';

/** Decoding limit for stored originals: they passed the upload limit once; this only guards against a bad file. */
const MAX_PIXELS = 100_000_000;
const BATCH = 50;

export const photoPixels: MigrationStep = {
  id: '2027-01-photo-pixels',
  describe: 'photos: centre hashes, thumbnail and detail from the original file, bands with the centre',
  run: async (db) => {
    const photos = db.collection('photos');
    const bucket = new mongo.GridFSBucket(db, { bucketName: 'photos' });
    let ops: mongo.AnyBulkWriteOperation[] = [];
    let changed = 0;
    const flush = async () => {
      if (ops.length > 0) changed += (await photos.bulkWrite(ops, { ordered: false })).modifiedCount;
      ops = [];
    };
    const cursor = photos.find({ detail: { $exists: false } }, { projection: { phash: 1, dhash: 1, originalFileId: 1 } });
    for await (const p of cursor) {
      ops.push({ updateOne: { filter: { _id: p._id }, update: { $set: await measured(bucket, p) } } });
      if (ops.length >= BATCH) await flush();
    }
    await flush();
    return changed;
  },
};

async function measured(bucket: mongo.GridFSBucket, p: mongo.Document): Promise<Record<string, unknown>> {
  try {
    const facts = await pixelFactsOfFile(await readFile(bucket, p.originalFileId as mongo.ObjectId), MAX_PIXELS);
    return {
      centrePhash: facts.centrePhash, centreDhash: facts.centreDhash, thumb: facts.thumb, detail: facts.detail,
      bands: photoBands({ phash: p.phash as string, dhash: p.dhash as string, ...facts }),
    };
  } catch {
    return { detail: null };
  }
}
