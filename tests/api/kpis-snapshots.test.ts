// The board's holdings and plan snapshots: the first board of a tenant reads them; later an old snapshot still
// answers at once (the first manager of the morning does not wait ~15 s for 200 reps' plans) while one refresh runs
// in the background, after which the board sees the change. A team larger than a few reps reads the same snapshots.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, as, type TestApp } from '../helpers/test-app.ts';
import { ok } from '../helpers/visit-flow.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

describe('kpi snapshots', () => {
  let t: TestApp;
  let admin: ReturnType<typeof as>;
  let tenantId: string;
  let repId: string;
  const today = shanghaiDate(new Date());
  const range = `from=${today.slice(0, 8)}01&to=${today}`;

  async function customer(name: string): Promise<void> {
    const created = await ok(await admin.post('/api/customers').send({ name, address: `${name}地址`, type: '商超', class: 'A', location: { lng: 121.47, lat: 31.23, system: 'GCJ02' }, contacts: [{ name: '王店长' }] }), 201);
    await ok(await admin.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
  }
  const held = async () => ((await ok(await admin.get(`/api/kpis?scope=tenant&${range}`))).counts as { held: number }).held;
  const age = (hours: number) => t.conn.db!.collection('kpi_snapshots').updateMany(
    { _id: { $in: [`${tenantId}:holdings`, `${tenantId}:plans:${today.slice(0, 7)}`] } } as never,
    { $set: { at: new Date(Date.now() - hours * 3_600_000) } },
  );

  beforeAll(async () => {
    t = await createTestApp();
    const seeded = await t.seedTenant('snap');
    tenantId = seeded.tenantId;
    repId = seeded.users.rep!;
    admin = as(t.server, await t.login('snap', 'admin'));
    await customer('华联超市人民路店');
  }, 60_000);
  afterAll(async () => { await t.close(); });

  it('the first tenant-wide read fills the snapshot; a fresh one is used as is', async () => {
    expect(await held()).toBe(1);
    await customer('联华超市南京路店');
    expect(await held()).toBe(1); // younger than 6 hours: the snapshot stands
  });

  it('an old snapshot answers at once, and the refresh it starts shows the change on the next read', async () => {
    await age(7);
    expect(await held()).toBe(1);
    await t.services.kpis.snapshotsSettled();
    expect(await held()).toBe(2);
    const head = await t.conn.db!.collection<{ _id: string; at: Date }>('kpi_snapshots').findOne({ _id: `${tenantId}:holdings` });
    expect(Date.now() - head!.at.getTime()).toBeLessThan(60_000);
  });

  it('many requests on an old snapshot start one refresh', async () => {
    await age(7);
    const before = await t.conn.db!.collection('kpi_snapshots').countDocuments({});
    await Promise.all(Array.from({ length: 5 }, () => held()));
    await t.services.kpis.snapshotsSettled();
    // One generation per snapshot: the head and its chunk(s), as before (old generations are removed).
    expect(await t.conn.db!.collection('kpi_snapshots').countDocuments({})).toBe(before);
    expect(await held()).toBe(2);
  });
});
