// `npm run migrate` on a database written by the previous version: documents of the old shapes are converted,
// a second run changes nothing, and today's documents are left alone.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { migrate } from '../../server/db/migrations/index.ts';

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
});
