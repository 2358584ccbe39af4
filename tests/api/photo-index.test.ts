// The re-used-photo look-up (photos.similarEarlier) on the photos' own hash bands: two server instances storing
// photos at once lose nothing, a copy a few bits away is found, and nothing unrelated, later, of the same visit or
// of another tenant comes back.
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import { Types, type Connection } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { scenePhoto } from '../helpers/images.ts';
import { openConnection } from '../../server/db/connection.ts';
import { registerModels } from '../../server/db/models.ts';
import { hashBands } from '../../server/photos/photo-match.ts';
import { photosService } from '../../server/photos/photos.service.ts';
import { MAX_PER_KEY } from '../../server/photos/similar-photos.ts';
import type { VisitDoc } from '../../server/visits/visit.model.ts';

const hex16 = () => randomBytes(8).toString('hex');
const flipBits = (hex: string, bits: number[]) => {
  const n = BigInt(`0x${hex}`) ^ bits.reduce((acc, b) => acc | (1n << BigInt(b)), 0n);
  return n.toString(16).padStart(16, '0');
};
const id = () => new Types.ObjectId();

/** A stored photo as the photos collection holds it (files are not needed by the look-up). */
const stored = (tenantId: Types.ObjectId, phash: string, dhash: string, more: { sha256?: string; visitId?: Types.ObjectId; receivedAt?: Date } = {}) => ({
  _id: id(), tenantId, visitId: more.visitId ?? id(), repId: id(), customerId: id(), kind: '门头照', source: 'camera' as const,
  sha256: more.sha256 ?? randomBytes(32).toString('hex'), phash, dhash, bands: hashBands(phash, dhash),
  originalFileId: id(), watermarkedFileId: id(), receivedAt: more.receivedAt ?? new Date(Date.now() - 60_000),
});

/** One of the visit's photos, taken now. */
const probe = (phash: string, dhash: string, sha256 = randomBytes(32).toString('hex')) => ({ _id: id(), sha256, phash, dhash, bands: hashBands(phash, dhash), receivedAt: new Date() });

describe('re-used photo look-up', () => {
  let t: TestApp;
  let second: Connection;
  const tenantId = id();

  beforeAll(async () => {
    t = await createTestApp();
    second = await openConnection(inject('mongoUri'), t.config.mongoDb);
  });
  afterAll(async () => { await second.close(); await t.close(); });

  it('finds every photo when two instances store copies of one picture at once', async () => {
    const a = photosService(t.models, t.conn, t.config);
    const b = photosService(registerModels(second), second, t.config);
    const data = await scenePhoto(7, 320, 240);
    const visit = () => ({ _id: id(), tenantId, repId: id(), customerId: id(), customer: { name: '华联超市', address: '人民路100号' } }) as unknown as VisitDoc;
    const saved = await Promise.all(Array.from({ length: 24 }, (_, i) => (i % 2 ? a : b).store(visit(), '张伟', { kind: '门头照', source: 'camera', data })));
    const [one] = saved;
    const later = probe(one!.phash, one!.dhash, one!.sha256);
    const found = await a.similarEarlier(tenantId, [later], id());
    expect(found.map((f) => String(f.other._id)).sort()).toEqual(saved.map((p) => String(p._id)).sort());
  });

  it('finds a copy a few bits away, and neither unrelated, later, same-visit nor other tenants\' photos', async () => {
    const photos = photosService(t.models, t.conn, t.config);
    const visitId = id();
    const original = stored(tenantId, hex16(), hex16());
    const sameVisit = stored(tenantId, original.phash, original.dhash, { visitId });
    const afterwards = stored(tenantId, original.phash, original.dhash, { receivedAt: new Date(Date.now() + 60_000) });
    const otherTenant = stored(id(), original.phash, original.dhash, { sha256: original.sha256 });
    const unrelated = Array.from({ length: 200 }, () => stored(tenantId, hex16(), hex16()));
    await t.models.Photo.insertMany([original, sameVisit, afterwards, otherTenant, ...unrelated]);

    const copy = probe(flipBits(original.phash, [1, 20, 40]), flipBits(original.dhash, [5, 33]));
    const found = (await photos.similarEarlier(tenantId, [copy], visitId)).map((f) => String(f.other._id));
    expect(found).toContain(String(original._id));
    expect(found.length).toBeLessThan(5);
    for (const absent of [sameVisit, afterwards, otherTenant]) expect(found).not.toContain(String(absent._id));

    const sameFile = await photos.similarEarlier(tenantId, [probe(hex16(), hex16(), original.sha256)], visitId);
    expect(sameFile.map((f) => String(f.other._id))).toEqual([String(original._id)]);
  });

  it('still finds a copy when one of its bands is shared by very many photos, and leaves those out', async () => {
    const photos = photosService(t.models, t.conn, t.config);
    const original = stored(tenantId, hex16(), hex16());
    const copy = probe(`${original.phash.slice(0, 12)}${hex16().slice(0, 4)}`, original.dhash);
    // More photos than the look-up reads at once share the copy's first pHash band (a plain wall, say), and were
    // stored before the original, so an overall limit alone would return only them.
    const crowd = Array.from({ length: MAX_PER_KEY * 9 + 50 }, () => stored(tenantId, `${copy.phash.slice(0, 4)}${hex16().slice(4)}`, hex16()));
    await t.models.Photo.insertMany(crowd);
    await t.models.Photo.insertMany([original]);
    const found = (await photos.similarEarlier(tenantId, [copy], id())).map((f) => String(f.other._id));
    expect(found).toContain(String(original._id));
    expect(found.length).toBeLessThan(10);
  });
});
