// GET /api/me/today: a rep's follow-ups due, visits left unsubmitted and this month's coverage of the customers
// they hold, computed from real visits; a colleague sees none of it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type as } from '../helpers/test-app.ts';
import { fieldTeam, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { addDays, shanghaiDate, shanghaiMonth, shanghaiMonthRange } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const MIN = 60_000;
const DAY = 86_400_000;

describe('GET /api/me/today', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  const ids = { visitedA: '', startedA: '', lateC: '', heldB: '', visit: '', lateVisit: '', started: '' };

  async function customer(name: string, klass: string, repId: string, p = { lng: 121.4737, lat: 31.2304 }): Promise<string> {
    const contacts = [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }];
    const created = await ok(await manager.post('/api/customers').send({ name, address: `${name}地址`, type: '商超', class: klass, location: { ...p, system: 'GCJ02' }, contacts }), 201);
    await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function visit(customerId: string, klass: string, checkInAt: Date, dueDate?: string) {
    const qr = String((await ok(await manager.get(`/api/customers/${customerId}/qr`))).payload);
    const answers = sampleAnswers(FMCG, '商超', klass, shanghaiDate(checkInAt));
    if (dueDate) (answers.followUp as { dueDate: string }).dueDate = dueDate;
    return runVisit(rep, { qr, store: { lng: 121.4737, lat: 31.2304 }, checkInAt, answers, submitAt: new Date(Math.min(Date.now(), checkInAt.getTime() + 21 * MIN)) });
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
    ids.visitedA = await customer('华联超市人民路店', 'A', users.rep!);
    ids.startedA = await customer('联华超市南京路店', 'A', users.rep!, { lng: 121.4801, lat: 31.2355 });
    ids.lateC = await customer('好德便利淮海店', 'C', users.rep!, { lng: 121.4602, lat: 31.2201 });
    ids.heldB = await customer('可的便利徐家汇店', 'B', users.rep2!, { lng: 121.4371, lat: 31.1952 });

    // This month: a submitted on-site visit whose follow-up is due today. Checked in early enough to end before
    // now, but never before the month began (a run just after midnight on the 1st).
    const now = Date.now();
    const checkIn = new Date(Math.max(now - 30 * MIN, shanghaiMonthRange(new Date(now)).start.getTime() + MIN));
    ids.visit = (await visit(ids.visitedA, 'A', checkIn, shanghaiDate(new Date(now)))).id;
    // Last month: a submitted visit (not this month's coverage) whose follow-up (due 3 days later) is now overdue.
    const lastMonth = new Date(shanghaiMonthRange(new Date(now)).start.getTime() - 6 * DAY);
    ids.lateVisit = (await visit(ids.lateC, 'C', lastMonth)).id;
    // Started, not submitted: waiting on the phone.
    ids.started = String((await ok(await rep.send('post', '/api/visits', { customerId: ids.startedA, deviceTime: new Date(now - 5 * MIN).toISOString() }), 201)).id);
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('shows the rep their follow-ups (overdue flagged), the unsubmitted visit and the coverage per class', async () => {
    const now = new Date();
    const today = await ok(await rep.get('/api/me/today'));
    expect(today.date).toBe(shanghaiDate(now));
    expect(today.planned).toEqual([]);
    const lateDue = addDays(shanghaiDate(new Date(shanghaiMonthRange(now).start.getTime() - 6 * DAY)), 3);
    expect(today.followUps).toEqual([
      { id: expect.stringMatching(/^[0-9a-f]{24}$/), customerId: ids.lateC, customerName: '好德便利淮海店', title: '寄送样品', note: '', dueDate: lateDue, overdue: true, visitId: ids.lateVisit },
      { id: expect.stringMatching(/^[0-9a-f]{24}$/), customerId: ids.visitedA, customerName: '华联超市人民路店', title: '寄送样品', note: '', dueDate: shanghaiDate(now), overdue: false, visitId: ids.visit },
    ]);
    expect(today.awaiting).toEqual([
      { visitId: ids.started, customerId: ids.startedA, customerName: '联华超市南京路店', status: 'started', startedAt: expect.any(String) },
    ]);
    expect(today.coverage).toEqual({
      month: shanghaiMonth(now),
      classes: [
        { class: 'A', total: 2, visited: 1 },
        { class: 'B', total: 0, visited: 0 },
        { class: 'C', total: 1, visited: 0 },
        { class: 'D', total: 0, visited: 0 },
      ],
    });
  });

  it('leaves out follow-ups due after tomorrow and those already done', async () => {
    const tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
    const task = await t.models.Task.findOne({ tenantId, visitId: ids.visit }).lean();
    await t.models.Task.updateOne({ tenantId, _id: task!._id }, { $set: { dueDate: addDays(shanghaiDate(new Date()), 2) } });
    expect(((await ok(await rep.get('/api/me/today'))).followUps as { visitId: string }[]).map((f) => f.visitId)).toEqual([ids.lateVisit]);
    await t.models.Task.updateOne({ tenantId, _id: task!._id }, { $set: { dueDate: addDays(shanghaiDate(new Date()), 1) } });
    expect(((await ok(await rep.get('/api/me/today'))).followUps as { visitId: string }[]).map((f) => f.visitId)).toEqual([ids.lateVisit, ids.visit]);

    const late = await t.models.Task.findOne({ tenantId, visitId: ids.lateVisit }).lean();
    await ok(await rep.send('post', `/api/tasks/${String(late!._id)}/complete`, {}));
    expect(((await ok(await rep.get('/api/me/today'))).followUps as { visitId: string }[]).map((f) => f.visitId)).toEqual([ids.visit]);
  });

  it('a colleague sees nothing of it: only their own customer, unvisited', async () => {
    const today = await ok(await rep2.get('/api/me/today'));
    expect(today.followUps).toEqual([]);
    expect(today.awaiting).toEqual([]);
    expect((today.coverage as { classes: unknown[] }).classes).toEqual([
      { class: 'A', total: 0, visited: 0 },
      { class: 'B', total: 1, visited: 0 },
      { class: 'C', total: 0, visited: 0 },
      { class: 'D', total: 0, visited: 0 },
    ]);
  });

  it('a manager may ask for their own day (they hold nothing here)', async () => {
    const today = await ok(await manager.get('/api/me/today'));
    expect(today).toMatchObject({ planned: [], followUps: [], awaiting: [] });
    expect((today.coverage as { classes: { total: number }[] }).classes.every((c) => c.total === 0)).toBe(true);
  });

  it('coverage counts customers the rep holds now: a released customer drops out, its visit with it', async () => {
    await ok(await manager.post(`/api/customers/${ids.visitedA}/release`).send({ repId: users.rep }));
    const today = await ok(await rep.get('/api/me/today'));
    expect((today.coverage as { classes: unknown[] }).classes[0]).toEqual({ class: 'A', total: 1, visited: 0 });
  });
});
