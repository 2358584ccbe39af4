// Who may do what: role checks over the whole route table, authorization before validation, sessions that are
// stored only as hashes, and tokens that stop working on logout or deactivation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { apiRoutes, API_PREFIX } from '../../server/app.ts';
import type { AnyRoute } from '../../server/http/route.ts';
import { sha256Hex } from '../../server/lib/ids.ts';

type Client = ReturnType<typeof as>;

const routeKey = (r: AnyRoute) => `${r.method} ${r.path}`;

describe('authentication and authorization', () => {
  let t: TestApp;
  let tenantId: string;
  let users: Record<string, string>;
  let admin: Client;
  let manager: Client;
  let rep: Client;
  let formId: string;
  let scoringId: string;

  /** Fills path parameters with real (or at least well-formed) values; an unknown parameter fails the test. */
  function fill(path: string, real = true): string {
    return API_PREFIX + path.replace(/:(\w+)/g, (_m, name: string) => {
      if (name === 'id') {
        if (!real) return '0123456789abcdef01234567';
        if (path.startsWith('/forms/')) return formId;
        if (path.startsWith('/scoring-templates/')) return scoringId;
        if (path.startsWith('/users/')) return users.rep2 as string;
        return '0123456789abcdef01234567';
      }
      const values: Record<string, string> = { version: '1', kind: 'form', key: 'phone-visit', contactId: '0123456789abcdef01234567', host: 'wecom' };
      const v = values[name];
      expect(v, `route ${path} has a path parameter :${name} this test cannot fill`).toBeDefined();
      return v as string;
    });
  }

  const call = (client: Client, r: AnyRoute, url = fill(r.path)) => client[r.method](url);
  const routes = () => apiRoutes(t.services, t.config);
  const notForReps = () => routes().filter((r) => r.roles !== 'public' && !r.roles.includes('rep'));

  beforeAll(async () => {
    t = await createTestApp();
    ({ tenantId, users } = await t.seedTenant('acme'));
    admin = as(t.server, await t.login('acme', 'admin'));
    manager = as(t.server, await t.login('acme', 'manager'));
    rep = as(t.server, await t.login('acme', 'rep'));
    const form = await manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit' });
    expect(form.status).toBe(201);
    formId = form.body.id as string;
    expect((await manager.post(`/api/forms/${formId}/publish`).send({})).status).toBe(201);
    const scoring = await manager.post('/api/scoring-templates/from-template').send({ templateKey: 'default' });
    expect(scoring.status).toBe(201);
    scoringId = scoring.body.id as string;
  });
  afterAll(async () => { await t.close(); });

  describe('role checks over the route table', () => {
    it('the table has manager/admin-only routes to check', () => {
      const keys = notForReps().map(routeKey);
      expect(keys.length).toBeGreaterThanOrEqual(15);
      expect(keys).toEqual(expect.arrayContaining(['post /forms/:id/publish', 'post /users', 'patch /users/:id', 'get /users', 'get /scoring-templates']));
    });

    it('every route that excludes reps answers a rep 403 FORBIDDEN, with an empty body', async () => {
      for (const r of notForReps()) {
        expectError(await call(rep, r), 403, 'FORBIDDEN');
      }
    });

    it('…and still 403 with malformed JSON, a wrong content type or malformed ids (authorization comes first)', async () => {
      for (const r of notForReps()) {
        const badIds = fill(r.path).replace(/[0-9a-f]{24}/g, 'not-an-id');
        if (r.method !== 'get') {
          expectError(await call(rep, r).set('content-type', 'application/json').send('{oops'), 403, 'FORBIDDEN');
          expectError(await call(rep, r).set('content-type', 'text/plain').send('hello'), 403, 'FORBIDDEN');
        }
        expectError(await call(rep, r, badIds), 403, 'FORBIDDEN');
      }
    });

    it('manager/admin-only routes reject a manager where the roles say so, and never a role listed', async () => {
      for (const r of routes()) {
        if (r.roles === 'public') continue;
        // A fresh token (logout ends it) and unknown ids (so nothing real is archived or changed).
        const own = as(t.server, await t.login('acme', 'manager'));
        const res = await call(own, r, fill(r.path, false)).send({});
        expect(res.status).toBeLessThan(500);
        if (r.roles.includes('manager')) expect(res.status, `${routeKey(r)} refused a manager`).not.toBe(403);
        else expectError(res, 403, 'FORBIDDEN');
      }
    });

    it('routes open to reps do not refuse them', async () => {
      const open = routes().filter((r) => r.roles !== 'public' && r.roles.includes('rep'));
      expect(open.map(routeKey)).toEqual(expect.arrayContaining(['get /me', 'get /forms', 'get /forms/:id', 'post /forms/:id/versions/:version/check-answers']));
      for (const r of open) {
        const own = as(t.server, await t.login('acme', 'rep')); // logout would end a shared token
        const res = await call(own, r).send({});
        expect(res.status, `${routeKey(r)} refused a rep: ${JSON.stringify(res.body)}`).not.toBe(403);
        expect(res.status).toBeLessThan(500);
      }
    });

    it('every non-public route answers 401 without a token, before any role or input check', async () => {
      for (const r of routes()) {
        if (r.roles === 'public') continue;
        expectError(await call(unauthenticated(t), r), 401, 'UNAUTHENTICATED');
        if (r.method !== 'get') {
          expectError(await call(unauthenticated(t), r).set('content-type', 'application/json').send('{oops'), 401, 'UNAUTHENTICATED');
        }
      }
    });

    it('authorization happens before validation: an empty or invalid body gives a rep 403 but a manager 400', async () => {
      const asRep = await rep.post('/api/forms').send({});
      expectError(asRep, 403, 'FORBIDDEN');
      expect(asRep.body.error.details).toEqual([]);
      expectError(await manager.post('/api/forms').send({}), 400, 'VALIDATION_FAILED', { field: '/name', code: 'REQUIRED' });

      expectError(await rep.post('/api/forms/from-template'), 403, 'FORBIDDEN');
      expectError(await manager.post('/api/forms/from-template'), 400, 'VALIDATION_FAILED', { field: '', code: 'WRONG_TYPE' });

      expectError(await manager.post('/api/users').set('content-type', 'application/json').send('{oops'), 403, 'FORBIDDEN');
      expectError(await admin.post('/api/users').set('content-type', 'application/json').send('{oops'), 400, 'MALFORMED_JSON');

      expectError(await rep.get('/api/scoring-templates/not-an-id'), 403, 'FORBIDDEN');
      expectError(await manager.get('/api/scoring-templates/not-an-id'), 400, 'VALIDATION_FAILED', { field: '/params/id' });
    });
  });

  describe('specific permissions', () => {
    it('a rep cannot publish, edit, archive or create forms; the manager can publish', async () => {
      const current = await manager.get(`/api/forms/${formId}`);
      const schema = { ...(current.body.draft.schema as object), title: '电话拜访 v2' };
      expect((await manager.put(`/api/forms/${formId}/draft`).send({ revision: current.body.draft.revision, schema })).status).toBe(200);
      const versionsBefore = await t.models.FormVersion.countDocuments({ tenantId, docId: formId });

      expectError(await rep.post(`/api/forms/${formId}/publish`).send({ note: '我来发布' }), 403, 'FORBIDDEN');
      expectError(await rep.put(`/api/forms/${formId}/draft`).send({ revision: current.body.draft.revision + 1, schema }), 403, 'FORBIDDEN');
      expectError(await rep.post(`/api/forms/${formId}/archive`), 403, 'FORBIDDEN');
      expectError(await rep.post('/api/forms/from-template').send({ templateKey: 'phone-visit' }), 403, 'FORBIDDEN');
      expect(await t.models.FormVersion.countDocuments({ tenantId, docId: formId })).toBe(versionsBefore);
      expect((await t.models.Form.findOne({ tenantId, _id: formId }).lean())?.status).toBe('published');

      // Reps read forms and their versions (they fill them in).
      expect((await rep.get(`/api/forms/${formId}`)).status).toBe(200);
      expect((await rep.get(`/api/forms/${formId}/versions/1`)).status).toBe(200);

      const published = await manager.post(`/api/forms/${formId}/publish`).send({ note: '经理发布' });
      expect(published.status).toBe(201);
      expect(published.body.version).toBe(versionsBefore + 1);
    });

    it('a manager cannot create or change users (admin only); an admin can, and the new user can log in', async () => {
      const body = { username: 'newrep', name: '新人', role: 'rep', managerId: users.manager };
      expectError(await manager.post('/api/users').send(body), 403, 'FORBIDDEN');
      expectError(await manager.patch(`/api/users/${users.rep2 as string}`).send({ role: 'manager' }), 403, 'FORBIDDEN');
      expectError(await rep.post('/api/users').send(body), 403, 'FORBIDDEN');
      expect(await t.models.User.countDocuments({ tenantId, username: 'newrep' })).toBe(0);
      // Managers may list users (their team).
      expect((await manager.get('/api/users')).status).toBe(200);

      const created = await admin.post('/api/users').send(body);
      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({ username: 'newrep', name: '新人', role: 'rep', managerId: users.manager, active: true });
      expect(created.body.id).toMatch(/^[0-9a-f]{24}$/);
      const token = await t.login('acme', 'newrep');
      const me = await as(t.server, token).get('/api/me');
      expect(me.body.user.id).toBe(created.body.id);
    });

    it('a role change takes effect on the next request with the same token', async () => {
      const created = await admin.post('/api/users').send({ username: 'promoted', name: '晋升', role: 'rep' });
      expect(created.status).toBe(201);
      const client = as(t.server, await t.login('acme', 'promoted'));
      expectError(await client.get('/api/users'), 403, 'FORBIDDEN');
      expect((await admin.patch(`/api/users/${created.body.id as string}`).send({ role: 'manager' })).status).toBe(200);
      expect((await client.get('/api/users')).status).toBe(200);
      expect((await client.get('/api/me')).body.user.role).toBe('manager');
    });
  });

  describe('sessions', () => {
    it('GET /api/me returns the user and the tenant', async () => {
      const res = await rep.get('/api/me');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        user: { id: users.rep, username: 'rep', name: '张伟', role: 'rep', managerId: users.manager, active: true },
        tenant: { id: tenantId, code: 'acme', name: '企业 acme' },
      });
      expect((await admin.get('/api/me')).body.user).toMatchObject({ id: users.admin, role: 'admin', managerId: null });
    });

    it('dev login returns a token, its expiry, the user and the tenant', async () => {
      const res = await request(t.server).post('/api/auth/dev-login').send({ tenant: 'acme', username: 'manager' });
      expect(res.status).toBe(200);
      expect(res.body.token).toMatch(/^[A-Za-z0-9_-]{40,}$/);
      const ttl = Date.parse(res.body.expiresAt as string) - Date.now();
      expect(ttl).toBeGreaterThan(t.config.sessionTtlHours * 3_600_000 - 60_000);
      expect(ttl).toBeLessThanOrEqual(t.config.sessionTtlHours * 3_600_000);
      expect(res.body.user).toMatchObject({ id: users.manager, role: 'manager' });
      expect(res.body.tenant).toMatchObject({ id: tenantId, code: 'acme' });
    });

    it('the stored session holds only a hash of the token, and the token is stored nowhere', async () => {
      const token = await t.login('acme', 'rep2');
      const session = await t.models.Session.findOne({ tokenHash: sha256Hex(token) }).lean();
      expect(session).not.toBeNull();
      expect(Object.keys(session as object).sort()).toEqual(['__v', '_id', 'createdAt', 'expiresAt', 'tenantId', 'tokenHash', 'userId']);
      expect(String(session?.userId)).toBe(users.rep2);
      expect(String(session?.tenantId)).toBe(tenantId);
      expect(session?.tokenHash).toMatch(/^[0-9a-f]{64}$/);
      expect(session?.tokenHash).not.toBe(token);
      const db = t.conn.db;
      if (!db) throw new Error('no database handle');
      for (const { name } of await db.listCollections().toArray()) {
        const docs = await db.collection(name).find({}).toArray();
        expect(JSON.stringify(docs), `the token appears in collection ${name}`).not.toContain(token);
      }
    });

    it('logout invalidates that token only; later calls with it answer 401', async () => {
      const first = await t.login('acme', 'manager');
      const second = await t.login('acme', 'manager');
      const out = await as(t.server, first).post('/api/auth/logout');
      expect(out.status).toBe(200);
      expect(out.body).toEqual({ ok: true });
      expect(await t.models.Session.countDocuments({ tokenHash: sha256Hex(first) })).toBe(0);
      expectError(await as(t.server, first).get('/api/me'), 401, 'UNAUTHENTICATED');
      expectError(await as(t.server, first).post('/api/auth/logout'), 401, 'UNAUTHENTICATED');
      expectError(await as(t.server, first).post('/api/forms/from-template').send({ templateKey: 'phone-visit' }), 401, 'UNAUTHENTICATED');
      expect((await as(t.server, second).get('/api/me')).status).toBe(200);
    });

    it('a deactivated user can no longer use their token or log in; reactivation restores access', async () => {
      const token = await t.login('acme', 'rep2');
      const client = as(t.server, token);
      expect((await client.get('/api/me')).status).toBe(200);

      const off = await admin.patch(`/api/users/${users.rep2 as string}`).send({ active: false });
      expect(off.status).toBe(200);
      expect(off.body).toMatchObject({ id: users.rep2, active: false });

      expectError(await client.get('/api/me'), 401, 'UNAUTHENTICATED');
      expectError(await client.get('/api/forms'), 401, 'UNAUTHENTICATED');
      expectError(await request(t.server).post('/api/auth/dev-login').send({ tenant: 'acme', username: 'rep2' }), 401, 'LOGIN_FAILED');

      expect((await admin.patch(`/api/users/${users.rep2 as string}`).send({ active: true })).status).toBe(200);
      expect((await client.get('/api/me')).status).toBe(200);
    });

    it('a session of a user that no longer exists answers 401', async () => {
      const token = await t.login('acme', 'rep');
      await t.models.Session.updateMany({ tokenHash: sha256Hex(token) }, { $set: { userId: '0123456789abcdef01234567' } });
      expectError(await as(t.server, token).get('/api/me'), 401, 'UNAUTHENTICATED');
    });
  });
});

/** A client that sends no credentials. */
function unauthenticated(t: TestApp): Client {
  return {
    get: (u: string) => request(t.server).get(u),
    post: (u: string) => request(t.server).post(u),
    put: (u: string) => request(t.server).put(u),
    patch: (u: string) => request(t.server).patch(u),
    delete: (u: string) => request(t.server).delete(u),
  };
}
