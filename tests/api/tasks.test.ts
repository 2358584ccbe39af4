// Follow-up tasks: a rep lists what they owe and marks it done (repeatable, same answer); nobody completes
// another rep's task; managers see their team's, admins the tenant's.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createTestApp, type TestApp, as } from '../helpers/test-app.ts';
import { client, type Client, ok } from '../helpers/visit-flow.ts';
import { expectError } from '../helpers/envelope.ts';
import { addDays, shanghaiDate } from '../../server/lib/time.ts';

describe('follow-up tasks', () => {
  let t: TestApp;
  let tenantId: string;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let customerId: string;
  const task = { overdue: '', soon: '', colleague: '', cancelled: '' };

  async function seedTask(repId: string, title: string, dueDate: string, status: 'open' | 'cancelled' = 'open'): Promise<string> {
    const created = await t.models.Task.create({
      tenantId, visitId: new Types.ObjectId(), repId, customerId, kind: 'followUp', title, note: '带上新品目录', dueDate, status, createdAt: new Date(),
    });
    return String(created._id);
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ tenantId, users } = await t.seedTenant('acme'));
    manager = as(t.server, await t.login('acme', 'manager'));
    rep = client(t.server, await t.login('acme', 'rep'));
    customerId = String((await ok(await manager.post('/api/customers').send({ name: '华联超市人民路店', address: '人民路 1 号', type: '商超', class: 'C', location: { lng: 121.47, lat: 31.23, system: 'GCJ02' } }), 201)).id);
    const today = shanghaiDate(new Date());
    task.soon = await seedTask(users.rep!, '报价', addDays(today, 3));
    task.overdue = await seedTask(users.rep!, '寄送样品', addDays(today, -2));
    task.colleague = await seedTask(users.rep2!, '安排演示', today);
    task.cancelled = await seedTask(users.rep!, '再次拜访', today, 'cancelled');
  });
  afterAll(async () => { await t.close(); });

  it('a rep lists their own open follow-ups, soonest due first, overdue flagged', async () => {
    const list = await ok(await rep.get('/api/tasks?status=open&kind=followUp'));
    expect(list.items).toEqual([
      { id: task.overdue, kind: 'followUp', repId: users.rep, customerId, customerName: '华联超市人民路店', title: '寄送样品', note: '带上新品目录', dueDate: addDays(shanghaiDate(new Date()), -2), status: 'open', overdue: true, visitId: expect.stringMatching(/^[0-9a-f]{24}$/), doneAt: null, doneNote: null },
      expect.objectContaining({ id: task.soon, title: '报价', overdue: false, status: 'open' }),
    ]);
    // status defaults to open
    expect(((await ok(await rep.get('/api/tasks'))).items as { id: string }[]).map((i) => i.id)).toEqual([task.overdue, task.soon]);
  });

  it('a manager sees the team\'s tasks, or one rep\'s; another team\'s manager sees none of them', async () => {
    const all = (await ok(await manager.get('/api/tasks'))).items as { id: string }[];
    expect(all.map((i) => i.id).sort()).toEqual([task.overdue, task.soon, task.colleague].sort());
    const ofRep2 = (await ok(await manager.get(`/api/tasks?repId=${users.rep2!}`))).items as { id: string }[];
    expect(ofRep2.map((i) => i.id)).toEqual([task.colleague]);
    // A rep naming a colleague still sees only their own.
    expect(((await ok(await rep.get(`/api/tasks?repId=${users.rep2!}`))).items as { id: string }[]).map((i) => i.id)).toEqual([task.overdue, task.soon]);

    const admin = as(t.server, await t.login('acme', 'admin'));
    await ok(await admin.post('/api/users').send({ username: 'zhao.manager', name: '赵经理', role: 'manager' }), 201);
    const otherTeam = as(t.server, await t.login('acme', 'zhao.manager'));
    expect((await ok(await otherTeam.get('/api/tasks'))).items).toEqual([]);
    expect((await ok(await otherTeam.get(`/api/tasks?repId=${users.rep2!}`))).items).toEqual([]);
    const ofTenant = (await ok(await admin.get(`/api/tasks?repId=${users.rep2!}`))).items as { id: string }[];
    expect(ofTenant.map((i) => i.id)).toEqual([task.colleague]);
  });

  it('marks a task done with doneAt; a second call (new key) answers the same and changes nothing', async () => {
    const first = await ok(await rep.send('post', `/api/tasks/${task.overdue}/complete`, { note: '样品已送达' }));
    expect(first).toMatchObject({ id: task.overdue, status: 'done', overdue: false, doneNote: '样品已送达' });
    expect(Date.parse(String(first.doneAt))).toBeGreaterThan(Date.now() - 60_000);
    const again = await ok(await rep.send('post', `/api/tasks/${task.overdue}/complete`, { note: '又点了一次' }));
    expect(again).toEqual(first);
    // Without a body too.
    expect(await ok(await rep.send('post', `/api/tasks/${task.overdue}/complete`, undefined))).toEqual(first);

    expect(((await ok(await rep.get('/api/tasks?status=open'))).items as { id: string }[]).map((i) => i.id)).toEqual([task.soon]);
    const done = (await ok(await rep.get('/api/tasks?status=done'))).items as { id: string; doneAt: string }[];
    expect(done).toEqual([first]);
  });

  it('the same Idempotency-Key replays the first answer', async () => {
    const key = randomUUID();
    const first = await ok(await rep.send('post', `/api/tasks/${task.soon}/complete`, {}, key));
    const replay = await rep.send('post', `/api/tasks/${task.soon}/complete`, {}, key);
    expect(replay.headers['idempotent-replay']).toBe('true');
    expect(replay.body).toEqual(first);
  });

  it('another rep\'s task, an unknown id or a cancelled task cannot be completed', async () => {
    expectError(await rep.send('post', `/api/tasks/${task.colleague}/complete`, {}), 404, 'NOT_FOUND', { field: '/params/id' });
    expectError(await rep.send('post', `/api/tasks/${new Types.ObjectId().toHexString()}/complete`, {}), 404, 'NOT_FOUND');
    expect((await t.models.Task.findOne({ tenantId, _id: task.colleague }).lean())!.status).toBe('open');
    expectError(await rep.send('post', `/api/tasks/${task.cancelled}/complete`, {}), 409, 'TASK_CANCELLED');
    expect((await t.models.Task.findOne({ tenantId, _id: task.cancelled }).lean())!.status).toBe('cancelled');
    // Managers do not tick off reps' tasks.
    expectError(await manager.post(`/api/tasks/${task.colleague}/complete`).set('idempotency-key', randomUUID()).send({}), 403, 'FORBIDDEN');
  });

  it('refuses bad input with field errors', async () => {
    expectError(await rep.get('/api/tasks?status=late'), 400, 'VALIDATION_FAILED', { field: '/query/status' });
    expectError(await rep.get('/api/tasks?kind=call'), 400, 'VALIDATION_FAILED', { field: '/query/kind' });
    expectError(await rep.send('post', `/api/tasks/${task.colleague}/complete`, { note: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED', { field: '/note' });
    expectError(await rep.send('post', '/api/tasks/not-an-id/complete', {}), 400, 'VALIDATION_FAILED', { field: '/params/id' });
    expectError(await rep.get('/api/tasks?limit=0'), 400, 'VALIDATION_FAILED', { field: '/query/limit' });
  });
});
