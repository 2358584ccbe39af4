// Manager reviews through the API: the review queue (red, then yellow, unreviewed first, newest first), a manager
// sees only their team's visits, the list filters the dashboard and forms pages link with, confirming the machine
// verdict and sending to call-back (both audited), the reviewer's context, and bad input refused with pointers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { client, fieldTeam, freshPhoto, ok, runVisit, type Client, type VisitPlan } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const DAY = 86_400_000;

type Api = ReturnType<typeof as>;
interface VisitRow { id: string; repId: string; effectiveBand: string; review: { action: string } | null; audit: Record<string, unknown>[]; verdict: { band: string } }

describe('reviews', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: Api;
  let admin: Api;
  let li: Api;
  let rep: Client;
  let rep2: Client;
  let chen: Client;
  let chenId: string;
  let formId: string;
  let storeNo = 0;
  const v: Record<'green' | 'yellow' | 'red1' | 'red2' | 'chenRed', string> = { green: '', yellow: '', red1: '', red2: '', chenRed: '' };
  let greenPhoto: Buffer;
  const today = shanghaiDate(new Date());

  /** A store ~1 km from the last, held by the rep, with three contacts that have phones. */
  async function store(repId: string) {
    storeNo += 1;
    const p = { lng: 121.40 + storeNo * 0.01, lat: 31.21 };
    const c = await ok(await admin.post('/api/customers').send({
      name: `审核门店${storeNo}`, address: `上海市徐汇区审核路${storeNo}号`, type: '商超', class: 'A', location: { ...p, system: 'GCJ02' },
      contacts: [{ name: '王店长', role: '店长', phone: '13800000001', isKey: true }, { name: '李采购', role: '采购', phone: '13800000002' }, { name: '赵老板', role: '老板', phone: '13800000003' }],
    }), 201);
    await ok(await admin.post(`/api/customers/${String(c.id)}/claim`).send({ repId }));
    const qr = String((await ok(await admin.get(`/api/customers/${String(c.id)}/qr`))).payload);
    return { p, qr, id: String(c.id) };
  }

  async function play(c: Client, repId: string, daysAgo: number, extra: Partial<VisitPlan> = {}) {
    const s = await store(repId);
    const checkInAt = new Date(Date.now() - daysAgo * DAY);
    const done = await runVisit(c, { qr: s.qr, store: s.p, checkInAt, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(checkInAt)), ...extra });
    return { ...done, customerId: s.id, checkInAt };
  }

  const ids = (body: { items: { id: string }[] }) => body.items.map((i) => i.id);
  const queue = async (who: Api, query = '') => (await ok(await who.get(`/api/visits?queue=1${query}`))) as unknown as { items: VisitRow[]; nextCursor: string | null };

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
    admin = as(t.server, await t.login('acme', 'admin'));
    // A second team: 李主管 with one rep of her own.
    const liUser = await ok(await admin.post('/api/users').send({ username: 'li', name: '李主管', role: 'manager' }), 201);
    chenId = String((await ok(await admin.post('/api/users').send({ username: 'chen', name: '陈静', role: 'rep', managerId: String(liUser.id) }), 201)).id);
    li = as(t.server, await t.login('acme', 'li'));
    chen = client(t.server, await t.login('acme', 'chen'));
    formId = String(((await ok(await manager.get('/api/forms'))).items as { id: string }[])[0]!.id);

    const green = await play(rep, users.rep!, 12);
    expect(green.submitted.verdict.band, JSON.stringify(green.submitted.verdict.reasons)).toBe('green');
    v.green = green.id;
    greenPhoto = green.pictures[0]!;
    const yellow = await play(rep, users.rep!, 10, { stayMin: 3 });
    expect(yellow.submitted.verdict.band, JSON.stringify(yellow.submitted.verdict.reasons)).toBe('yellow');
    v.yellow = yellow.id;
    // The storefront photo of the green visit, handed in again: the very same file.
    const reused = async () => [greenPhoto, ...(await Promise.all([0, 1, 2].map(() => freshPhoto())))];
    v.red1 = (await play(rep, users.rep!, 8, { photos: await reused() })).id;
    v.red2 = (await play(rep2, users.rep2!, 6, { photos: await reused() })).id;
    v.chenRed = (await play(chen, chenId, 4, { photos: await reused() })).id;
    for (const id of [v.red1, v.red2, v.chenRed]) expect((await ok(await admin.get(`/api/visits/${id}`))).effectiveBand).toBe('red');
  }, 120_000);
  afterAll(async () => { await t.close(); });

  describe('the review queue', () => {
    it('puts red first, then yellow, newest first within a band, and leaves green out unless asked', async () => {
      const q = await queue(manager);
      expect(ids(q)).toEqual([v.red2, v.red1, v.yellow]);
      expect(q.nextCursor).toBeNull();
      expect(ids(await queue(manager, '&band=green'))).toEqual([v.green]);
      expect(ids(await queue(manager, '&band=red,yellow,green'))).toEqual([v.red2, v.red1, v.yellow, v.green]);
    });

    it('moves a confirmed visit behind the unreviewed ones of its band', async () => {
      const approved = (await ok(await manager.post(`/api/visits/${v.red2}/approve`).send({ note: '已电话核实，门店确认' }))) as unknown as VisitRow;
      expect(approved.review).toMatchObject({ action: 'approve' });
      expect(ids(await queue(manager))).toEqual([v.red1, v.red2, v.yellow]);
    });

    it('pages with a cursor through the same order', async () => {
      const seen: string[] = [];
      let cursor: string | null = '';
      for (let i = 0; i < 6 && cursor !== null; i += 1) {
        const page = await queue(manager, `&band=red,yellow,green&limit=1${cursor ? `&cursor=${cursor}` : ''}`);
        seen.push(...ids(page));
        cursor = page.nextCursor;
      }
      expect(seen).toEqual([v.red1, v.red2, v.yellow, v.green]);
    });
  });

  describe('team scope', () => {
    it('a manager sees only their team: li neither lists nor opens wang\'s reps\' visits', async () => {
      expect(ids(await queue(li))).toEqual([v.chenRed]);
      const all = (await ok(await li.get('/api/visits'))) as unknown as { items: VisitRow[] };
      expect(all.items.every((i) => i.repId === chenId)).toBe(true);
      expect(ids(await queue(li, `&repId=${users.rep!}`))).toEqual([]);
      for (const url of [`/api/visits/${v.red1}`, `/api/visits/${v.red1}/photos`, `/api/visits/${v.red1}/context`]) {
        expectError(await li.get(url), 404, 'NOT_FOUND', { field: '/params/id' });
      }
      for (const action of ['approve', 'callback']) expectError(await li.post(`/api/visits/${v.red1}/${action}`).send({}), 404, 'NOT_FOUND', { field: '/params/id' });
      expectError(await li.post(`/api/visits/${v.red1}/override`).send({ band: 'green', reason: '不是我的团队' }), 404, 'NOT_FOUND', { field: '/params/id' });
      const untouched = (await ok(await admin.get(`/api/visits/${v.red1}`))) as unknown as VisitRow;
      expect(untouched.review).toBeNull();
      expect(untouched.audit).toEqual([]);
    });

    it('wang does not see li\'s team; an admin sees everyone; a rep only their own', async () => {
      expect(ids(await queue(manager))).not.toContain(v.chenRed);
      expectError(await manager.get(`/api/visits/${v.chenRed}`), 404, 'NOT_FOUND', { field: '/params/id' });
      expect(ids(await queue(admin))).toEqual([v.chenRed, v.red1, v.red2, v.yellow]);
      const own = (await ok(await rep2.get('/api/visits?queue=1'))) as unknown as { items: VisitRow[] };
      expect(ids(own)).toEqual([v.red2]);
    });
  });

  describe('filters', () => {
    it('by rep, check-in dates (China time), effective band, customer, form version and status', async () => {
      expect(ids((await ok(await manager.get(`/api/visits?repId=${users.rep2!}`))) as never)).toEqual([v.red2]);
      const day = (n: number) => shanghaiDate(new Date(Date.now() - n * DAY));
      expect(ids((await ok(await manager.get(`/api/visits?from=${day(10)}&to=${day(8)}`))) as never)).toEqual([v.red1, v.yellow]);
      expect(ids((await ok(await manager.get(`/api/visits?from=${day(7)}`))) as never)).toEqual([v.red2]);
      expect(ids((await ok(await manager.get('/api/visits?band=red'))) as never)).toEqual([v.red2, v.red1]);
      expect(ids((await ok(await manager.get(`/api/visits?band=yellow&repId=${users.rep!}`))) as never)).toEqual([v.yellow]);
      const red1 = (await ok(await manager.get(`/api/visits/${v.red1}`))) as unknown as { customerId: string };
      expect(ids((await ok(await manager.get(`/api/visits?customerId=${red1.customerId}`))) as never)).toEqual([v.red1]);
      expect(ids((await ok(await manager.get(`/api/visits?formId=${formId}&version=1`))) as never)).toHaveLength(4);
      expect(ids((await ok(await manager.get(`/api/visits?formId=${formId}&version=2`))) as never)).toEqual([]);
      expect(ids((await ok(await manager.get('/api/visits?status=started'))) as never)).toEqual([]);
    });

    it('an override changes the band a visit is found under', async () => {
      await ok(await manager.post(`/api/visits/${v.yellow}/override`).send({ band: 'green', reason: '店长证实主管在场，停留短因门店盘点' }));
      expect(ids((await ok(await manager.get('/api/visits?band=green'))) as never)).toEqual([v.yellow, v.green]);
      expect(ids(await queue(manager))).toEqual([v.red1, v.red2]);
    });
  });

  describe('approve (确认机器结论)', () => {
    it('is audited with who, when and the machine band, keeps the band, and happens once', async () => {
      const body = (await ok(await manager.get(`/api/visits/${v.red2}`))) as unknown as VisitRow;
      expect(body.effectiveBand).toBe('red');
      expect(body.audit).toEqual([expect.objectContaining({ action: 'approve', band: 'red', byName: '王经理', note: '已电话核实，门店确认' })]);
      await ok(await manager.post(`/api/visits/${v.red2}/approve`));
      expect(((await ok(await manager.get(`/api/visits/${v.red2}`))) as unknown as VisitRow).audit).toHaveLength(1);
    });

    it('is refused for an overridden visit and for one not yet submitted', async () => {
      expectError(await manager.post(`/api/visits/${v.yellow}/approve`).send({}), 409, 'VISIT_OVERRIDDEN', { field: '/params/id', code: 'OVERRIDDEN' });
      const s = await store(users.rep!);
      const started = await ok(await rep.send('post', '/api/visits', { qr: s.qr, deviceTime: new Date().toISOString() }), 201);
      expectError(await manager.post(`/api/visits/${String(started.id)}/approve`).send({}), 409, 'VISIT_WRONG_STATE', { field: '/status', code: 'NOT_SUBMITTED' });
      expectError(await manager.post(`/api/visits/${String(started.id)}/callback`).send({}), 409, 'VISIT_WRONG_STATE', { field: '/status' });
    });

    it('is for managers and admins only', async () => {
      expectError(await rep.send('post', `/api/visits/${v.red1}/approve`, {}), 403, 'FORBIDDEN');
    });
  });

  describe('send to call-back (转电话回访)', () => {
    it('puts the visit on today\'s list with the contact\'s phone, audited, once', async () => {
      const res = (await ok(await manager.post(`/api/visits/${v.red1}/callback`).send({ note: '照片与上周相同，请核实' }))) as unknown as { callback: { _id: string; date: string; phone: string; contactName: string; band: string }; visit: VisitRow };
      expect(res.callback).toMatchObject({ date: today, phone: '13800000001', contactName: '王店长', band: 'red' });
      expect(res.visit.review).toMatchObject({ action: 'callback' });
      expect(res.visit.audit.at(-1)).toMatchObject({ action: 'sendToCallback', date: today, phone: '13800000001', byName: '王经理', note: '照片与上周相同，请核实' });
      await ok(await manager.post(`/api/visits/${v.red1}/callback`).send({}));
      const list = (await ok(await manager.get(`/api/callbacks?date=${today}`))) as unknown as { items: { _id: string; visitId: string; phone: string }[] };
      expect(list.items.filter((c) => c.visitId === v.red1)).toHaveLength(1);
      expect(await t.models.Callback.countDocuments({ tenantId: (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id, visitId: v.red1 })).toBe(1);
      // Another team's manager neither sees it nor records its outcome.
      const liList = (await ok(await li.get(`/api/callbacks?date=${today}`))) as unknown as { items: { visitId: string }[] };
      expect(liList.items.map((c) => c.visitId)).not.toContain(v.red1);
      expectError(await li.post(`/api/callbacks/${res.callback._id}/outcome`).send({ outcome: 'confirmed' }), 404, 'NOT_FOUND', { field: '/params/id' });
    });

    it('the outcome outranks the verdict and a second send is refused', async () => {
      const list = (await ok(await manager.get(`/api/callbacks?date=${today}`))) as unknown as { items: { _id: string; visitId: string }[] };
      const cb = list.items.find((c) => c.visitId === v.red1)!;
      await ok(await manager.post(`/api/callbacks/${cb._id}/outcome`).send({ outcome: 'confirmed', note: '店长确认业务员到店' }));
      const after = (await ok(await manager.get(`/api/visits/${v.red1}`))) as unknown as VisitRow;
      expect(after.effectiveBand).toBe('green');
      expect(after.verdict.band).toBe('red');
      expect(after.audit.at(-1)).toMatchObject({ action: 'callback', outcome: 'confirmed', byName: '王经理' });
      expectError(await manager.post(`/api/visits/${v.red1}/callback`).send({}), 409, 'CALLBACK_ALREADY_RECORDED', { field: '/params/id' });
      expect(ids(await queue(manager, '&band=green'))).toContain(v.red1);
    });
  });

  describe('the reviewer\'s context', () => {
    it('gives the fence used, the rep\'s recent visits with bands, and the reasons with measured values', async () => {
      const ctx = (await ok(await manager.get(`/api/visits/${v.red2}/context`))) as unknown as {
        fence: { shape: string; radiusM: number; location: { lng: number; lat: number } };
        recent: { id: string; band: string }[];
        reasons: { code: string; measured: number; threshold: number; unit: string; message_zh: string }[];
      };
      expect(ctx.fence).toMatchObject({ shape: 'circle', radiusM: 200 });
      expect(ctx.fence.location.lng).toBeGreaterThan(121);
      const same = ctx.reasons.find((r) => r.code === 'PHOTO_SAME_FILE');
      expect(same, JSON.stringify(ctx.reasons)).toBeDefined();
      expect(same!.message_zh).toMatch(/\p{Script=Han}/u);
      expect(typeof same!.measured).toBe('number');
      expect(ctx.recent).toEqual([]); // rep2 has only this visit
      const repCtx = (await ok(await manager.get(`/api/visits/${v.red1}/context`))) as unknown as typeof ctx;
      expect(repCtx.recent.map((r) => [r.id, r.band])).toEqual([[v.yellow, 'green'], [v.green, 'green']]);
      expectError(await rep.get(`/api/visits/${v.red1}/context`), 403, 'FORBIDDEN');
    });
  });

  describe('bad input is refused with pointers', () => {
    it.each([
      ['from after to', '?from=2026-11-30&to=2026-11-01', '/query/to', 'RANGE'],
      ['version without formId', '?version=2', '/query/version', 'REQUIRES_FORM_ID'],
      ['an unknown band', '?band=purple', '/query/band', undefined],
      ['a malformed rep id', '?repId=nobody', '/query/repId', undefined],
      ['a bad date', '?from=2026-13-01', '/query/from', undefined],
      ['the queue with another status', '?queue=1&status=started', '/query/status', 'QUEUE_SUBMITTED_ONLY'],
      ['a cursor outside the queue', '?cursor=0.123', '/query/cursor', 'QUEUE_ONLY'],
      ['a malformed cursor', '?queue=1&cursor=abc', '/query/cursor', undefined],
    ])('%s', async (_label, query, field, code) => {
      expectError(await manager.get(`/api/visits${query}`), 400, 'VALIDATION_FAILED', code ? { field, code } : { field });
    });

    it('approve and call-back bodies are checked, nothing half-written', async () => {
      expectError(await manager.post(`/api/visits/${v.green}/approve`).send({ note: 42 }), 400, 'VALIDATION_FAILED', { field: '/note' });
      expectError(await manager.post(`/api/visits/${v.green}/callback`).send({ phone: '110' }), 400, 'VALIDATION_FAILED', { field: '/phone', code: 'UNKNOWN_FIELD' });
      expectError(await manager.post('/api/visits/not-an-id/approve').send({}), 400, 'VALIDATION_FAILED', { field: '/params/id' });
      const green = (await ok(await manager.get(`/api/visits/${v.green}`))) as unknown as VisitRow;
      expect(green.review).toBeNull();
      expect(green.audit).toEqual([]);
    });
  });
});
