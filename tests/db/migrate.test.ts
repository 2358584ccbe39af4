// `npm run migrate` on a database written by the previous version: documents of the old shapes are converted,
// a second run changes nothing, and today's documents are left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { migrate } from '../../server/db/migrations/index.ts';
import { hashBands } from '../../server/photos/photo-match.ts';

describe('migrate', () => {
  let t: TestApp;
  const tenantId = new Types.ObjectId();
  const oldVisit = new Types.ObjectId();
  const newVisit = new Types.ObjectId();
  const checkIn = new Date('2026-11-20T01:30:00Z');

  beforeAll(async () => {
    t = await createTestApp();
    const visits = t.conn.db!.collection('visits');
    await visits.insertMany([
      // Written by the previous version: the engine's inputs as JSON text.
      { _id: oldVisit, tenantId, status: 'submitted', verdictInput: JSON.stringify({ facts: { visitId: String(oldVisit), checkIn: { deviceTime: checkIn }, photos: [{ kind: '门头照', uploadedAt: checkIn }] }, history: { photoMatches: [] } }) },
      { _id: new Types.ObjectId(), tenantId, status: 'submitted', verdictInput: '{not json' },
      { _id: newVisit, tenantId, status: 'submitted', verdictInput: { facts: { visitId: String(newVisit), checkIn: { deviceTime: checkIn } }, history: {} } },
    ]);
  });
  afterAll(async () => { await t.close(); });

  it('turns verdictInput text into a subdocument with real dates, and is idempotent', async () => {
    const first = await migrate(t.conn.db!);
    expect(first.find((r) => r.id.includes('verdict-input'))?.changed).toBe(2);
    const visits = t.conn.db!.collection('visits');
    const migrated = await visits.findOne({ _id: oldVisit });
    expect(migrated?.verdictInput.facts.checkIn.deviceTime).toBeInstanceOf(Date);
    expect((migrated?.verdictInput.facts.checkIn.deviceTime as Date).getTime()).toBe(checkIn.getTime());
    expect(migrated?.verdictInput.facts.photos[0].uploadedAt).toBeInstanceOf(Date);
    expect(await visits.countDocuments({ verdictInput: { $type: 'string' } })).toBe(0);
    const untouched = await visits.findOne({ _id: newVisit });
    expect(untouched?.verdictInput.facts.visitId).toBe(String(newVisit));

    const second = await migrate(t.conn.db!);
    for (const r of second) expect(r.changed, r.id).toBe(0);
  });

  it('gives old photos their hash bands, so re-use of them is still found, and drops the old look-up index', async () => {
    const db = t.conn.db!;
    const photo = (phash: string, dhash: string) => ({
      _id: new Types.ObjectId(), tenantId, visitId: new Types.ObjectId(), repId: new Types.ObjectId(), customerId: new Types.ObjectId(),
      kind: '门头照', source: 'camera', sha256: 'a'.repeat(64), phash, dhash, originalFileId: new Types.ObjectId(), watermarkedFileId: new Types.ObjectId(),
      receivedAt: new Date('2026-11-01T02:00:00Z'),
    });
    // Written by the previous version: no bands, and index entries in photo_index_* collections.
    const old = photo('0123456789abcdef', 'fedcba9876543210');
    await db.collection('photos').insertOne(old);
    await db.collection('photo_index_p001').insertOne({ _id: `${String(tenantId)}:p0:0123#0`, photoId: String(old._id) } as never);
    await db.collection('photo_index_sab').insertOne({ _id: `${String(tenantId)}:s:${old.sha256}#0`, photoId: String(old._id) } as never);

    const first = await migrate(db);
    expect(first.find((r) => r.id.includes('photo-bands'))?.changed).toBe(3);
    const migrated = await db.collection('photos').findOne({ _id: old._id });
    expect(migrated?.bands).toEqual(['p0:0123', 'd0:fedc', 'p1:4567', 'd1:ba98', 'p2:89ab', 'd2:7654', 'p3:cdef', 'd3:3210']);
    const left = (await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name).filter((n) => n.startsWith('photo_index_'));
    expect(left).toEqual([]);
    const copy = { _id: new Types.ObjectId(), sha256: 'b'.repeat(64), phash: '0123456789abcde0', dhash: 'fedcba9876543211', bands: hashBands('0123456789abcde0', 'fedcba9876543211'), receivedAt: new Date() };
    const found = await t.services.photos.similarEarlier(tenantId, [copy], new Types.ObjectId());
    expect(found.map((f) => String(f.other._id))).toEqual([String(old._id)]);

    const second = await migrate(db);
    for (const r of second) expect(r.changed, r.id).toBe(0);
  });
});
