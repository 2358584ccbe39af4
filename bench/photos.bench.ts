// Photo benchmarks on the local database:
// - ingest of a 12-megapixel JPEG (inspect: hashes, EXIF, watermark; then both files into GridFS) against a bare
//   sharp decode-and-re-encode of the same image (target: within 2×);
// - duplicate-photo lookup (the project's photo index, as submit uses it) at 10,000 and 100,000 stored photos
//   (targets: under 50 ms at 100,000, and less than 3× growth from 10,000).
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import mongoose, { Types } from 'mongoose';
import { startEphemeralDb } from '../scripts/lib/local-db.ts';
import { registerModels, ensureIndexes } from '../server/db/models.ts';
import { loadConfig } from '../server/config.ts';
import { inspectPhoto } from '../server/photos/photo-inspect.ts';
import { photoBucket, saveFile } from '../server/photos/photo-store.ts';
import { photoIndex } from '../server/photos/photo-index.ts';
import { sceneSvg } from '../tests/helpers/images.ts';
import { compareTimes, timeMs, type BenchResult } from './measure.ts';

const hex16 = () => randomBytes(8).toString('hex');

export async function runPhotoBenches(): Promise<BenchResult[]> {
  const db = await startEphemeralDb('bench');
  const conn = await mongoose.createConnection(db.uri, { dbName: 'bench', autoIndex: false }).asPromise();
  try {
    const models = registerModels(conn);
    await ensureIndexes(models);
    const config = loadConfig();
    const photo = await sharp(Buffer.from(sceneSvg(42, 4000, 3000))).jpeg({ quality: 90 }).toBuffer();
    const bucket = photoBucket(conn);
    const text = { time: '2026-11-20 10:32', customer: '华联超市（人民路店）', address: '上海市黄浦区人民路100号', rep: '张伟' };
    const ingest = await compareTimes({
      name: 'photo ingest, 12 MP JPEG (ms)',
      subject: async () => {
        const out = await inspectPhoto(photo, { maxBytes: config.photoMaxBytes, maxPixels: config.photoMaxPixels }, text, config.fontFile);
        await saveFile(bucket, photo, 'original.jpg', {});
        await saveFile(bucket, out.watermarked, 'watermarked.jpg', {});
      },
      baseline: () => sharp(photo).jpeg({ quality: 90 }).toBuffer(),
      maxRatio: 2,
      target: 'ingest ≤ 2× bare decode + re-encode',
    });

    const tenantId = new Types.ObjectId();
    const index = photoIndex(conn);
    const stored = (n: number) => Array.from({ length: n }, () => ({
      photoId: String(new Types.ObjectId()), visitId: String(new Types.ObjectId()), repId: String(new Types.ObjectId()), customerId: String(new Types.ObjectId()),
      sha256: randomBytes(32).toString('hex'), phash: hex16(), dhash: hex16(), receivedAt: new Date(),
    }));
    // addMany fills an empty index, so the 100,000 case reloads everything (the first 10,000 included).
    const first = stored(10_000);
    const insert = async (n: number) => {
      if (n > first.length) {
        const names = (await conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((c) => c.startsWith('photo_index_'));
        for (const name of names) await conn.db!.dropCollection(name);
      }
      await index.addMany(tenantId, n > first.length ? [...first, ...stored(n - first.length)] : first);
    };
    const probe = () => ({ sha256: randomBytes(32).toString('hex'), phash: hex16(), dhash: hex16() });
    const lookup = () => index.candidates(tenantId, probe());
    await insert(10_000);
    const at10k = await timeMs(lookup, 5);
    await insert(100_000);
    const at100k = await timeMs(lookup, 5);
    return [
      ingest,
      { name: 'duplicate-photo lookup at 100,000 photos (ms)', subject: at100k, baseline: 50, ratio: at100k / 50, target: 'under 50 ms', pass: at100k < 50 },
      { name: 'duplicate-photo lookup growth 10k → 100k (ms)', subject: at100k, baseline: at10k, ratio: at100k / at10k, target: 'growth < 3×', pass: at100k / at10k < 3 },
    ];
  } finally {
    await conn.close();
    await db.stop();
  }
}
