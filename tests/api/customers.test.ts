// Customers end to end on a real database: coordinates normalised to GCJ-02 (and refused when out of range or
// swapped), contacts and the 3-contact warning, what reps can see, claiming, and tenant isolation.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import gcoordModule from 'gcoord';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { apiRoutes, API_PREFIX } from '../../server/app.ts';

const gcoord = gcoordModule as unknown as typeof gcoordModule.default;
type Client = ReturnType<typeof as>;

const PLACE = { lng: 118.7969, lat: 32.0603 }; // 南京新街口
const customer = (over: Record<string, unknown> = {}) => ({
  name: '仁和大药房（新街口店）', address: '南京市秦淮区中山路 1 号', type: '药店', class: 'C',
  location: { ...PLACE, system: 'GCJ02' }, ...over,
});

describe('customers API', () => {
  let t: TestApp;
  let A: { tenantId: string; users: Record<string, string> };
  let admin: Client;
  let manager: Client;
  let rep: Client;
  let rep2: Client;
  let bManager: Client;

  const create = async (over: Record<string, unknown> = {}, client = manager) => {
    const res = await client.post('/api/customers').send(customer(over));
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as { id: string; contacts: { id: string }[]; [k: string]: unknown };
  };
  const count = () => t.models.Customer.countDocuments({ tenantId: A.tenantId });

  beforeAll(async () => {
    t = await createTestApp();
    A = await t.seedTenant('cust-a');
    await t.seedTenant('cust-b');
    const login = async (u: string) => as(t.server, await t.login('cust-a', u));
    admin = await login('admin');
    manager = await login('manager');
    rep = await login('rep');
    rep2 = await login('rep2');
    bManager = as(t.server, await t.login('cust-b', 'manager'));
  });
  afterAll(async () => { await t.close(); });

  describe('locations', () => {
    it('stores WGS84 input as GCJ-02, exactly as gcoord converts it, keeping the original', async () => {
      const created = await create({ location: { ...PLACE, system: 'WGS84' } });
      const [lng, lat] = gcoord.transform([PLACE.lng, PLACE.lat], gcoord.WGS84, gcoord.GCJ02) as number[];
      expect(created.location).toEqual({ lng, lat, system: 'GCJ02', original: { ...PLACE, system: 'WGS84' } });
      expect((await manager.get(`/api/customers/${created.id}`)).body.location).toEqual(created.location);
      // Stored as a GeoJSON point (longitude first), the system and the reading as entered beside it.
      const stored = await t.models.Customer.findOne({ tenantId: A.tenantId, _id: created.id }).lean();
      expect(stored?.point).toEqual({ type: 'Point', coordinates: [lng, lat] });
      expect(stored?.pointMeta).toEqual({ system: 'GCJ02', original: { ...PLACE, system: 'WGS84' } });
    });

    it('updates with BD09 input, and stores a polygon fence and radius the same way', async () => {
      const { id } = await create();
      const polygon = [{ lng: 118.79, lat: 32.06 }, { lng: 118.80, lat: 32.06 }, { lng: 118.80, lat: 32.07 }];
      const res = await manager.patch(`/api/customers/${id}`).send({ location: { ...PLACE, system: 'BD09' }, fence: { system: 'BD09', polygon }, fenceRadiusM: 150 });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const [lng, lat] = gcoord.transform([PLACE.lng, PLACE.lat], gcoord.BD09, gcoord.GCJ02) as number[];
      expect(res.body.location).toEqual({ lng, lat, system: 'GCJ02', original: { ...PLACE, system: 'BD09' } });
      expect(res.body.fence.original).toEqual({ system: 'BD09', polygon });
      expect(res.body.fence.polygon[0]).toEqual({ lng: (gcoord.transform([118.79, 32.06], gcoord.BD09, gcoord.GCJ02) as number[])[0], lat: expect.any(Number) });
      expect(res.body.fenceRadiusM).toBe(150);
      expect((await manager.get(`/api/customers/${id}`)).body.fence).toEqual(res.body.fence);
      // Stored as a GeoJSON polygon whose ring is closed; the API gives the corners as entered.
      const ring = (await t.models.Customer.findOne({ tenantId: A.tenantId, _id: id }).lean())?.fence?.coordinates[0];
      expect(ring).toEqual([...res.body.fence.polygon, res.body.fence.polygon[0]].map((p: { lng: number; lat: number }) => [p.lng, p.lat]));
      const closed = await manager.patch(`/api/customers/${id}`).send({ fence: { system: 'GCJ02', polygon: [...polygon, polygon[0]] } });
      expect(closed.body.fence.polygon).toEqual(polygon);
      expect((await t.models.Customer.findOne({ tenantId: A.tenantId, _id: id }).lean())?.fence?.coordinates[0]).toHaveLength(4);
      const cleared = await manager.patch(`/api/customers/${id}`).send({ fence: null, fenceRadiusM: null });
      expect(cleared.body).toMatchObject({ fence: null, fenceRadiusM: null });
    });

    it.each([
      ['latitude out of range', { lng: 118.8, lat: 95, system: 'GCJ02' }, 'COORDINATES_OUT_OF_RANGE', '/location/lat'],
      ['longitude out of range', { lng: -181, lat: 32, system: 'WGS84' }, 'COORDINATES_OUT_OF_RANGE', '/location/lng'],
      ['lat 116 / lng 39', { lng: 39.9, lat: 116.4, system: 'GCJ02' }, 'COORDINATES_SWAPPED', '/location'],
      ['only inside China when swapped', { lng: 43.8, lat: 87.6, system: 'WGS84' }, 'COORDINATES_SWAPPED', '/location'],
    ])('refuses %s with 400 %s at %s, writing nothing', async (_label, location, code, field) => {
      const before = await count();
      const err = expectError(await manager.post('/api/customers').send(customer({ location })), 400, code, { field, code });
      expect(err.details[0]?.message_en.length).toBeGreaterThan(0);
      expect(await count()).toBe(before);
    });

    it('allows points outside China unchanged, and refuses swapped fence points and a bad radius', async () => {
      const paris = await create({ location: { lng: 2.3522, lat: 48.8566, system: 'WGS84' } });
      expect(paris.location).toMatchObject({ lng: 2.3522, lat: 48.8566, system: 'GCJ02' });
      const fence = { system: 'GCJ02', polygon: [PLACE, PLACE, { lng: 32.06, lat: 118.79 }] };
      expectError(await manager.post('/api/customers').send(customer({ fence })), 400, 'COORDINATES_SWAPPED', { field: '/fence/polygon/2' });
      expectError(await manager.post('/api/customers').send(customer({ fenceRadiusM: 10 })), 400, 'VALIDATION_FAILED', { field: '/fenceRadiusM', code: 'TOO_SMALL' });
      const tooMany = { system: 'GCJ02', polygon: Array.from({ length: 101 }, () => PLACE) };
      expectError(await manager.post('/api/customers').send(customer({ fence: tooMany })), 400, 'VALIDATION_FAILED', { field: '/fence/polygon', code: 'TOO_MANY_ITEMS' });
    });
  });

  describe('record, contacts and warnings', () => {
    it('generates a code when none is given, refuses a duplicate code, and exposes the default types', async () => {
      const made = await create({ code: 'KH-DUP', type: '社区卫生服务站' });
      expect(made.type).toBe('社区卫生服务站');
      expect((await create()).code).toMatch(/^[0-9a-f]{24}$/);
      expectError(await manager.post('/api/customers').send(customer({ code: 'KH-DUP' })), 409, 'CONFLICT', { field: '/code', code: 'DUPLICATE' });
      expect((await rep.get('/api/customers/types')).body.items).toEqual(['药店', '诊所', '医院', '商超', '便利店', '集团客户', '经销商', '其他']);
      expectError(await rep.post('/api/customers').send(customer()), 403, 'FORBIDDEN');
    });

    it('warns about an A customer with one contact until it has three; contact ids stay stable', async () => {
      const a = await create({ class: 'A', contacts: [{ name: '李明', role: '店长', phone: '138 0013 8000', isKey: true }] });
      expect(a.warnings).toEqual([expect.objectContaining({ code: 'TOO_FEW_CONTACTS', field: '/contacts', message_zh: expect.stringContaining('3'), message_en: expect.any(String) })]);
      expect(a.contacts).toEqual([{ id: expect.stringMatching(/^[0-9a-f]{24}$/), name: '李明', role: '店长', phone: '13800138000', isKey: true }]);
      const missing = await manager.get('/api/customers?missingContacts=true&limit=200');
      expect(missing.body.items.map((c: { id: string }) => c.id)).toContain(a.id);
      expect(missing.body.items.every((c: { class: string }) => ['A', 'B'].includes(c.class))).toBe(true);

      await manager.post(`/api/customers/${a.id}/contacts`).send({ name: '周红', phone: '025-84561234' }).expect(201);
      const third = await manager.post(`/api/customers/${a.id}/contacts`).send({ name: '赵强' });
      expect(third.body.warnings).toEqual([]);
      expect((await manager.get('/api/customers?missingContacts=true&limit=200')).body.items.map((c: { id: string }) => c.id)).not.toContain(a.id);
      expect((await manager.get('/api/customers?missingContacts=false&limit=200')).body.items.map((c: { id: string }) => c.id)).toContain(a.id);

      const firstId = a.contacts[0]?.id as string;
      const patched = await manager.patch(`/api/customers/${a.id}/contacts/${firstId}`).send({ role: '采购经理' });
      expect(patched.body.contacts[0]).toMatchObject({ id: firstId, name: '李明', role: '采购经理', phone: '13800138000' });
      expectError(await manager.patch(`/api/customers/${a.id}/contacts/${firstId}`).send({ phone: '12345' }), 400, 'VALIDATION_FAILED', { field: '/phone', code: 'INVALID_PHONE' });
      const removed = await manager.delete(`/api/customers/${a.id}/contacts/${third.body.contacts[2].id as string}`);
      expect(removed.body.contacts.map((c: { id: string }) => c.id)).toEqual(patched.body.contacts.slice(0, 2).map((c: { id: string }) => c.id));
      expect(removed.body.warnings[0].code).toBe('TOO_FEW_CONTACTS');
      expectError(await manager.delete(`/api/customers/${a.id}/contacts/0123456789abcdef01234567`), 404, 'NOT_FOUND', { field: '/params/contactId' });
    });

    it('concurrent contact edits all land: adds stop at the cap, edits of different contacts keep each other', async () => {
      const { id } = await create({ contacts: Array.from({ length: 45 }, (_, i) => ({ name: `联系人${i}` })) });
      const adds = await Promise.all(Array.from({ length: 8 }, (_, i) => manager.post(`/api/customers/${id}/contacts`).send({ name: `新联系人${i}` })));
      expect(adds.map((r) => r.status).sort()).toEqual([201, 201, 201, 201, 201, 400, 400, 400]);
      for (const r of adds.filter((x) => x.status === 400)) expectError(r, 400, 'VALIDATION_FAILED', { field: '/contacts', code: 'TOO_MANY_ITEMS' });
      const full = (await manager.get(`/api/customers/${id}`)).body as { contacts: { id: string; name: string; role: string | null }[]; revision: number };
      expect(full.contacts).toHaveLength(50);

      const edits = await Promise.all(full.contacts.slice(0, 10).map((c, i) => manager.patch(`/api/customers/${id}/contacts/${c.id}`).send({ role: `职务${i}` })));
      expect(edits.map((r) => r.status)).toEqual(Array(10).fill(200));
      const after = (await manager.get(`/api/customers/${id}`)).body as typeof full;
      expect(after.contacts.slice(0, 10).map((c) => c.role)).toEqual(Array.from({ length: 10 }, (_, i) => `职务${i}`));
      expect(after.contacts.map((c) => c.name)).toEqual(full.contacts.map((c) => c.name));
      expect(after.revision).toBe(full.revision + 10);
    });

    it('lists with filters, a literal (regex-escaped) search and paging', async () => {
      await create({ name: '特殊.*(药房)', class: 'D', type: '便利店' });
      const literal = await manager.get(`/api/customers?q=${encodeURIComponent('.*(')}`);
      expect(literal.body.items.map((c: { name: string }) => c.name)).toEqual(['特殊.*(药房)']);
      const byType = await manager.get(`/api/customers?type=${encodeURIComponent('便利店')}&class=D`);
      expect(byType.body.total).toBe(1);
      const page1 = await manager.get('/api/customers?limit=2&offset=0');
      const page2 = await manager.get('/api/customers?limit=2&offset=2');
      expect(page1.body).toMatchObject({ limit: 2, offset: 0, total: await count() });
      expect(page1.body.items).toHaveLength(2);
      expect(page2.body.items[0].id).not.toBe(page1.body.items[1].id);
      expectError(await manager.get('/api/customers?limit=500'), 400, 'VALIDATION_FAILED', { field: '/query/limit' });
    });
  });

  describe('reps and claims', () => {
    it('a rep sees only the customers they hold; others are 404', async () => {
      const held = await create({ name: '张伟的客户' });
      const notHeld = await create({ name: '别人的客户' });
      await manager.post(`/api/customers/${held.id}/claim`).send({ repId: A.users.rep }).expect(200);
      const list = await rep.get('/api/customers');
      expect(list.body.items.map((c: { id: string }) => c.id)).toEqual([held.id]);
      expect((await rep.get(`/api/customers/${held.id}`)).status).toBe(200);
      expectError(await rep.get(`/api/customers/${notHeld.id}`), 404, 'NOT_FOUND', { field: '/params/id' });
      expectError(await rep.post(`/api/customers/${notHeld.id}/contacts`).send({ name: '王五' }), 404, 'NOT_FOUND');
      expect((await rep.get(`/api/customers?repId=${A.users.rep2 as string}`)).body.items).toEqual([]);
      expect((await manager.get(`/api/customers?repId=${A.users.rep as string}`)).body.items.map((c: { id: string }) => c.id)).toEqual([held.id]);
    });

    it('claim, assign and release are recorded with who, when and by whom', async () => {
      const { id } = await create();
      const claimed = await rep.post(`/api/customers/${id}/claim`);
      expect(claimed.status, JSON.stringify(claimed.body)).toBe(200);
      expect(claimed.body.assignedReps).toEqual([A.users.rep]);
      expect((await rep.post(`/api/customers/${id}/claim`).send({})).status).toBe(200); // already theirs: no new event
      expectError(await rep2.post(`/api/customers/${id}/claim`).send({}), 409, 'CUSTOMER_ALREADY_CLAIMED');
      expectError(await rep2.post(`/api/customers/${id}/claim`).send({ repId: A.users.rep2 }), 409, 'CUSTOMER_ALREADY_CLAIMED');
      expectError(await rep.post(`/api/customers/${id}/claim`).send({ repId: A.users.rep2 }), 403, 'FORBIDDEN');
      expectError(await manager.post(`/api/customers/${id}/claim`).send({}), 400, 'VALIDATION_FAILED', { field: '/repId', code: 'REQUIRED' });
      expectError(await manager.post(`/api/customers/${id}/claim`).send({ repId: A.users.manager }), 400, 'VALIDATION_FAILED', { field: '/repId', code: 'NOT_A_REP' });
      const assigned = await admin.post(`/api/customers/${id}/claim`).send({ repId: A.users.rep2, note: '协同跟进' });
      expect(assigned.body.assignedReps).toEqual([A.users.rep, A.users.rep2]);
      const released = await rep.post(`/api/customers/${id}/release`).send({ note: '调岗' });
      expect(released.body.assignedReps).toEqual([A.users.rep2]);
      expectError(await manager.post(`/api/customers/${id}/release`).send({ repId: A.users.rep }), 409, 'CUSTOMER_NOT_CLAIMED', { field: '/repId' });
      await manager.post(`/api/customers/${id}/release`).send({ repId: A.users.rep2 }).expect(200);

      const history = (await manager.get(`/api/customers/${id}/claims`)).body.items as Record<string, unknown>[];
      expect(history.map((e) => [e.action, e.repId, e.by])).toEqual([
        ['release', A.users.rep2, A.users.manager],
        ['release', A.users.rep, A.users.rep],
        ['assign', A.users.rep2, A.users.admin],
        ['claim', A.users.rep, A.users.rep],
      ]);
      expect(history[2]).toMatchObject({ repName: '刘洋', byName: '管理员', note: '协同跟进', at: expect.stringMatching(/^\d{4}-/) });
      expectError(await rep.get(`/api/customers/${id}/claims`), 404, 'NOT_FOUND'); // released: no longer theirs
    });
  });

  describe('tenant isolation', () => {
    it('every customers route with :id answers 404 to another tenant and changes nothing', async () => {
      const mine = await create({ class: 'A', contacts: [{ name: '李明' }] });
      const before = JSON.stringify(await t.models.Customer.findOne({ tenantId: A.tenantId, _id: mine.id }).lean());
      const bodies: Record<string, unknown> = {
        'patch /customers/:id': { name: '被篡改' }, 'post /customers/:id/contacts': { name: '卧底' },
        'patch /customers/:id/contacts/:contactId': { name: '卧底' }, 'post /customers/:id/claim': { repId: A.users.rep },
        'post /customers/:id/release': { repId: A.users.rep },
      };
      const routes = apiRoutes(t.services, t.config).filter((r) => r.path.startsWith('/customers/:id'));
      expect(routes.length).toBeGreaterThanOrEqual(8);
      for (const r of routes) {
        const url = API_PREFIX + r.path.replace(':id', mine.id).replace(':contactId', mine.contacts[0]?.id as string);
        const res = await bManager[r.method](url).send(bodies[`${r.method} ${r.path}`] as object ?? {});
        expectError(res, 404, 'NOT_FOUND', { field: '/params/id' });
      }
      expect(JSON.stringify(await t.models.Customer.findOne({ tenantId: A.tenantId, _id: mine.id }).lean())).toBe(before);
      expect((await bManager.get('/api/customers')).body.total).toBe(0);
    });
  });
});
