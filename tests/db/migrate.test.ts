// `npm run migrate` on a database written by the previous version: documents of the old shapes are converted,
// a second run changes nothing, and today's documents are left alone. Old shapes: visits' verdictInput as JSON
// text; KPI rollups in monthly collections with their figures packed into text, and the KPI snapshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { migrate } from '../../server/db/migrations/index.ts';
import { photoBands, probeBands } from '../../server/photos/photo-match.ts';
import { pixelFactsOfFile } from '../../server/photos/photo-inspect.ts';
import { dHash, pHash } from '../../server/photos/photo-hash.ts';
import { photoBucket, saveFile } from '../../server/photos/photo-store.ts';
import { comparePixels } from '../../server/photos/photo-pixels.ts';
import { scenePhoto, transforms } from '../helpers/images.ts';
import { customerRepo } from '../../server/customers/customer.repo.ts';
import { customerView } from '../../server/customers/customer-view.ts';
import type { CustomerDoc } from '../../server/customers/customer.model.ts';
import { kpiRepo } from '../../server/kpis/kpi.repo.ts';

describe('migrate', () => {
  let t: TestApp;
  const tenantId = new Types.ObjectId();
  const oldVisit = new Types.ObjectId();
  const newVisit = new Types.ObjectId();
  const checkIn = new Date('2026-11-20T01:30:00Z');
  const userId = new Types.ObjectId();
  const customerBase = (code: string) => ({
    tenantId, code, name: `客户${code}`, address: '上海市黄浦区人民路 100 号', type: '商超', class: 'C', fenceRadiusM: null,
    contacts: [], assignedReps: [], claims: [], revision: 3, createdBy: userId, updatedBy: userId, createdAt: checkIn, updatedAt: checkIn,
  });
  // Written by the previous version: the API's { lng, lat } shapes stored as they were.
  const oldFenced = { _id: new Types.ObjectId(), ...customerBase('OLD-1'),
    location: { lng: 121.4737, lat: 31.2304, system: 'GCJ02', original: { lng: 121.4802, lat: 31.2361, system: 'BD09' } },
    fence: {
      system: 'GCJ02', polygon: [{ lng: 121.473, lat: 31.230 }, { lng: 121.474, lat: 31.230 }, { lng: 121.474, lat: 31.231 }],
      original: { system: 'BD09', polygon: [{ lng: 121.4796, lat: 31.2358 }, { lng: 121.4806, lat: 31.2358 }, { lng: 121.4806, lat: 31.2368 }] },
    } };
  const oldPoint = { _id: new Types.ObjectId(), ...customerBase('OLD-2'),
    location: { lng: 121.4900, lat: 31.2304, system: 'GCJ02', original: { lng: 121.4855, lat: 31.2323, system: 'WGS84' } }, fence: null };
  const current = { _id: new Types.ObjectId(), ...customerBase('NEW-1'),
    point: { type: 'Point', coordinates: [121.4600, 31.2304] }, pointMeta: { system: 'GCJ02', original: { lng: 121.4600, lat: 31.2304, system: 'GCJ02' } },
    fence: null, fenceMeta: null };
  const rep = new Types.ObjectId();
  const [c1, c2] = [new Types.ObjectId(), new Types.ObjectId()];
  const oldAsOf = new Date('2026-11-21T02:00:00Z');

  beforeAll(async () => {
    t = await createTestApp();
    const visits = t.conn.db!.collection('visits');
    await visits.insertMany([
      // Written by the previous version: the engine's inputs as JSON text.
      { _id: oldVisit, tenantId, status: 'submitted', verdictInput: JSON.stringify({ facts: { visitId: String(oldVisit), checkIn: { deviceTime: checkIn }, photos: [{ kind: '门头照', uploadedAt: checkIn }] }, history: { photoMatches: [] } }) },
      { _id: new Types.ObjectId(), tenantId, status: 'submitted', verdictInput: '{not json' },
      { _id: newVisit, tenantId, status: 'submitted', verdictInput: { facts: { visitId: String(newVisit), checkIn: { deviceTime: checkIn } }, history: {} } },
    ]);
    // KPI rollups as the previous version wrote them: a collection per month, the figures packed into text.
    await t.conn.db!.collection<{ _id: string }>('kpi_rollups_202611').insertMany([
      {
        _id: `${String(tenantId)}:${String(rep)}:2026-11-20`, asOf: oldAsOf,
        counts: 'visits:3,onsite:2,phone:1,joint:0,green:2,yellow:1,red:0,valid:2,durationSum:46.5,durationCount:3,reportsOnTime:3,evidenceSum:11,followUpsDue:1,followUpsOnTime:1',
        customers: `${String(c1)}:A:2:0,${String(c2)}:C:0:1`,
        paths: JSON.stringify([[checkIn.getTime(), '商超', 'QI门陈OCFS'], [checkIn.getTime() + 3_600_000, '药店', 'LIOS']]),
      } as never,
      { _id: 'not-a-rollup-key', counts: 'visits:1' } as never,
    ]);
    await t.conn.db!.collection<{ _id: string }>('kpi_rollups_202612').insertOne({ _id: `${String(tenantId)}:${String(rep)}:2026-12-01`, asOf: oldAsOf, counts: 'visits:1,followUpsDue:2', customers: '', paths: '[]' } as never);
    await t.conn.db!.collection<{ _id: string }>('kpi_snapshots').insertOne({ _id: `${String(tenantId)}:holdings`, at: oldAsOf, gen: 'g1', chunks: 1 } as never);
    // A rollup the new version already recomputed from a later read: the old one does not replace it.
    await t.models.KpiRollup.create({ tenantId, repId: rep, date: '2026-12-01', asOf: new Date('2026-12-02T00:00:00Z'), visits: 5, customers: [], paths: [] });
  });
  afterAll(async () => { await t.close(); });

  it('turns verdictInput text into a subdocument with real dates, and is idempotent', async () => {
    const first = await migrate(t.conn.db!);
    expect(first.find((r) => r.id.includes('verdict-input'))?.changed).toBe(2);
    // One rollup converted (the unreadable one and the older duplicate are not), two monthly collections and the
    // snapshots dropped.
    expect(first.find((r) => r.id.includes('kpi-rollups'))?.changed).toBe(4);
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

  it('turns the monthly KPI rollup collections into documents of the one rollup collection and drops them', async () => {
    const rollups = await t.models.KpiRollup.find({ tenantId }, { _id: 0 }).sort({ date: 1 }).lean();
    expect(rollups).toHaveLength(2);
    expect(rollups[0]).toEqual({
      tenantId, repId: rep, date: '2026-11-20', asOf: oldAsOf,
      visits: 3, onsite: 2, phone: 1, joint: 0, green: 2, yellow: 1, red: 0, valid: 2, durationSum: 46.5, durationCount: 3,
      reportsOnTime: 3, evidenceSum: 11, followUpsDue: 1, followUpsOnTime: 1,
      customers: [{ customerId: c1, cls: 'A', onsite: 2, phone: 0 }, { customerId: c2, cls: 'C', onsite: 0, phone: 1 }],
      paths: [{ at: checkIn, type: '商超', path: 'QI门陈OCFS' }, { at: new Date(checkIn.getTime() + 3_600_000), type: '药店', path: 'LIOS' }],
    });
    expect(rollups[1]).toMatchObject({ date: '2026-12-01', visits: 5 }); // the newer rollup stood
    // The KPIs read them with their ordinary filter.
    const read = await kpiRepo(t.models).rollups(tenantId, [String(rep)], '2026-11-01', '2026-11-30');
    expect(read).toEqual([expect.objectContaining({ repId: String(rep), date: '2026-11-20', visits: 3, customers: [{ customerId: String(c1), cls: 'A', onsite: 2, phone: 0 }, { customerId: String(c2), cls: 'C', onsite: 0, phone: 1 }] })]);
    const names = (await t.conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => n.startsWith('kpi_'))).toEqual([]);
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
    const copy = { _id: new Types.ObjectId(), sha256: 'b'.repeat(64), phash: '0123456789abcde0', dhash: 'fedcba9876543211', receivedAt: new Date() };
    const found = await t.services.photos.similarEarlier(tenantId, [copy], new Types.ObjectId());
    expect(found.map((f) => String(f.other._id))).toEqual([String(old._id)]);

    const second = await migrate(db);
    for (const r of second) expect(r.changed, r.id).toBe(0);
  });

  it('measures photos of the previous version from their stored file (centre hashes, thumbnail, detail), once', async () => {
    const db = t.conn.db!;
    const original = await scenePhoto(1313, 800, 600);
    const fileId = await saveFile(photoBucket(t.conn), original, 'original.jpeg', { tenantId });
    const [phash, dhash] = await Promise.all([pHash(original), dHash(original)]);
    const base = { tenantId, visitId: new Types.ObjectId(), repId: new Types.ObjectId(), customerId: new Types.ObjectId(), kind: '门头照', source: 'camera', sha256: 'c'.repeat(64), phash, dhash, watermarkedFileId: new Types.ObjectId(), receivedAt: new Date('2026-11-02T02:00:00Z') };
    // Written by the previous version: whole-frame bands only, no thumbnail; one of them has lost its file.
    const stored = { _id: new Types.ObjectId(), ...base, originalFileId: fileId, bands: probeBands({ phash, dhash }) };
    const lost = { _id: new Types.ObjectId(), ...base, originalFileId: new Types.ObjectId(), bands: probeBands({ phash, dhash }) };
    await db.collection('photos').insertMany([stored, lost]);

    const first = await migrate(db);
    expect(first.find((r) => r.id.includes('photo-pixels'))?.changed).toBe(2);
    const migrated = (await t.models.Photo.findOne({ tenantId, _id: stored._id }).lean())!;
    const expected = await pixelFactsOfFile(original, 100e6);
    expect(migrated).toMatchObject({ centrePhash: expected.centrePhash, centreDhash: expected.centreDhash, detail: expected.detail });
    expect(migrated.bands).toEqual(photoBands({ phash, dhash, ...expected }));
    expect(migrated.bands.length).toBeGreaterThan(8);
    // The stored thumbnail is the one an upload makes: a re-encoded copy compares as the same picture.
    const thumb = (await t.services.photos.pixelsOf(tenantId, [stored._id])).get(String(stored._id))!.thumb!;
    const copy = await pixelFactsOfFile(await transforms.reencode(original), 100e6);
    expect(comparePixels(copy.thumb, thumb).similarity).toBeGreaterThan(0.98);
    // Unreadable: marked, matched on hashes alone, and not tried again.
    expect(await db.collection('photos').findOne({ _id: lost._id })).toMatchObject({ detail: null, bands: probeBands({ phash, dhash }) });

    const second = await migrate(db);
    expect(second.find((r) => r.id.includes('photo-pixels'))?.changed).toBe(0);
  });

  it('turns customer locations and fences into GeoJSON the 2dsphere index serves; the API shows them as before', async () => {
    const customers = t.conn.db!.collection('customers');
    await customers.insertMany([oldFenced, oldPoint, current]);
    const currentBefore = await customers.findOne({ _id: current._id });
    const first = await migrate(t.conn.db!);
    expect(first.find((r) => r.id.includes('customer-geojson'))?.changed).toBe(2);
    const fenced = await customers.findOne({ _id: oldFenced._id });
    expect(fenced).not.toHaveProperty('location');
    expect(fenced).toMatchObject({
      point: { type: 'Point', coordinates: [121.4737, 31.2304] },
      pointMeta: { system: 'GCJ02', original: { lng: 121.4802, lat: 31.2361, system: 'BD09' } },
      fence: { type: 'Polygon', coordinates: [[[121.473, 31.230], [121.474, 31.230], [121.474, 31.231], [121.473, 31.230]]] },
      fenceMeta: { system: 'GCJ02', original: oldFenced.fence.original },
    });
    const pointOnly = await customers.findOne({ _id: oldPoint._id });
    expect(pointOnly).toMatchObject({ point: { type: 'Point', coordinates: [121.49, 31.2304] }, fence: null, fenceMeta: null });
    expect(await customers.findOne({ _id: current._id })).toEqual(currentBefore);

    // What clients read is unchanged by the conversion.
    expect(customerView(fenced as unknown as CustomerDoc)).toMatchObject({ location: oldFenced.location, fence: oldFenced.fence });
    expect(customerView(pointOnly as unknown as CustomerDoc)).toMatchObject({ location: oldPoint.location, fence: null });
    // And a geo query finds the converted customers, nearest first.
    const near = await customerRepo(t.models).nearby(tenantId, { lng: 121.4740, lat: 31.2304 }, { maxDistanceM: 5_000, limit: 10 });
    expect(near.map((c) => c.code)).toEqual(['OLD-1', 'NEW-1', 'OLD-2']);

    const again = await migrate(t.conn.db!);
    for (const r of again) expect(r.changed, r.id).toBe(0);
    expect(await customers.countDocuments({ location: { $exists: true } })).toBe(0);
  });
});

describe('migrate at start-up', () => {
  it('runs only the steps no run has completed: a starting server does not scan again', async () => {
    const t = await createTestApp();
    try {
      const db = t.conn.db!;
      const first = await migrate(db, { pendingOnly: true });
      expect(first.length).toBeGreaterThan(0);
      expect(await migrate(db, { pendingOnly: true })).toEqual([]);
      // `npm run migrate` still runs every step (here: one more old-shape visit, from a restored backup say).
      await db.collection('visits').insertOne({ tenantId: new Types.ObjectId(), status: 'submitted', verdictInput: JSON.stringify({ facts: {}, history: {} }) });
      expect((await migrate(db)).find((r) => r.id.includes('verdict-input'))?.changed).toBe(1);
    } finally {
      await t.close();
    }
  });
});
