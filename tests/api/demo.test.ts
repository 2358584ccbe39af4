// The demo tenant `npm start` loads: ready to try (forms published, customers held by reps), loaded only once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, as, type TestApp } from '../helpers/test-app.ts';
import { client, ok } from '../helpers/visit-flow.ts';
import { DEMO_TENANT } from '../../server/tenants/demo-tenant.ts';
import { seedDemoData } from '../../server/tenants/demo-data.ts';

describe('demo tenant', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  async function seed() {
    const { tenantId } = await t.services.tenants.provision(DEMO_TENANT);
    const users = await t.models.User.find({ tenantId }).lean();
    await seedDemoData(t.services, tenantId, Object.fromEntries(users.map((u) => [u.username, u._id])));
    return tenantId;
  }

  it('has published forms and customers held by the demo reps, and seeding again changes nothing', async () => {
    const tenantId = await seed();
    await seed();
    expect(await t.models.Form.countDocuments({ tenantId, status: 'published' })).toBe(3);
    expect(await t.models.Customer.countDocuments({ tenantId })).toBe(6);
    const zhang = client(t.server, await t.login('demo', 'zhang.rep'));
    const mine = await ok(await zhang.get('/api/customers'));
    expect((mine.items as { name: string }[]).map((c) => c.name)).toHaveLength(3);
  });

  it('a demo rep can start a visit at once with the store code', async () => {
    const manager = as(t.server, await t.login('demo', 'wang.manager'));
    const store = (await ok(await manager.get('/api/customers?q=人民路'))).items as { id: string }[];
    const qr = String((await ok(await manager.get(`/api/customers/${store[0]!.id}/qr`))).payload);
    const zhang = client(t.server, await t.login('demo', 'zhang.rep'));
    const v = await ok(await zhang.send('post', '/api/visits', { qr, deviceTime: new Date().toISOString() }), 201);
    expect(v).toMatchObject({ status: 'started', customer: { name: '华联超市（人民路店）' } });
  });
});
