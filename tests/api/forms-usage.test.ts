// What the form builder asks of the server besides drafts and versions: checking a definition without saving it,
// and which visits pinned which version and which customers a form reaches (the most specific form wins).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { ok } from '../helpers/visit-flow.ts';

type Client = ReturnType<typeof as>;

interface Usage {
  formId: string; status: string; latestVersion: number;
  versions: { version: number; note: string; publishedAt: string; visits: number; customers: number; firstVisitAt: string | null; lastVisitAt: string | null }[];
  customers: { applicable: number; using: number; usingVersion: number | null; sampleOf: string; sample: { id: string; name: string; type: string; class: string }[] };
}

describe('form usage and definition check', () => {
  let t: TestApp;
  let manager: Client;
  let rep: Client;
  let repId: string;
  let tenantId: string;
  let fmcg: string;
  const customers: Record<string, string> = {};

  async function customer(name: string, type: string, cls: string): Promise<string> {
    const created = await ok(await manager.post('/api/customers').send({
      name, address: '上海市黄浦区人民路 1 号', type, class: cls, location: { lng: 121.47, lat: 31.23, system: 'GCJ02' }, contacts: [{ name: '李明' }],
    }), 201);
    await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function startVisit(customerId: string): Promise<{ formId: string; version: number }> {
    const res = await ok(await rep.post('/api/visits').set('idempotency-key', randomUUID()).send({ customerId, deviceTime: new Date().toISOString() }), 201);
    const visit = await t.models.Visit.findOne({ tenantId, _id: res.id }).lean();
    expect(visit).toBeTruthy();
    return { formId: String(visit?.form?.formId), version: Number(visit?.form?.version) };
  }

  const usage = async (id: string) => (await ok(await manager.get(`/api/forms/${id}/usage`))) as unknown as Usage;

  beforeAll(async () => {
    t = await createTestApp();
    const seeded = await t.seedTenant('usage');
    const users = seeded.users;
    tenantId = seeded.tenantId;
    repId = users.rep!;
    manager = as(t.server, await t.login('usage', 'manager'));
    rep = as(t.server, await t.login('usage', 'rep'));
    customers.pharmacy = await customer('老百姓大药房', '药店', 'A');
    customers.market = await customer('华联超市', '商超', 'B');
    customers.clinic = await customer('社区诊所', '诊所', 'C');
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit', name: '门店拜访（试点）' }), 201);
    fmcg = String(form.id);
    await ok(await manager.post(`/api/forms/${fmcg}/publish`).send({ note: '首版' }), 201);
  });
  afterAll(async () => t?.close());

  it('counts visits per pinned version and names the customers whose visits use the form', async () => {
    expect(await startVisit(customers.pharmacy!)).toEqual({ formId: fmcg, version: 1 });
    expect(await startVisit(customers.pharmacy!)).toEqual({ formId: fmcg, version: 1 });
    const form = await ok(await manager.get(`/api/forms/${fmcg}`));
    const draft = form.draft as { schema: Record<string, unknown>; revision: number };
    await ok(await manager.put(`/api/forms/${fmcg}/draft`).send({ revision: draft.revision, schema: { ...draft.schema, description: '第二版说明' } }));
    await ok(await manager.post(`/api/forms/${fmcg}/publish`).send({ note: '改了说明' }), 201);
    expect(await startVisit(customers.market!)).toEqual({ formId: fmcg, version: 2 });

    const u = await usage(fmcg);
    expect(u.latestVersion).toBe(2);
    expect(u.versions.map((v) => [v.version, v.note, v.visits, v.customers])).toEqual([[2, '改了说明', 1, 1], [1, '首版', 2, 1]]);
    const v1 = u.versions[1]!;
    expect(new Date(v1.firstVisitAt!).getTime()).toBeLessThanOrEqual(new Date(v1.lastVisitAt!).getTime());
    // The clinic is not a type the FMCG form applies to.
    expect(u.customers).toMatchObject({ applicable: 2, using: 2, usingVersion: 2, sampleOf: 'using' });
    expect(u.customers.sample.map((c) => c.name).sort()).toEqual(['华联超市', '老百姓大药房']);
  });

  it('shows customers going to a more specific form, and none once the form is archived', async () => {
    // pharma-rep-visit applies by type only, so the FMCG form (type and class) stays the pharmacy's form.
    const pharma = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'pharma-rep-visit' }), 201);
    const pharmaId = String(pharma.id);
    const before = await usage(pharmaId);
    expect(before.customers).toMatchObject({ applicable: 2, using: 0, usingVersion: null, sampleOf: 'applicable' });
    expect(before.versions).toEqual([]);
    await ok(await manager.post(`/api/forms/${pharmaId}/publish`).send({ note: 'v1' }), 201);
    const after = await usage(pharmaId);
    expect(after.customers).toMatchObject({ applicable: 2, using: 1, usingVersion: 1, sampleOf: 'using' });
    expect(after.customers.sample.map((c) => c.name)).toEqual(['社区诊所']);

    await ok(await manager.post(`/api/forms/${fmcg}/archive`));
    const archived = await usage(fmcg);
    expect(archived.customers).toMatchObject({ applicable: 2, using: 0, usingVersion: null });
    expect(archived.versions.reduce((n, v) => n + v.visits, 0)).toBe(3); // history stays
    expect((await usage(pharmaId)).customers).toMatchObject({ using: 2 });
    expect(await startVisit(customers.pharmacy!)).toEqual({ formId: pharmaId, version: 1 });
  });

  it('checks a definition without saving it, with pointers to the broken field', async () => {
    const form = await ok(await manager.get(`/api/forms/${fmcg}`));
    const schema = structuredClone((form.draft as { schema: { properties: Record<string, { properties: Record<string, Record<string, unknown>> }> } }).schema);
    expect(await ok(await manager.post('/api/forms/check').send({ schema }))).toEqual({ valid: true });

    schema.properties.basic!.properties.storeStatus!.type = 'strng';
    delete schema.properties.stockOrder!.properties.shelfStock!.title;
    const res = await manager.post('/api/forms/check').send({ schema });
    const err = expectError(res, 422, 'FORM_INVALID', { field: '/schema/properties/basic/properties/storeStatus/type' });
    expect(err.details.map((d) => d.field)).toContain('/schema/properties/stockOrder/properties/shelfStock/title');
    const again = await ok(await manager.get(`/api/forms/${fmcg}`));
    expect(again.draft).toEqual(form.draft); // nothing saved
  });

  it('is for managers only', async () => {
    expectError(await rep.get(`/api/forms/${fmcg}/usage`), 403, 'FORBIDDEN');
    expectError(await rep.post('/api/forms/check').send({ schema: {} }), 403, 'FORBIDDEN');
  });
});
