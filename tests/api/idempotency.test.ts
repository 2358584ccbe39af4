// Idempotency keys that cannot jam a phone: a key left pending by a request that died is taken over once its lease
// is over; server errors and "try again" answers are never kept as the final answer; the same key with another
// body is refused; keys expire by a TTL index.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Types } from 'mongoose';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { fieldTeam, ok, type Client } from '../helpers/visit-flow.ts';
import { requestHash } from '../../server/http/idempotency.ts';

describe('idempotency keys', () => {
  let t: TestApp;
  let rep: Client;
  let customerId: string;
  let tenantId: Types.ObjectId;
  let repId: Types.ObjectId;
  const start = (deviceTime = '2026-12-01T02:00:00.000Z') => ({ customerId, deviceTime });

  beforeAll(async () => {
    t = await createTestApp({ idempotencyLeaseMs: 2_000 });
    const team = await fieldTeam(t);
    rep = team.rep;
    tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
    repId = (await t.models.User.findOne({ tenantId, username: 'rep' }).lean())!._id;
    const created = await ok(await team.manager.post('/api/customers').send({
      name: '键测试店', address: '人民路 9 号', type: '商超', class: 'C', location: { lng: 121.47, lat: 31.23, system: 'GCJ02' },
    }), 201);
    customerId = String(created.id);
    await ok(await team.manager.post(`/api/customers/${customerId}/claim`).send({ repId: team.users.rep }));
  });
  afterAll(async () => { await t.close(); });

  const visitsOfRep = () => t.models.Visit.countDocuments({ tenantId, repId });

  it('a key left pending by a request that died is taken over after its lease, and the retry succeeds', async () => {
    const key = 'died-mid-request-01';
    const body = start();
    // What a server killed during the request leaves behind: the key, pending, held by a process that is gone.
    await t.models.IdempotencyKey.create({
      tenantId, userId: repId, key, method: 'POST', path: '/api/visits', bodyHash: requestHash({ request: { body } } as never),
      state: 'pending', holder: 'dead-process', leaseUntil: new Date(Date.now() + 1_500), createdAt: new Date(), expiresAt: new Date(Date.now() + 86_400_000),
    });
    const before = await visitsOfRep();
    const res = await rep.send('post', '/api/visits', body, key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(await visitsOfRep()).toBe(before + 1);
    const again = await rep.send('post', '/api/visits', body, key);
    expect(again.status).toBe(201);
    expect(again.headers['idempotent-replay']).toBe('true');
    expect(again.body.id).toBe(res.body.id);
    expect(await visitsOfRep()).toBe(before + 1);
    expect(await t.models.IdempotencyKey.findOne({ tenantId, userId: repId, key }).lean()).toMatchObject({ state: 'done', status: 201 });
  });

  it('a server error is not kept: the retry with the same key runs for real', async () => {
    const key = 'server-error-then-ok';
    const spy = vi.spyOn(t.services.visits, 'start').mockRejectedValueOnce(new Error('database hiccup'));
    try {
      const failed = await rep.send('post', '/api/visits', start('2026-12-01T03:00:00.000Z'), key);
      expect(failed.status).toBe(500);
      expect(await t.models.IdempotencyKey.countDocuments({ tenantId, userId: repId, key })).toBe(0);
      const retried = await rep.send('post', '/api/visits', start('2026-12-01T03:00:00.000Z'), key);
      expect(retried.status).toBe(201);
      expect(retried.headers['idempotent-replay']).toBeUndefined();
    } finally {
      spy.mockRestore();
    }
  });

  it('a final refusal (4xx) is kept and replayed', async () => {
    const key = 'refused-once-00001';
    const bad = { customerId: '0123456789abcdef01234567', deviceTime: '2026-12-01T04:00:00.000Z' };
    expectError(await rep.send('post', '/api/visits', bad, key), 404, 'NOT_FOUND');
    const replay = await rep.send('post', '/api/visits', bad, key);
    expect(replay.status).toBe(404);
    expect(replay.headers['idempotent-replay']).toBe('true');
  });

  it('the same key with another body is 422 IDEMPOTENCY_KEY_REUSED, and changes nothing', async () => {
    const key = 'reused-key-0000001';
    await ok(await rep.send('post', '/api/visits', start('2026-12-01T05:00:00.000Z'), key), 201);
    const before = await visitsOfRep();
    expectError(await rep.send('post', '/api/visits', start('2026-12-01T05:30:00.000Z'), key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await visitsOfRep()).toBe(before);
  });

  it('keys expire through a TTL index (7 days by default)', async () => {
    const indexes = await t.models.IdempotencyKey.collection.indexes();
    expect(indexes.find((i) => i.key.expiresAt === 1)).toMatchObject({ expireAfterSeconds: 0 });
    const key = await t.models.IdempotencyKey.findOne({ tenantId, userId: repId, key: 'reused-key-0000001' }).lean();
    const days = (key!.expiresAt.getTime() - key!.createdAt.getTime()) / 86_400_000;
    expect(days).toBeCloseTo(7, 5);
  });
});
