// Photo benchmarks on the local database:
// - ingest of a 12-megapixel JPEG (inspect: hashes, EXIF, watermark; then both files into GridFS) against a bare
//   sharp decode-and-re-encode of the same image (target: within 2×);
// - the re-used-photo look-up a submit runs (photos.similarEarlier for a visit of three photos, the least an FMCG
//   store visit takes) at 10,000 and 100,000 stored photos (targets: under 10 ms at 100,000, and less than 1.5×
//   growth from 10,000).
import { randomBytes } from 'node:crypto';
import sharp from 'sharp';
import mongoose, { Types } from 'mongoose';
import { startEphemeralDb } from '../scripts/lib/local-db.ts';
import { registerModels, ensureIndexes } from '../server/db/models.ts';
import { loadConfig } from '../server/config.ts';
import { inspectPhoto } from '../server/photos/photo-inspect.ts';
import { photoBucket, saveFile } from '../server/photos/photo-store.ts';
import { photoBands } from '../server/photos/photo-match.ts';
import { photosService } from '../server/photos/photos.service.ts';
import { sceneSvg } from '../tests/helpers/images.ts';
import { compareTimes, type BenchResult } from './measure.ts';

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

    // Two tenants in one collection, one with 10,000 photos and one with 100,000, so that the two look-ups can be
    // measured in alternating rounds (machine noise hits both) on the same index.
    const photos = photosService(models, conn, config);
    const id = () => new Types.ObjectId();
    // Stored photos carry their centre hashes too, so every photo sits under up to 16 bands of the index.
    const hashed = () => {
      const h = { phash: hex16(), dhash: hex16(), centrePhash: hex16(), centreDhash: hex16() };
      return { sha256: randomBytes(32).toString('hex'), ...h, bands: photoBands(h) };
    };
    const insert = async (tenantId: Types.ObjectId, n: number) => {
      for (let done = 0; done < n; done += 5000) {
        await models.Photo.insertMany(Array.from({ length: Math.min(5000, n - done) }, () => ({
          tenantId, visitId: id(), repId: id(), customerId: id(), kind: '陈列照', source: 'camera', ...hashed(),
          originalFileId: id(), watermarkedFileId: id(), receivedAt: new Date(),
        })));
      }
    };
    const small = id();
    const large = id();
    await insert(small, 10_000);
    await insert(large, 100_000);
    const lookup = (tenantId: Types.ObjectId) => photos.similarEarlier(tenantId, Array.from({ length: 3 }, () => ({ _id: id(), ...hashed(), receivedAt: new Date() })), id());
    const growth = await compareTimes({
      name: 're-used-photo lookup growth 10k → 100k (ms)',
      subject: () => lookup(large),
      baseline: () => lookup(small),
      maxRatio: 1.5,
      target: 'growth < 1.5×',
      rounds: 31,
    });
    return [
      ingest,
      { name: 're-used-photo lookup at 100,000 photos (ms)', subject: growth.subject, baseline: 10, ratio: growth.subject / 10, target: 'under 10 ms', pass: growth.subject < 10 },
      growth,
    ];
  } finally {
    await conn.close();
    await db.stop();
  }
}
