// Store codes for managers: PNG, a printable PDF sheet, key rotation, and the rotating code on a store screen.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { client, ok, type Client } from '../helpers/visit-flow.ts';
import { toFacts } from '../../server/visits/visit-history.ts';
import { qrInvalid } from '../../server/verification/rules/qr-invalid.ts';
import { DEFAULT_AUTHENTICITY } from '../../server/verification/params.ts';
import type { VisitDoc } from '../../server/visits/visit.model.ts';

const binary = (res: request.Response, cb: (err: Error | null, body: Buffer) => void) => {
  const chunks: Buffer[] = [];
  res.on('data', (c: Buffer) => chunks.push(c));
  res.on('end', () => cb(null, Buffer.concat(chunks)));
};

describe('store QR codes', () => {
  let t: TestApp;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let tenantId: string;
  const stores: string[] = [];

  beforeAll(async () => {
    t = await createTestApp();
    const seeded = await t.seedTenant('acme');
    tenantId = seeded.tenantId;
    manager = as(t.server, await t.login('acme', 'manager'));
    rep = client(t.server, await t.login('acme', 'rep'));
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
    await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({}), 201);
    for (let i = 0; i < 7; i += 1) {
      const c = await ok(await manager.post('/api/customers').send({ name: `便利店${i + 1}号`, address: `上海市静安区南京西路${100 + i}号`, type: '便利店', class: 'C', location: { lng: 121.45 + i / 1000, lat: 31.22, system: 'GCJ02' } }), 201);
      stores.push(String(c.id));
    }
    await ok(await manager.post(`/api/customers/${stores[0]}/claim`).send({ repId: seeded.users.rep }));
  });
  afterAll(async () => { await t.close(); });

  it('gives a PNG per store and an A4 PDF sheet for a selection', async () => {
    const png = await manager.get(`/api/customers/${stores[0]}/qr.png`).buffer(true).parse(binary);
    expect(png.status).toBe(200);
    expect(png.headers['content-type']).toBe('image/png');
    expect((png.body as Buffer).subarray(1, 4).toString()).toBe('PNG');
    const pdf = await manager.post('/api/qr/sheet').send({ customerIds: stores }).buffer(true).parse(binary);
    expect(pdf.status).toBe(200);
    const text = (pdf.body as Buffer).toString('latin1');
    expect(text.startsWith('%PDF')).toBe(true);
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(2); // 7 codes, 6 per page
    const foreign = await manager.post('/api/qr/sheet').send({ customerIds: ['0123456789abcdef01234567'] });
    expect(foreign.status).toBe(404);
    const byRep = await rep.get(`/api/customers/${stores[0]}/qr.png`);
    expect(byRep.status).toBe(403);
  });

  it('a store screen shows a rotating code that starts a visit; an old one is refused as replayed', async () => {
    const link = await ok(await manager.get(`/api/customers/${stores[0]}/qr/display-link`));
    const page = await request(t.server).get(String(link.path));
    expect(page.status).toBe(200);
    expect(page.text).toContain('current.svg');
    const svg = await request(t.server).get(`${String(link.path).replace('?', '/current.svg?')}`);
    expect(svg.status).toBe(200);
    expect(svg.headers['content-type']).toContain('image/svg+xml');
    expect(svg.headers['cache-control']).toBe('no-store');
    expect((await request(t.server).get(String(link.path).replace(/k=.*/, 'k=forged-token-000000000000000000'))).status).toBe(404);

    const [tenantCode, customerId, token] = /\/qr\/display\/([^/]+)\/([^?]+)\?k=(.+)$/.exec(String(link.path))!.slice(1) as [string, string, string];
    const fresh = (await t.services.qr.currentDisplayCode(tenantCode, customerId, decodeURIComponent(token)))!;
    const started = await ok(await rep.send('post', '/api/visits', { qr: fresh, deviceTime: new Date().toISOString() }), 201);
    expect(started.start).toMatchObject({ method: 'qr', qr: { ok: true, dynamic: true } });
    const old = (await t.services.qr.currentDisplayCode(tenantCode, customerId, decodeURIComponent(token), new Date(Date.now() - 90_000)))!;
    const replay = await rep.send('post', '/api/visits', { qr: old, deviceTime: new Date().toISOString() });
    expect(replay.status).toBe(422);
    expect(replay.body.error.details[0]).toMatchObject({ field: '/qr', code: 'QR_REPLAYED' });
    expect(await t.models.Visit.countDocuments({ tenantId })).toBe(1);

    // Scanned in a basement without signal and sent two hours later with the phone's scan time: the visit starts,
    // but the code counts like a printed one (no proof of presence) and the verdict says why.
    const scannedAt = new Date(Date.now() - 2 * 3_600_000);
    const offline = (await t.services.qr.currentDisplayCode(tenantCode, customerId, decodeURIComponent(token), scannedAt))!;
    const late = await ok(await rep.send('post', '/api/visits', { qr: offline, deviceTime: scannedAt.toISOString() }), 201);
    expect(late.start).toMatchObject({ method: 'qr', qr: { ok: true, dynamic: true, offlineDelayS: expect.any(Number) } });
    expect((late.start as { qr: { offlineDelayS: number } }).qr.offlineDelayS).toBeGreaterThanOrEqual(2 * 3600 - 5);
    // The same code claimed as scanned now is a photographed old code.
    const claimedNow = await rep.send('post', '/api/visits', { qr: offline, deviceTime: new Date().toISOString() });
    expect(claimedNow.status).toBe(422);
    expect(claimedNow.body.error.details[0]).toMatchObject({ field: '/qr', code: 'QR_REPLAYED' });
  });

  it('a form may let a failed code start the visit for the engine to judge instead of refusing it', async () => {
    const printed = String((await ok(await manager.get(`/api/customers/${stores[0]}/qr`))).payload);
    const forged = `${printed.slice(0, -4)}AAAA`;
    const refused = await rep.send('post', '/api/visits', { qr: forged, customerId: stores[0], deviceTime: new Date().toISOString() });
    expect(refused.status).toBe(422);
    expect(refused.body.error.details[0]).toMatchObject({ field: '/qr', code: 'QR_FORGED' });

    const forms = (await ok(await manager.get('/api/forms'))).items as { id: string }[];
    const form = await ok(await manager.get(`/api/forms/${forms[0]!.id}`));
    const draft = form.draft as { revision: number; schema: { 'x-evidence': { qrScan: Record<string, unknown> } } };
    draft.schema['x-evidence'].qrScan.onInvalid = 'review';
    await ok(await manager.put(`/api/forms/${forms[0]!.id}/draft`).send({ revision: draft.revision, schema: draft.schema }));
    await ok(await manager.post(`/api/forms/${forms[0]!.id}/publish`).send({ note: '扫码失败也可开始，交由系统判定' }), 201);

    const started = await ok(await rep.send('post', '/api/visits', { qr: forged, customerId: stores[0], deviceTime: new Date().toISOString() }), 201);
    expect(started.start).toMatchObject({ method: 'qr', qr: { ok: false, problem: 'forged' } });
    // The engine sees the failed code and deducts for it (a forgery is a hard failure).
    const stored = (await t.models.Visit.findOne({ tenantId, _id: String(started.id) }).lean<VisitDoc>())!;
    const facts = toFacts(stored, [], { deviceTime: new Date(), receivedAt: new Date() });
    expect(facts.qr).toEqual({ ok: false, problem: 'forged' });
    expect(qrInvalid(facts, { photoMatches: [], replayedCoordinates: [], deviceUsedByOtherReps: [], otherRepsIdenticalFixes: [], contacts: { previousMonthsContactIds: [], customerContactCount: 3 } }, DEFAULT_AUTHENTICITY).findings)
      .toEqual([expect.objectContaining({ code: 'QR_INVALID', hard: true })]);
  });
});
