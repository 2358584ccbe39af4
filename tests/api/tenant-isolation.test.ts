// Two tenants in one database: nothing of tenant B can be read, changed or referenced by tenant A, through any
// route that takes an id (iterated from the route table, so new routes are covered without editing this file).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { Model } from 'mongoose';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { apiRoutes, API_PREFIX, buildApp } from '../../server/app.ts';
import type { AnyRoute } from '../../server/http/route.ts';
import type { VersionedDoc } from '../../server/versioning/versioned.model.ts';
import { shanghaiMonth } from '../../server/lib/time.ts';

type Client = ReturnType<typeof as>;

interface Target { id: string; revision: number; content: Record<string, unknown> }

/** A minimal valid body per route that has a body schema; a new route with a body needs a recipe here. */
const BODY_RECIPES: Record<string, (target: Target) => unknown> = {
  'patch /users/:id': () => ({ name: '被篡改', role: 'admin', active: false }),
  'put /forms/:id/draft': (tg) => ({ revision: tg.revision, name: '被篡改的表单', schema: { ...tg.content, title: '被篡改' } }),
  'post /forms/:id/publish': () => ({ note: '越权发布' }),
  'post /forms/:id/versions/:version/check-answers': () => ({ context: { customerType: '商超', customerClass: 'A' }, answers: {} }),
  'put /scoring-templates/:id/draft': (tg) => ({ revision: tg.revision, name: '被篡改的评分', config: { ...tg.content, validVisitThreshold: 1 } }),
  'post /scoring-templates/:id/publish': () => ({ note: '越权发布' }),
  'patch /customers/:id': () => ({ name: '被篡改的客户', class: 'D' }),
  'post /customers/:id/contacts': () => ({ name: '卧底' }),
  'patch /customers/:id/contacts/:contactId': () => ({ role: '被篡改' }),
  'post /customers/:id/claim': (tg) => ({ repId: tg.content.repId }),
  'post /customers/:id/release': (tg) => ({ repId: tg.content.repId }),
  'post /visits/:id/check-in': () => ({ fixes: [{ lng: 118.8001, lat: 32.0601, system: 'GCJ02', accuracyM: 15, deviceTime: new Date().toISOString() }] }),
  'put /visits/:id/answers': () => ({ answers: {} }),
  'post /visits/:id/photos': () => ({ kind: '门头照', source: 'camera' }),
  'post /visits/:id/photos/host-media': () => ({ kind: '门头照', source: 'camera', mediaId: 'MEDIA_ID_1' }),
  'post /visits/:id/check-out': () => ({ fixes: [], deviceTime: new Date().toISOString() }),
  'post /visits/:id/submit': () => ({ deviceTime: new Date().toISOString() }),
  'post /visits/:id/override': () => ({ band: 'green', reason: '越权改判' }),
  'post /visits/:id/approve': () => ({ note: '越权确认' }),
  'post /visits/:id/callback': () => ({ note: '越权回访' }),
  'post /callbacks/:id/outcome': () => ({ outcome: 'confirmed' }),
  'post /scoring-templates/:id/what-if': () => ({ from: '2026-11-01', to: '2026-11-30' }),
  'post /tasks/:id/complete': () => ({ note: '越权完成' }),
  'put /plans/:id/items': (tg) => ({ revision: tg.revision, items: [] }),
  'post /plans/:id/submit': (tg) => ({ revision: tg.revision }),
  'post /plans/:id/approve': () => ({ comment: '越权批准' }),
  'post /plans/:id/return': () => ({ comment: '越权退回' }),
  'post /visits/:id/appeal/photos': () => ({ source: 'camera' }),
  'post /visits/:id/appeal': () => ({ note: '越权申诉' }),
  'post /appeals/:id/decide': () => ({ decision: 'overturn', reason: '越权改判' }),
};

/** Routes whose A-side call may end in a business refusal (wrong step, missing evidence): reaching it is enough. */
const REACHED_IS_ENOUGH = /^(post|put|get) \/(visits|callbacks|plans|appeals)\//;
const TINY_JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==', 'base64');

