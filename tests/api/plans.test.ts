// Monthly visit plans (月度拜访计划) against the real database: a rep drafts, submits, gets it back with a comment,
// revises and resubmits; the manager approves. Coverage gaps come from real held customers and a real visit made
// earlier in the quarter; today's page lists the day's planned visits and ticks one off after a real visit.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { fieldTeam, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate, shanghaiDayStart, shanghaiMonth } from '../../server/lib/time.ts';
import { addMonths, quarterRange } from '../../server/plans/plan-month.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const MIN = 60_000;
const STORE = { lng: 121.4737, lat: 31.2304 };

type Plan = {
  id: string; repId: string; repName: string; month: string; status: string; revision: number;
  items: { id: string; date: string; customerId: string; customerName: string; purpose: string; visitType: string; contactName: string; contactPhone: string }[];
  history: { action: string; by: string; byName: string; comment: string | null; revision: number; at: string }[];
  coverage: { ok: boolean; missing: { customerId: string; customerName: string; class: string; need: string; message_zh: string; message_en: string }[] };
  submittedAt: string | null; decidedAt: string | null; decidedBy: string | null; gapsAtSubmit: number | null;
};

describe('monthly visit plans', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let otherManager: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  const c = { A: '', B: '', C1: '', C2: '', other: '' };
  const month = shanghaiMonth(new Date());
  const today = shanghaiDate(new Date());
  let planId = '';

  async function customer(name: string, klass: string, repId: string): Promise<string> {
    const body = { name, address: `${name}地址`, type: '商超', class: klass, location: { ...STORE, system: 'GCJ02' }, contacts: [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }] };
    const created = await ok(await manager.post('/api/customers').send(body), 201);
    await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function visit(customerId: string, klass: string, checkInAt: Date) {
    const qr = String((await ok(await manager.get(`/api/customers/${customerId}/qr`))).payload);
    const answers = sampleAnswers(FMCG, '商超', klass, shanghaiDate(checkInAt));
    return runVisit(rep, { qr, store: STORE, checkInAt, answers, submitAt: new Date(Math.min(Date.now(), checkInAt.getTime() + 21 * MIN)) });
  }

  const item = (customerId: string, date: string, visitType: 'onsite' | 'phone', extra: Record<string, unknown> = {}) => ({
    date, customerId, purpose: visitType === 'phone' ? '电话回访' : '例行拜访', visitType, contactName: '王店长', contactPhone: '138 0013 8000', ...extra,
  });

  const put = (who: Client, id: string, body: unknown) => who.send('put', `/api/plans/${id}/items`, body);
  const post = (who: Client, path: string, body: unknown) => who.send('post', path, body);

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
    admin = as(t.server, await t.login('acme', 'admin'));
    const m2 = await ok(await admin.post('/api/users').send({ username: 'manager2', name: '赵经理', role: 'manager' }), 201);
    await ok(await admin.post('/api/users').send({ username: 'rep3', name: '孙丽', role: 'rep', managerId: String(m2.id) }), 201);
    otherManager = as(t.server, await t.login('acme', 'manager2'));

    c.A = await customer('华联超市人民路店', 'A', users.rep!);
    c.B = await customer('联华超市南京路店', 'B', users.rep!);
    c.C1 = await customer('好德便利淮海店', 'C', users.rep!);
    c.C2 = await customer('可的便利徐家汇店', 'C', users.rep!);
    c.other = await customer('全家便利静安店', 'A', users.rep2!);

    // A real on-site visit to C1 earlier in this quarter (a day after it began when that is past, else just now).
    const now = Date.now();
    const early = quarterRange(month).start.getTime() + 24 * 60 * MIN;
    await visit(c.C1, 'C', new Date(early < now - 60 * MIN ? early : Math.max(now - 30 * MIN, quarterRange(month).start.getTime() + MIN)));
  }, 180_000);
  afterAll(async () => { await t.close(); });

  it('draft → edit → submit → returned with a comment → revised → resubmitted → approved, history kept in order', async () => {
    const opened = await ok(await post(rep, '/api/plans', { month })) as Plan;
    expect(opened).toMatchObject({ repId: users.rep, repName: '张伟', month, status: 'draft', revision: 1, items: [] });
    expect(opened.history).toEqual([{ at: expect.any(String), by: users.rep, byName: '张伟', action: 'created', comment: null, revision: 1 }]);
    planId = opened.id;
    // Opening the month again returns the same plan.
    expect((await ok(await post(rep, '/api/plans', { month })) as Plan).id).toBe(planId);

    const first = [item(c.B, today, 'onsite'), item(c.C1, `${month}-01`, 'phone'), item(c.C2, `${month}-01`, 'phone', { purposeNote: '确认补货时间' })];
    const edited = await ok(await put(rep, planId, { revision: 1, items: first })) as Plan;
    expect(edited.revision).toBe(2);
    expect(edited.items).toEqual([
      { id: expect.stringMatching(/^[0-9a-f]{24}$/), date: today, customerId: c.B, customerName: '联华超市南京路店', purpose: '例行拜访', purposeNote: '', visitType: 'onsite', contactName: '王店长', contactPhone: '13800138000' },
      expect.objectContaining({ customerId: c.C1, customerName: '好德便利淮海店', visitType: 'phone', purpose: '电话回访' }),
      expect.objectContaining({ customerId: c.C2, customerName: '可的便利徐家汇店', purposeNote: '确认补货时间' }),
    ]);

    // Submitting with gaps is allowed; the answer names them: the A customer is not planned on site, and C2 has
    // no on-site visit this quarter (C1 has one, from the real visit earlier in the quarter).
    const submitted = await ok(await post(rep, `/api/plans/${planId}/submit`, { revision: 2 })) as Plan;
    expect(submitted).toMatchObject({ status: 'submitted', revision: 3, gapsAtSubmit: 2, submittedAt: expect.any(String) });
    expect(submitted.coverage.ok).toBe(false);
    expect(submitted.coverage.missing).toEqual([
      { customerId: c.A, customerName: '华联超市人民路店', class: 'A', need: 'onsiteThisMonth', message_zh: expect.stringContaining('上门拜访'), message_en: expect.stringContaining('on-site') },
      { customerId: c.C2, customerName: '可的便利徐家汇店', class: 'C', need: 'onsiteThisQuarter', message_zh: expect.stringMatching(/季度.*已完成 0 次/), message_en: expect.stringContaining('0 done') },
    ]);

    // The manager's view carries the same gaps; the list shows the count.
    const seen = await ok(await manager.get(`/api/plans/${planId}`)) as Plan;
    expect(seen.coverage).toEqual(submitted.coverage);
    expect(await ok(await manager.get(`/api/plans/${planId}/coverage`))).toEqual(submitted.coverage);
    const listed = (await ok(await manager.get(`/api/plans?month=${month}&status=submitted`))).items as { id: string; itemCount: number; gapsAtSubmit: number }[];
    expect(listed).toEqual([expect.objectContaining({ id: planId, repName: '张伟', status: 'submitted', itemCount: 3, gapsAtSubmit: 2 })]);

    // Returning needs a comment.
    expectError(await manager.post(`/api/plans/${planId}/return`).send({}), 400, 'VALIDATION_FAILED', { field: '/comment', code: 'REQUIRED' });
    expectError(await manager.post(`/api/plans/${planId}/return`).send({ comment: '   ' }), 400, 'VALIDATION_FAILED', { field: '/comment' });
    const returned = await ok(await manager.post(`/api/plans/${planId}/return`).send({ comment: '请补上A类客户华联超市的上门拜访' })) as Plan;
    expect(returned).toMatchObject({ status: 'returned', revision: 4, decidedBy: users.manager, decidedAt: expect.any(String) });

    // Wrong-state actions are refused with a clear code.
    expectError(await manager.post(`/api/plans/${planId}/approve`).send({}), 409, 'PLAN_WRONG_STATE', { field: '/status', code: 'WRONG_STATE' });

    const revisedItems = [...returned.items, item(c.A, today, 'onsite'), item(c.C2, `${month}-02`, 'onsite')];
    const revised = await ok(await put(rep, planId, { revision: 4, items: revisedItems })) as Plan;
    expect(revised).toMatchObject({ status: 'returned', revision: 5 });
    expect(revised.items.slice(0, 3).map((i) => i.id)).toEqual(returned.items.map((i) => i.id)); // ids kept across edits
    expect(revised.coverage).toEqual({ ok: true, missing: [] });

    const resubmitted = await ok(await post(rep, `/api/plans/${planId}/submit`, { revision: 5 })) as Plan;
    expect(resubmitted).toMatchObject({ status: 'submitted', revision: 6, gapsAtSubmit: 0, decidedAt: null, decidedBy: null });

    const approved = await ok(await manager.post(`/api/plans/${planId}/approve`).send({ comment: '同意' })) as Plan;
    expect(approved).toMatchObject({ status: 'approved', revision: 7, decidedBy: users.manager });
    expect(approved.history.map((h) => [h.action, h.revision, h.byName, h.comment])).toEqual([
      ['created', 1, '张伟', null],
      ['edited', 2, '张伟', null],
      ['submitted', 3, '张伟', null],
      ['returned', 4, '王经理', '请补上A类客户华联超市的上门拜访'],
      ['edited', 5, '张伟', null],
      ['resubmitted', 6, '张伟', null],
      ['approved', 7, '王经理', '同意'],
    ]);

    // Approved plans are no longer edited, submitted or decided again.
    expectError(await put(rep, planId, { revision: 7, items: [] }), 409, 'PLAN_WRONG_STATE');
    expectError(await post(rep, `/api/plans/${planId}/submit`, { revision: 7 }), 409, 'PLAN_WRONG_STATE');
    expectError(await manager.post(`/api/plans/${planId}/return`).send({ comment: '再看看' }), 409, 'PLAN_WRONG_STATE');
    expect((await ok(await rep.get(`/api/plans/${planId}`)) as Plan).revision).toBe(7);
  });

  it('a submit repeated after the answer was lost returns the submitted plan, not a conflict', async () => {
    const next = addMonths(month, 2);
    const plan = await ok(await post(rep2, '/api/plans', { month: next })) as Plan;
    const once = await ok(await post(rep2, `/api/plans/${plan.id}/submit`, { revision: 1 })) as Plan;
    const again = await ok(await post(rep2, `/api/plans/${plan.id}/submit`, { revision: 1 })) as Plan;
    expect(again).toMatchObject({ id: plan.id, status: 'submitted', revision: once.revision });
    expect(again.history.filter((h) => h.action === 'submitted')).toHaveLength(1);
  });

  describe('editing next month', () => {
    const next = addMonths(month, 1);
    let id = '';
    let revision = 0;

    beforeAll(async () => {
      const plan = await ok(await post(rep, '/api/plans', { month: next })) as Plan;
      id = plan.id;
      revision = (await ok(await put(rep, id, { revision: plan.revision, items: [item(c.A, `${next}-03`, 'onsite')] })) as Plan).revision;
    });

    const stored = async () => (await ok(await rep.get(`/api/plans/${id}`))) as Plan;

    it('a stale revision is a 409 conflict and changes nothing', async () => {
      const before = await stored();
      const err = expectError(await put(rep, id, { revision: revision - 1, items: [] }), 409, 'PLAN_REVISION_CONFLICT', { field: '/revision', code: 'STALE' });
      expect(err.details[0]!.message_en).toContain(`revision ${revision}`);
      expectError(await post(rep, `/api/plans/${id}/submit`, { revision: revision - 1 }), 409, 'PLAN_REVISION_CONFLICT');
      expect(await stored()).toEqual(before);
    });

    it('refuses items for customers the rep does not hold, with a pointer, and writes nothing', async () => {
      const before = await stored();
      const items = [item(c.A, `${next}-03`, 'onsite'), item(c.B, `${next}-04`, 'onsite'), item(c.C1, `${next}-05`, 'phone'), item(c.other, `${next}-06`, 'onsite')];
      const err = expectError(await put(rep, id, { revision, items }), 400, 'VALIDATION_FAILED', { field: '/items/3/customerId', code: 'NOT_HELD' });
      expect(err.details).toHaveLength(1);
      expect(await stored()).toEqual(before);
    });

    it('refuses a bad phone, a day outside the month and a second visit to one customer on one day, each at its item', async () => {
      const before = await stored();
      const items = [
        item(c.A, `${next}-03`, 'onsite', { contactPhone: '12345' }),
        item(c.B, `${month}-04`, 'onsite'),
        item(c.C1, `${next}-05`, 'phone'),
        item(c.C1, `${next}-05`, 'onsite'),
      ];
      const err = expectError(await put(rep, id, { revision, items }), 400, 'VALIDATION_FAILED');
      expect(err.details.map((d) => [d.field, d.code])).toEqual([
        ['/items/0/contactPhone', 'INVALID_PHONE'],
        ['/items/1/date', 'OUTSIDE_MONTH'],
        ['/items/3/customerId', 'DUPLICATE_VISIT'],
      ]);
      // Shape errors are caught before any of that: an unknown purpose, a missing contact.
      const shape = expectError(await put(rep, id, { revision, items: [{ ...item(c.A, `${next}-03`, 'onsite'), purpose: '喝茶', contactName: undefined }] }), 400, 'VALIDATION_FAILED');
      expect(shape.details.map((d) => d.field).sort()).toEqual(['/items/0/contactName', '/items/0/purpose']);
      expectError(await put(rep, id, { revision, items: Array.from({ length: 501 }, () => item(c.A, `${next}-03`, 'onsite')) }), 400, 'VALIDATION_FAILED', { field: '/items', code: 'TOO_MANY_ITEMS' });
      expect(await stored()).toEqual(before);
    });
  });

  it('who sees and decides what: reps only their own, managers their direct reports, admins all', async () => {
    // A rep cannot approve, not even someone else's plan.
    expectError(await rep.send('post', `/api/plans/${planId}/approve`, {}), 403, 'FORBIDDEN');
    // Another rep of the same team cannot see it.
    expectError(await rep2.get(`/api/plans/${planId}`), 404, 'NOT_FOUND', { field: '/params/id' });
    // A manager of another team: not found, and cannot decide.
    expectError(await otherManager.get(`/api/plans/${planId}`), 404, 'NOT_FOUND', { field: '/params/id' });
    expectError(await otherManager.get(`/api/plans/${planId}/coverage`), 404, 'NOT_FOUND');
    expectError(await otherManager.post(`/api/plans/${planId}/return`).send({ comment: '越权' }), 404, 'NOT_FOUND');
    expect((await ok(await otherManager.get(`/api/plans?month=${month}`))).items).toEqual([]);
    expect((await ok(await otherManager.get(`/api/plans?month=${month}&repId=${users.rep}`))).items).toEqual([]);

    const byRep = (items: { repId: string }[]) => items.map((p) => p.repId).sort();
    await ok(await post(rep2, '/api/plans', { month }));
    const teamIds = [users.rep!, users.rep2!].sort();
    expect(byRep((await ok(await manager.get(`/api/plans?month=${month}`))).items as { repId: string }[])).toEqual(teamIds);
    expect(byRep((await ok(await manager.get(`/api/plans?month=${month}&repId=${users.rep2}`))).items as { repId: string }[])).toEqual([users.rep2]);
    expect(byRep((await ok(await admin.get(`/api/plans?month=${month}`))).items as { repId: string }[])).toEqual(teamIds);
    expect(byRep((await ok(await rep.get(`/api/plans?month=${month}`))).items as { repId: string }[])).toEqual([users.rep]);
    expect((await ok(await rep.get(`/api/plans?month=${month}&status=draft`))).items).toEqual([]);
    expectError(await rep.get('/api/plans'), 400, 'VALIDATION_FAILED', { field: '/query/month', code: 'REQUIRED' });
    // Managers and admins do not draft plans of their own.
    expectError(await manager.post('/api/plans').send({ month }), 403, 'FORBIDDEN');
  });

  it('concurrent approvals end approved once, with one history entry', async () => {
    const plan = (await ok(await post(rep2, '/api/plans', { month }))) as Plan;
    const submitted = await ok(await post(rep2, `/api/plans/${plan.id}/submit`, { revision: plan.revision })) as Plan;
    const results = await Promise.all([
      ...Array.from({ length: 6 }, () => manager.post(`/api/plans/${plan.id}/approve`).send({ comment: '同意' })),
      admin.post(`/api/plans/${plan.id}/approve`).send({}),
    ]);
    for (const res of results) expect([200, 409], JSON.stringify(res.body)).toContain(res.status);
    expect(results.some((r) => r.status === 200)).toBe(true);
    const after = await ok(await manager.get(`/api/plans/${plan.id}`)) as Plan;
    expect(after.status).toBe('approved');
    expect(after.revision).toBe(submitted.revision + 1);
    expect(after.history.filter((h) => h.action === 'approved')).toHaveLength(1);
    for (const res of results.filter((r) => r.status === 200)) expect(res.body).toMatchObject({ status: 'approved', revision: after.revision });
  });

  it('concurrent edits from one revision: one lands, the other is a conflict', async () => {
    const plan = (await ok(await post(rep2, '/api/plans', { month: addMonths(month, 3) }))) as Plan;
    const results = await Promise.all([1, 2, 3].map(() => put(rep2, plan.id, { revision: plan.revision, items: [] })));
    expect(results.map((r) => r.status).sort()).toEqual([200, 409, 409]);
    const after = await ok(await rep2.get(`/api/plans/${plan.id}`)) as Plan;
    expect(after.history.map((h) => h.action)).toEqual(['created', 'edited']);
  });

  it('today lists the day\'s visits of the approved plan, ticked off after a real visit', async () => {
    const planned = async () => (await ok(await rep.get('/api/me/today'))).planned as { customerId: string; done: boolean }[];
    const contact = { contactName: '王店长', contactPhone: '13800138000' };
    expect(await planned()).toEqual([
      { id: expect.any(String), customerId: c.B, customerName: '联华超市南京路店', purpose: '例行拜访', visitType: 'onsite', ...contact, done: false },
      { id: expect.any(String), customerId: c.A, customerName: '华联超市人民路店', purpose: '例行拜访', visitType: 'onsite', ...contact, done: false },
    ]);
    // rep2's approved plan has no items today; a manager has no plan.
    expect((await ok(await rep2.get('/api/me/today'))).planned).toEqual([]);
    expect((await ok(await manager.get('/api/me/today'))).planned).toEqual([]);

    const dayStart = shanghaiDayStart(today).getTime();
    await visit(c.A, 'A', new Date(Math.max(Date.now() - 30 * MIN, dayStart + MIN)));
    expect((await planned()).map((p) => [p.customerId, p.done])).toEqual([[c.B, false], [c.A, true]]);
  }, 60_000);

  it('the KPI read helper returns the approved plans\' items in a date range', async () => {
    const tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
    const all = await t.services.plans.itemsInRange(tenantId, null, `${month}-01`, `${addMonths(month, 1)}-28`);
    // Only the approved plan of rep (rep2's approved plan is empty; next month's plan is a draft).
    expect(all.map((i) => [i.repId, i.customerId, i.visitType]).sort()).toEqual([
      [users.rep, c.A, 'onsite'], [users.rep, c.B, 'onsite'], [users.rep, c.C1, 'phone'], [users.rep, c.C2, 'onsite'], [users.rep, c.C2, 'phone'],
    ].sort());
    expect(all.every((i) => i.date >= `${month}-01` && i.date <= `${addMonths(month, 1)}-28`)).toBe(true);
    expect((await t.services.plans.itemsInRange(tenantId, [users.rep!], today, today)).map((i) => i.customerId).sort()).toEqual([c.A, c.B].sort());
    expect(await t.services.plans.itemsInRange(tenantId, [users.rep2!], `${month}-01`, `${month}-28`)).toEqual([]);
  });
});
