// The re-used-photo index under concurrency: two server instances (two connections) indexing at once lose
// nothing, and a lookup finds copies within a few bits without reading the tenant's whole history.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Types, type Connection } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { openConnection } from '../../server/db/connection.ts';
import { photoIndex, type IndexedPhoto } from '../../server/photos/photo-index.ts';

const hex16 = () => randomBytes(8).toString('hex');
const flipBits = (hex: string, bits: number[]) => {
  const n = BigInt(`0x${hex}`) ^ bits.reduce((acc, b) => acc | (1n << BigInt(b)), 0n);
  return n.toString(16).padStart(16, '0');
};
const photo = (phash: string, dhash: string): IndexedPhoto => ({
  photoId: String(new Types.ObjectId()), visitId: String(new Types.ObjectId()), repId: String(new Types.ObjectId()), customerId: String(new Types.ObjectId()),
  sha256: randomBytes(32).toString('hex'), phash, dhash, receivedAt: new Date(),
});

describe('photo index', () => {
  let t: TestApp;
  let second: Connection;
  const tenantId = new Types.ObjectId();

  beforeAll(async () => {
    t = await createTestApp();
    second = await openConnection(inject('mongoUri'), t.config.mongoDb);
  });
  afterAll(async () => { await second.close(); await t.close(); });

  it('keeps every entry when two instances index photos with the same hash bands at once', async () => {
    const a = photoIndex(t.conn);
    const b = photoIndex(second);
    const phash = hex16();
    const dhash = hex16();
    const photos = Array.from({ length: 60 }, () => photo(phash, dhash));
    await Promise.all(photos.map((p, i) => (i % 2 ? a : b).add(tenantId, p)));
    const found = await a.candidates(tenantId, { sha256: 'f'.repeat(64), phash, dhash });
    expect(found.map((f) => f.photoId).sort()).toEqual(photos.map((p) => p.photoId).sort());
  });

  it('finds a copy a few bits away, and neither unrelated photos nor other tenants\' photos', async () => {
    const index = photoIndex(t.conn);
    const original = photo(hex16(), hex16());
    await index.add(tenantId, original);
    for (let i = 0; i < 200; i += 1) await index.add(tenantId, photo(hex16(), hex16()));
    await index.add(new Types.ObjectId(), { ...photo(original.phash, original.dhash) });
    const copy = { sha256: randomBytes(32).toString('hex'), phash: flipBits(original.phash, [1, 20, 40]), dhash: flipBits(original.dhash, [5, 33]) };
    const found = await index.candidates(tenantId, copy);
    expect(found.map((f) => f.photoId)).toContain(original.photoId);
    expect(found.length).toBeLessThan(10);
    const sameFile = await index.candidates(tenantId, { sha256: original.sha256, phash: hex16(), dhash: hex16() });
    expect(sameFile.map((f) => f.photoId)).toContain(original.photoId);
  });
});
