// A visit under storms of retries, as flaky phones send them: one key repeated 100 times, 50 different keys at
// once, a failed effect after the submit. Each ends as one submission, one follow-up task and one recompute per
// rollup day; repeats wait for the first answer instead of polling the database; no claim collection exists.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import type { Client } from '../helpers/visit-flow.ts';
import { storeVisits } from '../helpers/store-visits.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

describe('visits under concurrent retries', () => {
  let t: TestApp;
  let rep: Client;
  let tenantId: Types.ObjectId;
  let readyVisit: Awaited<ReturnType<typeof storeVisits>>['readyVisit'];

  const visitDoc = async (id: string) => (await t.models.Visit.findOne({ tenantId, _id: id }).lean())!;

  beforeAll(async () => {
    t = await createTestApp();
    ({ rep, tenantId, readyVisit } = await storeVisits(t, 500));
  });
  afterAll(async () => { await t.close(); });

  it('100 submits with one key: every caller gets the one answer, and the repeats wait instead of polling', async () => {
    const { id, body } = await readyVisit(120);
    const keyReads: string[] = [];
    t.conn.set('debug', (collection: string, method: string) => { if (collection === 'idempotencykeys' && method === 'findOne') keyReads.push(method); });
    try {
      const storm = await Promise.all(Array.from({ length: 100 }, () => rep.send('post', `/api/visits/${id}/submit`, body, 'one-key-storm-0001')));
      expect(storm.map((r) => r.status)).toEqual(Array(100).fill(200));
      expect(new Set(storm.map((r) => JSON.stringify(r.body))).size).toBe(1);
      expect(storm.filter((r) => r.headers['idempotent-replay'] === 'true')).toHaveLength(99);
    } finally {
      t.conn.set('debug', false);
    }
    // The repeats wait on the request holding the key instead of reading it every few milliseconds: at most one
    // read per request (one that arrives after the answer is kept reads it once to replay it).
    expect(keyReads.length).toBeLessThanOrEqual(100);
    expect(await t.models.Task.countDocuments({ tenantId, visitId: id })).toBe(1);
  }, 120_000);

  it('50 submits under 50 keys at once: one submission, one task, one recompute per rollup day, no claim collection', async () => {
    const { id, body } = await readyVisit(90);
    const refresh = vi.spyOn(t.services.rollups, 'refreshDay');
    try {
      const storm = await Promise.all(Array.from({ length: 50 }, () => rep.send('post', `/api/visits/${id}/submit`, body)));
      expect(storm.map((r) => r.status)).toEqual(Array(50).fill(200));
      expect(new Set(storm.map((r) => JSON.stringify(r.body.verdict))).size).toBe(1);
      expect(new Set(storm.map((r) => String(r.body.followUpTaskId))).size).toBe(1);
      const v = await visitDoc(id);
      expect(v.status).toBe('submitted');
      expect(v.effects).toEqual([]);
      const days = new Set([shanghaiDate(v.checkIn!.deviceTime as Date), (v.answers.followUp as { dueDate: string }).dueDate]);
      expect(refresh.mock.calls.length).toBe(days.size);
      expect(new Set(refresh.mock.calls.map((c) => c[2]))).toEqual(days);
    } finally {
      refresh.mockRestore();
    }
    const tasks = await t.models.Task.find({ tenantId, visitId: id }).lean();
    expect(tasks).toHaveLength(1);
    expect(String(tasks[0]!._id)).toBe(String((await visitDoc(id)).followUpTaskId));
    const names = (await t.conn.db!.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name);
    expect(names.filter((n) => /step|claim|attempt/i.test(n))).toEqual([]);
  }, 120_000);

  it('an effect that fails after the submit stays recorded on the visit and is carried out later, exactly once', async () => {
    const { id, body } = await readyVisit(60);
    const refresh = vi.spyOn(t.services.rollups, 'refreshDay').mockRejectedValueOnce(new Error('rollup store down'));
    try {
      const res = await rep.send('post', `/api/visits/${id}/submit`, body);
      expect(res.status).toBe(200);
      let v = await visitDoc(id);
      expect(v.effects).toHaveLength(1);
      expect(v.effects![0]).toMatchObject({ kind: 'rollup', attempts: 1, lastError: 'rollup store down' });
      expect(v.effectsDueAt!.getTime()).toBeGreaterThan(Date.now());
      // Not due yet: the worker leaves it.
      expect(await t.services.visits.runDueEffects(tenantId)).toBe(0);
      await t.models.Visit.updateOne({ tenantId, _id: id }, { $set: { effectsDueAt: new Date(Date.now() - 1000) } });
      const calls = refresh.mock.calls.length;
      expect(await t.services.visits.runDueEffects(tenantId)).toBe(1);
      expect(refresh.mock.calls.length).toBe(calls + 1);
      v = await visitDoc(id);
      expect(v.effects).toEqual([]);
      expect(v.effectsDueAt).toBeUndefined();
      expect(await t.services.visits.runDueEffects(tenantId)).toBe(0);
      expect(refresh.mock.calls.length).toBe(calls + 1);
      expect(await t.models.Task.countDocuments({ tenantId, visitId: id })).toBe(1);
    } finally {
      refresh.mockRestore();
    }
  });
});
