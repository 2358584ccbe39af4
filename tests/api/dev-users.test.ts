// GET /api/auth/dev-users: the development login picker lists a tenant's active users, and only while the
// development login is switched on.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';

describe('development login picker', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
    const { tenantId } = await t.seedTenant('acme');
    await t.seedTenant('other');
    await t.models.User.updateOne({ tenantId, username: 'rep2' }, { $set: { active: false } });
  });
  afterAll(async () => { await t.close(); });

  it('lists the tenant\'s active users without a token, reps first, nothing else about them', async () => {
    const res = await request(t.server).get('/api/auth/dev-users?tenant=acme');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      items: [
        { username: 'rep', name: '张伟', role: 'rep' },
        { username: 'manager', name: '王经理', role: 'manager' },
        { username: 'admin', name: '管理员', role: 'admin' },
      ],
    });
    // Each listed user can then log in through the development login.
    const login = await request(t.server).post('/api/auth/dev-login').send({ tenant: 'acme', username: res.body.items[0].username });
    expect(login.status).toBe(200);
  });

  it('unknown tenant → 404; missing or malformed tenant → 400', async () => {
    expectError(await request(t.server).get('/api/auth/dev-users?tenant=nobody'), 404, 'NOT_FOUND', { field: '/query/tenant' });
    expectError(await request(t.server).get('/api/auth/dev-users'), 400, 'VALIDATION_FAILED', { field: '/query/tenant' });
    expectError(await request(t.server).get('/api/auth/dev-users?tenant=ACME%24'), 400, 'VALIDATION_FAILED', { field: '/query/tenant' });
  });

  it('refused with 403 DEV_LOGIN_DISABLED when the development login is off', async () => {
    const off = await createTestApp({ devLoginEnabled: false });
    try {
      await off.services.tenants.provision({ code: 'acme', name: '企业', users: [{ username: 'rep', name: '张伟', role: 'rep' }] });
      expectError(await request(off.server).get('/api/auth/dev-users?tenant=acme'), 403, 'DEV_LOGIN_DISABLED');
      expectError(await request(off.server).post('/api/auth/dev-login').send({ tenant: 'acme', username: 'rep' }), 403, 'DEV_LOGIN_DISABLED');
    } finally {
      await off.close();
    }
  });
});