const routeKey = (r: AnyRoute) => `${r.method} ${r.path}`;

function send(client: Client, r: AnyRoute, url: string, body: unknown): request.Test {
  const req = client[r.method](url).set('idempotency-key', randomUUID());
  if (r.multipart) {
    const fields = body as Record<string, string>;
    return Object.entries(fields).reduce((q, [k, v]) => q.field(k, v), req).attach('file', TINY_JPEG, { filename: 'a.jpg', contentType: 'image/jpeg' });
  }
  return body === undefined ? req : req.send(body as object);
}

function clientOf(server: Parameters<typeof request>[0], token: string): Client {
  return {
    get: (u) => request(server).get(u).set('authorization', `Bearer ${token}`),
    post: (u) => request(server).post(u).set('authorization', `Bearer ${token}`),
    put: (u) => request(server).put(u).set('authorization', `Bearer ${token}`),
    patch: (u) => request(server).patch(u).set('authorization', `Bearer ${token}`),
    delete: (u) => request(server).delete(u).set('authorization', `Bearer ${token}`),
  };
}

describe('tenant isolation', () => {
  let t: TestApp;
  let A: { tenantId: string; users: Record<string, string> };
  let B: { tenantId: string; users: Record<string, string> };
  let aAdmin: Client;
  let bManager: Client;
  const bRes = { form: '', scoring: '', customer: '', visit: '', callback: '', task: '', plan: '', appeal: '' };
  const aRes = { form: '', scoring: '', customer: '', visit: '', callback: '', task: '', plan: '', appeal: '' };
  let aRep2: Client;

  async function createPublished(client: Client, kind: 'forms' | 'scoring-templates', templateKey: string): Promise<string> {
    const created = await client.post(`/api/${kind}/from-template`).send({ templateKey });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const id = created.body.id as string;
    const published = await client.post(`/api/${kind}/${id}/publish`).send({ note: 'v1' });
    expect(published.status, JSON.stringify(published.body)).toBe(201);
    return id;
  }

  /** Everything tenant B owns, as one comparable value. */
  async function tenantState(tenantId: string): Promise<string> {
    const m = t.models;
    const scoped = { tenantId };
    return JSON.stringify({
      tenant: await m.Tenant.findOne({ _id: tenantId }).lean(),
      forms: await m.Form.find(scoped).sort({ _id: 1 }).lean(),
      formVersions: await m.FormVersion.find(scoped).sort({ _id: 1 }).lean(),
      scoring: await m.ScoringTemplate.find(scoped).sort({ _id: 1 }).lean(),
      scoringVersions: await m.ScoringVersion.find(scoped).sort({ _id: 1 }).lean(),
      users: await m.User.find(scoped).sort({ _id: 1 }).lean(),
      templates: await m.Template.find(scoped).sort({ _id: 1 }).lean(),
      customers: await m.Customer.find(scoped).sort({ _id: 1 }).lean(),
      visits: await m.Visit.find(scoped).sort({ _id: 1 }).lean(),
      photos: await m.Photo.find(scoped).sort({ _id: 1 }).lean(),
      callbacks: await m.Callback.find(scoped).sort({ _id: 1 }).lean(),
      tasks: await m.Task.find(scoped).sort({ _id: 1 }).lean(),
      plans: await m.Plan.find(scoped).sort({ _id: 1 }).lean(),
      appeals: await m.Appeal.find(scoped).sort({ _id: 1 }).lean(),
    });
  }

  /** Every id of tenant B that could leak, as strings. */
  async function idsOfB(): Promise<string[]> {
    const m = t.models;
    const scoped = { tenantId: B.tenantId };
    const docs = [
      ...(await m.Form.find(scoped).lean()), ...(await m.FormVersion.find(scoped).lean()),
      ...(await m.ScoringTemplate.find(scoped).lean()), ...(await m.ScoringVersion.find(scoped).lean()),
      ...(await m.User.find(scoped).lean()), ...(await m.Template.find(scoped).lean()),
      ...(await m.Customer.find(scoped).lean()), ...(await m.Visit.find(scoped).lean()), ...(await m.Callback.find(scoped).lean()),
      ...(await m.Task.find(scoped).lean()), ...(await m.Plan.find(scoped).lean()), ...(await m.Appeal.find(scoped).lean()),
    ];
    return [B.tenantId, ...docs.map((d) => String(d._id))];
  }

  async function targetOf(tenant: 'A' | 'B', path: string): Promise<Target> {
    const ids = tenant === 'A' ? aRes : bRes;
    const users = tenant === 'A' ? A.users : B.users;
    const tenantId = tenant === 'A' ? A.tenantId : B.tenantId;
    const m = t.models;
    if (path.startsWith('/forms/')) {
      const doc = await m.Form.findOne({ tenantId, _id: ids.form }).lean<VersionedDoc>();
      return { id: ids.form, revision: doc?.draft.revision as number, content: doc?.draft.content as Record<string, unknown> };
    }
    if (path.startsWith('/scoring-templates/')) {
      const doc = await m.ScoringTemplate.findOne({ tenantId, _id: ids.scoring }).lean<VersionedDoc>();
      return { id: ids.scoring, revision: doc?.draft.revision as number, content: doc?.draft.content as Record<string, unknown> };
    }
    if (path.startsWith('/users/')) return { id: users.rep as string, revision: 0, content: {} };
    if (path.startsWith('/customers/')) {
      const doc = await m.Customer.findOne({ tenantId, _id: ids.customer }).lean();
      return { id: ids.customer, revision: doc?.revision ?? 0, content: { contactId: String(doc?.contacts[0]?._id), repId: users.rep2 } }; // rep is demoted by the users recipe
    }
    if (path.startsWith('/visits/')) return { id: ids.visit, revision: 0, content: {} };
    if (path.startsWith('/callbacks/')) return { id: ids.callback, revision: 0, content: {} };
    if (path.startsWith('/tasks/')) return { id: ids.task, revision: 0, content: {} };
    if (path.startsWith('/appeals/')) return { id: ids.appeal, revision: 0, content: {} };
    if (path.startsWith('/plans/')) {
      const doc = await m.Plan.findOne({ tenantId, _id: ids.plan }).lean();
      return { id: ids.plan, revision: doc?.revision ?? 0, content: {} };
    }
    throw new Error(`no ${tenant} resource for route ${path}: add one to targetOf()`);
  }

  const idRoutes = () => apiRoutes(t.services, t.config).filter((r) => r.path.includes(':id'));

  function urlFor(r: AnyRoute, id: string, contactId = ''): string {
    const url = API_PREFIX + r.path.replace(':id', id).replace(':version', '1').replace(':contactId', contactId);
    expect(url, `route ${routeKey(r)} has a path parameter this test does not fill`).not.toContain(':');
    return url;
  }

  function bodyFor(r: AnyRoute, target: Target): unknown {
    if (!r.body) return undefined;
    const recipe = BODY_RECIPES[routeKey(r)];
    expect(recipe, `route ${routeKey(r)} has a body schema (${r.body}) but no recipe in BODY_RECIPES`).toBeDefined();
    return recipe?.(target);
  }

  beforeAll(async () => {
    t = await createTestApp();
    A = await t.seedTenant('tenant-a');
    B = await t.seedTenant('tenant-b');
    aAdmin = as(t.server, await t.login('tenant-a', 'admin'));
    bManager = as(t.server, await t.login('tenant-b', 'manager'));
    bRes.form = await createPublished(bManager, 'forms', 'phone-visit');
    bRes.scoring = await createPublished(bManager, 'scoring-templates', 'default');
    aRes.form = await createPublished(aAdmin, 'forms', 'phone-visit');
    aRes.scoring = await createPublished(aAdmin, 'scoring-templates', 'default');
    const customer = { name: '客户', address: '地址', type: '药店', class: 'A', location: { lng: 118.8, lat: 32.06, system: 'GCJ02' }, contacts: [{ name: '李明' }] };
    bRes.customer = (await bManager.post('/api/customers').send(customer)).body.id as string;
    aRes.customer = (await aAdmin.post('/api/customers').send(customer)).body.id as string;
    // A visit (and its call-back) in each tenant, made by rep2 on a customer of its own.
    for (const [tenant, res, admin, users] of [['tenant-a', aRes, aAdmin, A.users], ['tenant-b', bRes, bManager, B.users]] as const) {
      const visited = (await admin.post('/api/customers').send({ ...customer, name: '拜访客户' })).body.id as string;
      expect((await admin.post(`/api/customers/${visited}/claim`).send({ repId: users.rep2 })).status).toBe(200);
      const repClient = clientOf(t.server, await t.login(tenant, 'rep2'));
      const started = await repClient.post('/api/visits').set('idempotency-key', randomUUID()).send({ customerId: visited, deviceTime: new Date().toISOString() });
      expect(started.status, JSON.stringify(started.body)).toBe(201);
      res.visit = started.body.id as string;
      const v = await t.models.Visit.findOne({ tenantId: tenant === 'tenant-a' ? A.tenantId : B.tenantId, _id: res.visit }).lean();
      res.callback = String((await t.models.Callback.create({ tenantId: v!.tenantId, date: '2026-11-20', visitId: v!._id, repId: v!.repId, customerId: v!.customerId, createdAt: new Date() }))._id);
      res.plan = (await repClient.post('/api/plans').send({ month: shanghaiMonth(new Date()) })).body.id as string;
      res.task = String((await t.models.Task.create({ tenantId: v!.tenantId, visitId: v!._id, repId: v!.repId, customerId: v!.customerId, kind: 'followUp', title: '寄送样品', dueDate: '2026-11-22', createdAt: new Date() }))._id);
      res.appeal = String((await t.models.Appeal.create({
        tenantId: v!.tenantId, visitId: v!._id, repId: v!.repId, repName: '刘洋', customerId: v!.customerId, customerName: '拜访客户', visitAt: new Date(),
        status: 'pending', note: '申诉', bandAtFiling: 'red', filedAt: new Date(),
      }))._id);
      if (tenant === 'tenant-a') aRep2 = repClient;
    }
  });
  afterAll(async () => { await t.close(); });

  /** A's admin where the route admits admins; A's rep2 for the rep-only steps of a visit. */
  const aClientFor = (r: AnyRoute, admin: Client, rep2: Client) => (r.roles !== 'public' && r.roles.includes('admin') ? admin : rep2);

  it('the route table has the id routes this test expects, none of them public', () => {
    const keys = idRoutes().map(routeKey);
    expect(keys).toEqual(expect.arrayContaining([
      'patch /users/:id', 'get /forms/:id', 'put /forms/:id/draft', 'post /forms/:id/publish', 'post /forms/:id/archive',
      'get /forms/:id/versions', 'get /forms/:id/versions/:version', 'post /forms/:id/versions/:version/check-answers',
      'get /scoring-templates/:id', 'put /scoring-templates/:id/draft', 'post /scoring-templates/:id/publish',
      'post /scoring-templates/:id/archive', 'get /scoring-templates/:id/versions', 'get /scoring-templates/:id/versions/:version',
    ]));
    for (const r of idRoutes()) {
      expect(r.roles, `${routeKey(r)} must not be public`).not.toBe('public');
    }
  });

  describe.each([
    ['this app (validators warm from publishing)', false],
    ['a freshly started app on the same database (cold caches)', true],
  ])('every :id route, called by A with B\'s id, answers 404 — %s', (_label, fresh) => {
    it('answers 404 NOT_FOUND for each route and leaves all of B unchanged', async () => {
      const server = fresh ? buildApp({ config: t.config, conn: t.conn, models: t.models }).app.callback() : t.server;
      const admin = clientOf(server, await t.login('tenant-a', 'admin'));
      const rep2 = clientOf(server, await t.login('tenant-a', 'rep2'));
      const before = await tenantState(B.tenantId);
      const leakable = await idsOfB();
      const routes = idRoutes();
      expect(routes.length).toBeGreaterThanOrEqual(14);
      for (const r of routes) {
        const target = await targetOf('B', r.path);
        const res = await send(aClientFor(r, admin, rep2), r, urlFor(r, target.id, target.content.contactId as string | undefined), bodyFor(r, target));
        expect([200, 201], `${routeKey(r)} succeeded across tenants`).not.toContain(res.status);
        const err = expectError(res, 404, 'NOT_FOUND', { field: '/params/id', code: 'NOT_FOUND' });
        const text = JSON.stringify(err);
        for (const id of leakable) expect(text, `${routeKey(r)} leaked a B id`).not.toContain(id);
      }
      expect(await tenantState(B.tenantId), 'tenant B changed').toBe(before);
    });
  });

  it('the same recipes succeed on A\'s own resources (so the 404s above are about tenancy, not bad requests)', async () => {
    const bBefore = await tenantState(B.tenantId);
    for (const r of idRoutes()) {
      const target = await targetOf('A', r.path);
      const res = await send(aClientFor(r, aAdmin, aRep2), r, urlFor(r, target.id, target.content.contactId as string | undefined), bodyFor(r, target));
      const reachedAnswers = routeKey(r).endsWith('/check-answers') && res.status === 422 && res.body.error.code === 'ANSWERS_INVALID';
      const reached = REACHED_IS_ENOUGH.test(routeKey(r)) && res.status !== 404 && res.status < 500;
      expect(res.status < 300 || reachedAnswers || reached, `${routeKey(r)} on A's own resource: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`).toBe(true);
    }
    const rep = await t.models.User.findOne({ tenantId: A.tenantId, _id: A.users.rep }).lean();
    expect(rep).toMatchObject({ name: '被篡改', role: 'admin', active: false });
    const form = await t.models.Form.findOne({ tenantId: A.tenantId, _id: aRes.form }).lean();
    expect(form).toMatchObject({ name: '被篡改的表单', status: 'archived', latestVersion: 2 });
    expect(await tenantState(B.tenantId)).toBe(bBefore);
  });

  it('KPIs of B\'s people answer 404 to A', async () => {
    for (const url of [`/api/kpis?scope=rep&id=${B.users.rep2!}&period=month`, `/api/kpis?scope=team&id=${B.users.manager!}&period=month`, `/api/kpis/funnel?scope=rep&id=${B.users.rep2!}&from=2026-11-01&to=2026-11-30&start=started&end=submitted`]) {
      const res = await aAdmin.get(url);
      expectError(res, 404, 'NOT_FOUND', { field: '/query/id', code: 'NOT_FOUND' });
    }
  });

  it('list routes as A never contain anything of B', async () => {
    const leakable = await idsOfB();
    const lists = ['/api/forms', '/api/forms?status=published', '/api/scoring-templates', '/api/users', '/api/templates', '/api/templates?kind=form', '/api/me', '/api/customers', '/api/tasks', '/api/me/today', '/api/visits', `/api/plans?month=${shanghaiMonth(new Date())}`,
      '/api/kpis?scope=tenant&period=month', '/api/kpis?scope=team&period=month', '/api/kpis/board', '/api/kpis/funnel?scope=tenant&from=2026-11-01&to=2026-11-30&start=started&end=submitted'];
    for (const url of lists) {
      const res = await aAdmin.get(url);
      expect(res.status, url).toBe(200);
      const text = JSON.stringify(res.body);
      for (const id of leakable) expect(text, `${url} leaked ${id}`).not.toContain(id);
      expect(text, `${url} mentions tenant B`).not.toContain('tenant-b');
    }
    // The lists are not vacuously clean: A sees its own things.
    expect((await aAdmin.get('/api/forms')).body.items.map((f: { id: string }) => f.id)).toEqual([aRes.form]);
    expect((await aAdmin.get('/api/scoring-templates')).body.items.map((f: { id: string }) => f.id)).toEqual([aRes.scoring]);
    const aUsers = (await aAdmin.get('/api/users')).body.items.map((u: { id: string }) => u.id).sort();
    expect(aUsers).toEqual(Object.values(A.users).sort());
    // B's manager sees only B.
    expect((await bManager.get('/api/forms')).body.items.map((f: { id: string }) => f.id)).toEqual([bRes.form]);
  });

  it('templates are per-tenant copies: B\'s edited copy is invisible to A and not used for A\'s forms', async () => {
    await t.models.Template.updateOne({ tenantId: B.tenantId, kind: 'form', key: 'phone-visit' }, { $set: { name: 'B专用电话拜访' } });
    const list = await aAdmin.get('/api/templates?kind=form');
    expect(JSON.stringify(list.body)).not.toContain('B专用');
    const one = await aAdmin.get('/api/templates/form/phone-visit');
    expect(one.status).toBe(200);
    expect(one.body.name).not.toBe('B专用电话拜访');
    const created = await aAdmin.post('/api/forms/from-template').send({ templateKey: 'phone-visit' });
    expect(created.status).toBe(201);
    expect(created.body.name).not.toBe('B专用电话拜访');
    expect((await bManager.get('/api/templates/form/phone-visit')).body.name).toBe('B专用电话拜访');
  });

  describe('a body or query naming a tenant cannot move data across tenants', () => {
    it.each([
      ['post', '/api/forms/from-template', () => ({ templateKey: 'phone-visit', tenantId: B.tenantId })],
      ['post', '/api/scoring-templates/from-template', () => ({ templateKey: 'default', tenantId: B.tenantId })],
      ['post', '/api/users', () => ({ username: 'mole', name: '卧底', role: 'rep', tenantId: B.tenantId })],
      ['patch', '/api/users/:aRep', () => ({ name: '搬家', tenantId: B.tenantId })],
      ['put', '/api/forms/:aForm/draft', () => ({ revision: 1, schema: {}, tenantId: B.tenantId })],
      ['post', '/api/forms/:aForm/publish', () => ({ tenantId: B.tenantId })],
    ] as const)('%s %s with tenantId → 400 UNKNOWN_FIELD at /tenantId', async (method, path, body) => {
      const url = path.replace(':aRep', A.users.rep as string).replace(':aForm', aRes.form);
      const aBefore = await tenantState(A.tenantId);
      const bBefore = await tenantState(B.tenantId);
      const res = await aAdmin[method](url).send(body());
      expectError(res, 400, 'VALIDATION_FAILED', { field: '/tenantId', code: 'UNKNOWN_FIELD' });
      expect(await tenantState(A.tenantId)).toBe(aBefore);
      expect(await tenantState(B.tenantId)).toBe(bBefore);
    });

    it('other ownership fields (_id, createdBy) are unknown fields too', async () => {
      const res = await aAdmin.post('/api/forms/from-template').send({ templateKey: 'phone-visit', _id: bRes.form, createdBy: B.users.admin });
      const err = expectError(res, 400, 'VALIDATION_FAILED', { field: '/_id', code: 'UNKNOWN_FIELD' });
      expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/createdBy', code: 'UNKNOWN_FIELD' })]));
    });

    it('a tenantId in the query string → 400 UNKNOWN_FIELD at /query/tenantId', async () => {
      for (const url of ['/api/forms', '/api/scoring-templates', '/api/templates']) {
        expectError(await aAdmin.get(`${url}?tenantId=${B.tenantId}`), 400, 'VALIDATION_FAILED', { field: '/query/tenantId', code: 'UNKNOWN_FIELD' });
      }
    });
  });

  describe('users cannot point across tenants', () => {
    it('creating a user in A with B\'s user as manager → 400 at /managerId, nothing created', async () => {
      const aBefore = await tenantState(A.tenantId);
      const bBefore = await tenantState(B.tenantId);
      const res = await aAdmin.post('/api/users').send({ username: 'crossover', name: '跨界', role: 'rep', managerId: B.users.manager });
      expectError(res, 400, 'VALIDATION_FAILED', { field: '/managerId', code: 'NOT_FOUND' });
      expect(await tenantState(A.tenantId)).toBe(aBefore);
      expect(await tenantState(B.tenantId)).toBe(bBefore);
      expect(await t.models.User.countDocuments({ tenantId: A.tenantId, username: 'crossover' })).toBe(0);
    });

    it('moving an A user under B\'s manager → 400 at /managerId, reporting line unchanged', async () => {
      const before = await t.models.User.findOne({ tenantId: A.tenantId, _id: A.users.rep2 }).lean();
      const res = await aAdmin.patch(`/api/users/${A.users.rep2 as string}`).send({ managerId: B.users.manager });
      expectError(res, 400, 'VALIDATION_FAILED', { field: '/managerId', code: 'NOT_FOUND' });
      const after = await t.models.User.findOne({ tenantId: A.tenantId, _id: A.users.rep2 }).lean();
      expect(String(after?.managerId)).toBe(String(before?.managerId));
      expect(String(after?.managerId)).toBe(A.users.manager);
    });

    it('the same username may exist in both tenants, and dev login picks the tenant by code', async () => {
      const a = await request(t.server).post('/api/auth/dev-login').send({ tenant: 'tenant-a', username: 'manager' });
      const b = await request(t.server).post('/api/auth/dev-login').send({ tenant: 'tenant-b', username: 'manager' });
      expect(a.body.user.id).toBe(A.users.manager);
      expect(b.body.user.id).toBe(B.users.manager);
      expect((await as(t.server, a.body.token as string).get('/api/me')).body.tenant.code).toBe('tenant-a');
    });
  });

  describe('the tenant-scope plugin refuses unscoped queries', () => {
    const scopedModels = ['Form', 'FormVersion', 'ScoringTemplate', 'ScoringVersion', 'User', 'Template'] as const;

    it.each(scopedModels)('%s: find, findOne, count, update, delete and aggregate without tenantId throw', async (name) => {
      const model = t.models[name] as unknown as Model<Record<string, unknown>>;
      // (sanitizeFilter is on, so no $in here: count each tenant.)
      const count = async () => (await model.countDocuments({ tenantId: A.tenantId })) + (await model.countDocuments({ tenantId: B.tenantId }));
      const total = await count();
      expect(total).toBeGreaterThan(0);
      await expect(model.find({}).exec()).rejects.toThrow(/unscoped find/);
      await expect(model.findOne({ _id: bRes.form }).exec()).rejects.toThrow(/unscoped findOne/);
      await expect(model.find({ tenantId: undefined }).exec()).rejects.toThrow(/unscoped find/);
      await expect(model.countDocuments({}).exec()).rejects.toThrow(/unscoped countDocuments/);
      await expect(model.distinct('_id').exec()).rejects.toThrow(/unscoped distinct/);
      await expect(model.updateMany({}, { $set: { name: 'x' } }).exec()).rejects.toThrow(/unscoped updateMany/);
      await expect(model.updateOne({}, { $set: { name: 'x' } }).exec()).rejects.toThrow(/unscoped updateOne/);
      await expect(model.findOneAndUpdate({}, { $set: { name: 'x' } }).exec()).rejects.toThrow(/unscoped findOneAndUpdate/);
      await expect(model.deleteMany({}).exec()).rejects.toThrow(/unscoped deleteMany/);
      await expect(model.deleteOne({}).exec()).rejects.toThrow(/unscoped deleteOne/);
      await expect(model.aggregate([]).exec()).rejects.toThrow(/unscoped aggregate/);
      await expect(model.aggregate([{ $match: {} }]).exec()).rejects.toThrow(/unscoped aggregate/);
      await expect(model.aggregate([{ $sort: { _id: 1 } }, { $match: { tenantId: A.tenantId } }]).exec()).rejects.toThrow(/unscoped aggregate/);
      // Nothing was changed or removed, and scoped queries work.
      expect(await count()).toBe(total);
      await expect(model.find({ tenantId: A.tenantId }).exec()).resolves.toBeInstanceOf(Array);
    });

    it('unscoped collections are only the global ones (tenants, sessions)', async () => {
      await expect(t.models.Tenant.countDocuments({}).exec()).resolves.toBe(2);
      await expect(t.models.Session.countDocuments({}).exec()).resolves.toBeGreaterThan(0);
    });
  });
});
