// The lifecycle's races and retries that the happy path never meets: a photo that finishes processing after the
// visit was submitted, answers changed while the submit judges, and retries of a start or an upload whose first
// try got through but whose answer (and idempotency record) was lost.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import type { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { ok, type Client } from '../helpers/visit-flow.ts';
import { expectError } from '../helpers/envelope.ts';
import { scenePhoto } from '../helpers/images.ts';
import { FMCG, storeVisits } from '../helpers/store-visits.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const MIN = 60_000;

describe('visit lifecycle races', () => {
  let t: TestApp;
  let rep: Client;
  let customerId: string;
  let tenantId: Types.ObjectId;
  let steps: Awaited<ReturnType<typeof storeVisits>>;
  const readyVisit = (minutesAgo: number) => steps.readyVisit(minutesAgo);
  const checkedIn = (minutesAgo: number) => steps.checkedIn(minutesAgo);
  const freshPicture = () => scenePhoto(steps.nextPhotoSeed());

  const gridFiles = () => t.conn.db!.collection('photos.files').countDocuments({ 'metadata.tenantId': tenantId });
  /** Forgets every stored answer, as when the first try died before its answer was kept. */
  const forgetAnswers = () => t.models.IdempotencyKey.deleteMany({ tenantId });

  beforeAll(async () => {
    t = await createTestApp();
    steps = await storeVisits(t, 900);
    ({ rep, tenantId, customerId } = steps);
  });
  afterAll(async () => { await t.close(); });

  it('a photo finished after the visit was submitted is refused and leaves neither a document nor files', async () => {
    const { id } = await readyVisit(200);
    const photos = await t.models.Photo.countDocuments({ tenantId });
    const files = await gridFiles();
    const real = t.services.photos.store.bind(t.services.photos);
    const store = vi.spyOn(t.services.photos, 'store').mockImplementationOnce(async (...args) => {
      const photo = await real(...args);
      await t.models.Visit.updateOne({ tenantId, _id: id }, { $set: { status: 'submitted' } }); // a submit lands meanwhile
      return photo;
    });
    try {
      expectError(await rep.photo(id, '陈列照', await freshPicture()), 409, 'VISIT_WRONG_STATE', { field: '/status' });
    } finally {
      store.mockRestore();
    }
    expect(await t.models.Photo.countDocuments({ tenantId })).toBe(photos);
    expect(await gridFiles()).toBe(files);
  });

  it('answers changed while the submit judges: the submit judges again and keeps what was last saved', async () => {
    const { id, at, body } = await readyVisit(160);
    const answers = sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at)) as { stockOrder: Record<string, unknown> };
    const changed = { ...answers, stockOrder: { ...answers.stockOrder, orderAmount: 88 } };
    const authenticity = t.services.scoring.activeAuthenticity.bind(t.services.scoring);
    let judged = 0;
    const spy = vi.spyOn(t.services.scoring, 'activeAuthenticity').mockImplementation(async (tenant) => {
      judged += 1;
      if (judged === 1) await ok(await rep.send('put', `/api/visits/${id}/answers`, { answers: changed }));
      return authenticity(tenant);
    });
    try {
      const done = await ok(await rep.send('post', `/api/visits/${id}/submit`, body));
      expect(done.status).toBe('submitted');
    } finally {
      spy.mockRestore();
    }
    expect(judged).toBe(2);
    const stored = (await t.models.Visit.findOne({ tenantId, _id: id }).lean())!;
    expect(stored.answers).toMatchObject({ stockOrder: { orderAmount: 88 } });
    // Answers after the submit are refused.
    expectError(await rep.send('put', `/api/visits/${id}/answers`, { answers: changed }), 409, 'VISIT_WRONG_STATE');
  });

  it('a start retried after its answer was lost finds the visit its first try created', async () => {
    const key = randomUUID();
    const body = { customerId, deviceTime: new Date(Date.now() - 120 * MIN).toISOString() };
    const first = await ok(await rep.send('post', '/api/visits', body, key), 201);
    await forgetAnswers();
    const again = await ok(await rep.send('post', '/api/visits', body, key), 201);
    expect(again.id).toBe(first.id);
    expect(await t.models.Visit.countDocuments({ tenantId, startKey: key })).toBe(1);
  });

  it('an upload retried after its answer was lost finds the photo its first try stored', async () => {
    const { id } = await checkedIn(100);
    const key = randomUUID();
    const data = await freshPicture();
    const first = await ok(await rep.photo(id, '门头照', data, { key }), 201);
    const files = await gridFiles();
    await forgetAnswers();
    const again = await ok(await rep.photo(id, '门头照', data, { key }), 201);
    expect(again.id).toBe(first.id);
    expect(await t.models.Photo.countDocuments({ tenantId, visitId: id })).toBe(1);
    expect(await gridFiles()).toBe(files);
  });
});
