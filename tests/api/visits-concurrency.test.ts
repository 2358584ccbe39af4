// A visit under storms of retries, as flaky phones send them: one key repeated 100 times, 50 different keys at
// once, a failed effect after the submit. Each ends as one submission, one follow-up task and one recompute per
// rollup day; repeats wait for the first answer instead of polling the database; no claim collection exists.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { burstAt, fieldTeam, fixes, ok, type Client } from '../helpers/visit-flow.ts';
import { scenePhoto } from '../helpers/images.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const STORE = { lng: 121.4737, lat: 31.2304 };
const MIN = 60_000;

describe('visits under concurrent retries', () => {
  let t: TestApp;
  let rep: Client;
  let customerId: string;
  let tenantId: Types.ObjectId;
  let seed = 500;

  /** A visit checked in, photographed, answered and checked out: ready to submit. */
  async function readyVisit(minutesAgo: number) {
    const at = new Date(Date.now() - minutesAgo * MIN);
    const v = await ok(await rep.send('post', '/api/visits', { customerId, deviceTime: at.toISOString() }), 201);
    const id = String(v.id);
    await ok(await rep.send('post', `/api/visits/${id}/check-in`, { fixes: fixes(burstAt(STORE, at)) }));
    for (const kind of ['门头照', '陈列照', '陈列照', '沟通场景照']) await ok(await rep.photo(id, kind, await scenePhoto(seed++)), 201);
    await ok(await rep.send('put', `/api/visits/${id}/answers`, { answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at)) }));
    const out = new Date(at.getTime() + 20 * MIN);
    await ok(await rep.send('post', `/api/visits/${id}/check-out`, { fixes: fixes(burstAt(STORE, out).slice(0, 1)), deviceTime: out.toISOString() }));
    return { id, body: { deviceTime: new Date(out.getTime() + MIN).toISOString() } };
  }

  const visitDoc = async (id: string) => (await t.models.Visit.findOne({ tenantId, _id: id }).lean())!;

  beforeAll(async () => {
    t = await createTestApp();
    const team = await fieldTeam(t);
    rep = team.rep;
    tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
    const created = await ok(await team.manager.post('/api/customers').send({
      name: '华联超市人民路店', address: '人民路 1 号', type: '商超', class: 'A', location: { ...STORE, system: 'GCJ02' },
      contacts: [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }],
    }), 201);
    customerId = String(created.id);
    await ok(await team.manager.post(`/api/customers/${customerId}/claim`).send({ repId: team.users.rep }));
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
