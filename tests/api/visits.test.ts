// Complete visits through the API: honest ones end green; cheats end red with their reasons; retries never
// duplicate anything; missing evidence and bad inputs are refused with clear errors.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, as, type TestApp } from '../helpers/test-app.ts';
import { fieldTeam, fixes, burstAt, ok, runVisit, type Client, type VisitPlan } from '../helpers/visit-flow.ts';
import { scenePhoto } from '../helpers/images.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate, shanghaiDayStart } from '../../server/lib/time.ts';
import { systemViewer } from '../../server/jobs/job-context.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const SHANGHAI_STORE = { lng: 121.4737, lat: 31.2304 };
const BEIJING_STORE = { lng: 116.4074, lat: 39.9042 };
const MIN = 60_000;

describe('visits', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let rep: Client;
  let rep2: Client;
  let manager: ReturnType<typeof as>;
  let shanghai: string;
  let beijing: string;
  let seed = 1;

  async function customer(name: string, p: { lng: number; lat: number }, repId: string): Promise<string> {
    const created = await ok(await manager.post('/api/customers').send({
      name, address: `${name}地址`, type: '商超', class: 'A', location: { ...p, system: 'GCJ02' },
      contacts: [{ name: '王店长', role: '店长', phone: '13800000001' }, { name: '李采购', role: '采购', phone: '13800000002' }, { name: '赵老板', role: '老板', phone: '13800000003' }],
    }), 201);
    await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function qrOf(customerId: string): Promise<string> {
    return String((await ok(await manager.get(`/api/customers/${customerId}/qr`))).payload);
  }

  /** Runs a whole visit; `photos` defaults to fresh pictures for every required kind. */
  async function visit(c: Client, customerId: string, o: Omit<VisitPlan, 'qr' | 'answers'>) {
    return runVisit(c, { ...o, qr: await qrOf(customerId), answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(o.checkInAt)) });
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
    shanghai = await customer('华联超市人民路店', SHANGHAI_STORE, users.rep!);
    beijing = await customer('京客隆朝阳店', BEIJING_STORE, users.rep!);
  });
  afterAll(async () => { await t.close(); });

  it('an honest visit ends green with a summary and a follow-up task', async () => {
    const now = Date.now();
    const { submitted } = await visit(rep, shanghai, { store: SHANGHAI_STORE, checkInAt: new Date(now - 6 * 60 * MIN) });
    expect(submitted.verdict.band, JSON.stringify(submitted.verdict.reasons)).toBe('green');
    expect(submitted.verdict.score).toBeGreaterThanOrEqual(80);
    expect(submitted.summary).toMatchObject({ customer: '华联超市人民路店' });
    expect(submitted.followUpTaskId).toBeTruthy();
    expect(await t.models.Task.countDocuments({ tenantId: (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id })).toBe(1);
  });

  it('serves the watermarked photos only through short-lived signed links', async () => {
    const v = await visit(rep, shanghai, { store: SHANGHAI_STORE, checkInAt: new Date(Date.now() - 30 * 60 * MIN) });
    const list = await ok(await manager.get(`/api/visits/${v.id}/photos`));
    const items = list.items as { url: string; kind: string }[];
    expect(items.map((p) => p.kind).sort()).toEqual(['沟通场景照', '陈列照', '陈列照', '门头照'].sort());
    const { default: request } = await import('supertest');
    const file = await request(t.server).get(items[0]!.url);
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('image/jpeg');
    expect((await request(t.server).get(items[0]!.url.replace(/sig=[^&]+/, 'sig=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'))).status).toBe(404);
    const expired = items[0]!.url.replace(/exp=\d+/, `exp=${Math.floor(Date.now() / 1000) - 10}`);
    expect((await request(t.server).get(expired)).status).toBe(404);
    expect((await rep2.get(`/api/visits/${v.id}/photos`)).status).toBe(404);
  });

  it('a teleport with a re-used photo ends red and names both reasons', async () => {
    const now = Date.now();
    const first = await visit(rep, shanghai, { store: SHANGHAI_STORE, checkInAt: new Date(now - 4 * 60 * MIN) });
    // 25 minutes after leaving Shanghai the rep "checks in" in Beijing, 1,000 km away, with the first visit's storefront photo.
    const outOfFirst = now - 4 * 60 * MIN + 20 * MIN;
    const photos = [first.pictures[0]!, ...(await Promise.all([0, 1, 2].map(() => scenePhoto(seed++))))];
    const cheat = await visit(rep, beijing, { store: BEIJING_STORE, checkInAt: new Date(outOfFirst + 25 * MIN), photos });
    const codes = cheat.submitted.verdict.reasons.map((r) => r.code);
    expect(cheat.submitted.verdict.band).toBe('red');
    expect(codes).toContain('IMPOSSIBLE_TRAVEL');
    expect(codes.some((c) => c === 'PHOTO_SAME_FILE' || c === 'PHOTO_REUSED')).toBe(true);
  });

  describe('refusals and retries', () => {
    async function startedVisit(c: Client, customerId = shanghai, minutesAgo = 90) {
      const at = new Date(Date.now() - minutesAgo * MIN);
      const v = await ok(await c.send('post', '/api/visits', { qr: await qrOf(customerId), deviceTime: at.toISOString() }), 201);
      await ok(await c.send('post', `/api/visits/${String(v.id)}/check-in`, { fixes: fixes(burstAt(SHANGHAI_STORE, at)) }));
      return { id: String(v.id), at };
    }
    /** Photos, answers and check-out after 20 minutes: everything but the submit. Returns the check-out time. */
    async function readyToSubmit(id: string, at: Date): Promise<Date> {
      for (const kind of ['门头照', '陈列照', '陈列照', '沟通场景照']) await ok(await rep.photo(id, kind, await scenePhoto(seed++)), 201);
      await ok(await rep.send('put', `/api/visits/${id}/answers`, { answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at)) }));
      const out = new Date(at.getTime() + 20 * MIN);
      await ok(await rep.send('post', `/api/visits/${id}/check-out`, { fixes: fixes(burstAt(SHANGHAI_STORE, out).slice(0, 1)), deviceTime: out.toISOString() }));
      return out;
    }
    const tenantOf = async () => (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;

    it('refuses a submit without the required photos and names the missing kinds', async () => {
      const { id, at } = await startedVisit(rep);
      await ok(await rep.photo(id, '门头照', await scenePhoto(seed++)), 201);
      await ok(await rep.send('put', `/api/visits/${id}/answers`, { answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at)) }));
      const out = new Date(at.getTime() + 20 * MIN);
      await ok(await rep.send('post', `/api/visits/${id}/check-out`, { fixes: fixes(burstAt(SHANGHAI_STORE, out).slice(0, 1)), deviceTime: out.toISOString() }));
      const res = await rep.send('post', `/api/visits/${id}/submit`, { deviceTime: out.toISOString() });
      expect(res.status).toBe(422);
      expect(res.body.error.code).toBe('EVIDENCE_MISSING');
      const missing = (res.body.error.details as { field: string; code: string; message_zh: string }[]).filter((d) => d.code === 'PHOTO_KIND_MISSING');
      expect(missing.map((d) => d.field).sort()).toEqual(['/evidence/photos/沟通场景照', '/evidence/photos/陈列照']);
      expect(missing.find((d) => d.field.endsWith('陈列照'))!.message_zh).toContain('还差 2 张');
      expect((await t.models.Visit.findOne({ tenantId: await tenantOf(), _id: id }).lean())!.status).toBe('checkedOut');
    });

    it('replays the first response for a repeated Idempotency-Key and stores nothing twice', async () => {
      const at = new Date(Date.now() - 80 * MIN);
      const body = { qr: await qrOf(shanghai), deviceTime: at.toISOString() };
      const before = await t.models.Visit.countDocuments({ tenantId: await tenantOf() });
      const first = await ok(await rep.send('post', '/api/visits', body, 'start-key-0001'), 201);
      const again = await rep.send('post', '/api/visits', body, 'start-key-0001');
      expect(again.status).toBe(201);
      expect(again.headers['idempotent-replay']).toBe('true');
      expect(again.body.id).toBe(first.id);
      expect(await t.models.Visit.countDocuments({ tenantId: await tenantOf() })).toBe(before + 1);
      await ok(await rep.send('post', `/api/visits/${String(first.id)}/check-in`, { fixes: fixes(burstAt(SHANGHAI_STORE, at)) }));
      const photo = await scenePhoto(seed++);
      const p1 = await ok(await rep.photo(String(first.id), '门头照', photo, { key: 'photo-key-0001' }), 201);
      const p2 = await ok(await rep.photo(String(first.id), '门头照', photo, { key: 'photo-key-0001' }), 201);
      expect(p2.id).toBe(p1.id);
      expect(await t.models.Photo.countDocuments({ tenantId: await tenantOf(), visitId: String(first.id) })).toBe(1);
    });

    it('every step of the visit replays its first answer when retried with the same key', async () => {
      const at = new Date(Date.now() - 50 * MIN);
      const v = await ok(await rep.send('post', '/api/visits', { qr: await qrOf(shanghai), deviceTime: at.toISOString() }), 201);
      const id = String(v.id);
      const steps: [string, 'post' | 'put', string, unknown][] = [
        ['checkin-retry-key-1', 'post', `/api/visits/${id}/check-in`, { fixes: fixes(burstAt(SHANGHAI_STORE, at)) }],
        ['answers-retry-key-1', 'put', `/api/visits/${id}/answers`, { answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at)) }],
        ['checkout-retry-key-1', 'post', `/api/visits/${id}/check-out`, { fixes: fixes(burstAt(SHANGHAI_STORE, new Date(at.getTime() + 20 * MIN)).slice(0, 1)), deviceTime: new Date(at.getTime() + 20 * MIN).toISOString() }],
      ];
      for (const [key, method, url, body] of steps) {
        const first = await ok(await rep.send(method, url, body, key));
        const again = await rep.send(method, url, body, key);
        expect(again.status, url).toBe(200);
        expect(again.body).toEqual(first);
      }
      const stored = await t.models.Visit.findOne({ tenantId: await tenantOf(), _id: id }).lean();
      expect(stored!.fixes.filter((f) => f.phase === 'checkin')).toHaveLength(3);
      expect(stored!.fixes.filter((f) => f.phase === 'checkout')).toHaveLength(1);
      expect(stored!.status).toBe('checkedOut');
      // A retry without the key is refused rather than guessed at.
      const { default: request } = await import('supertest');
      const noKey = await request(t.server).post(`/api/visits/${id}/submit`).set('authorization', `Bearer ${rep.token}`).send({ deviceTime: new Date().toISOString() });
      expect(noKey.status).toBe(400);
      expect(noKey.body.error.code).toBe('IDEMPOTENCY_KEY_REQUIRED');
    });

    it('concurrent submits with different keys (two phones, two instances) submit once and agree', async () => {
      const { id, at } = await startedVisit(rep, shanghai, 60);
      const out = await readyToSubmit(id, at);
      const results = await Promise.all(Array.from({ length: 8 }, () => rep.send('post', `/api/visits/${id}/submit`, { deviceTime: out.toISOString() })));
      expect(results.map((r) => r.status)).toEqual(Array(8).fill(200));
      expect(new Set(results.map((r) => JSON.stringify(r.body.submitted))).size).toBe(1);
      expect(await t.models.Task.countDocuments({ tenantId: await tenantOf(), visitId: id })).toBe(1);
    });

    it('survives a retry storm of 100 identical submits: one submission, one follow-up task', async () => {
      const { id, at } = await startedVisit(rep, shanghai, 70);
      const out = await readyToSubmit(id, at);
      const body = { deviceTime: out.toISOString() };
      const storm = await Promise.all(Array.from({ length: 100 }, () => rep.send('post', `/api/visits/${id}/submit`, body, 'submit-storm-key-01')));
      expect(storm.map((r) => r.status)).toEqual(Array(100).fill(200));
      expect(new Set(storm.map((r) => JSON.stringify(r.body.verdict))).size).toBe(1);
      // Retries with fresh keys (an app reinstalled mid-retry) are harmless too.
      const fresh = await Promise.all(Array.from({ length: 5 }, () => rep.send('post', `/api/visits/${id}/submit`, body)));
      expect(new Set(fresh.map((r) => JSON.stringify(r.body.verdict))).size).toBe(1);
      expect(fresh.map((r) => r.status)).toEqual(Array(5).fill(200));
      expect(await t.models.Task.countDocuments({ tenantId: await tenantOf(), visitId: id })).toBe(1);
    }, 120_000); // 105 requests on one visit: seconds alone, much longer while the browser tests load the machine

    it('refuses forged, foreign-store and revoked store codes', async () => {
      const at = new Date().toISOString();
      const genuine = await qrOf(shanghai);
      const forged = genuine.slice(0, -4) + (genuine.endsWith('AAAA') ? 'BBBB' : 'AAAA');
      const r1 = await rep.send('post', '/api/visits', { qr: forged, deviceTime: at });
      expect(r1.status).toBe(422);
      expect(r1.body.error).toMatchObject({ code: 'QR_INVALID', details: [{ field: '/qr', code: 'QR_FORGED' }] });
      const r2 = await rep.send('post', '/api/visits', { customerId: shanghai, qr: await qrOf(beijing), deviceTime: at });
      expect(r2.body.error).toMatchObject({ code: 'QR_INVALID', details: [{ field: '/qr', code: 'QR_OTHER_STORE' }] });
      const admin = as(t.server, await t.login('acme', 'admin'));
      await ok(await admin.post('/api/qr/rotate').send({}));
      const r3 = await rep.send('post', '/api/visits', { qr: genuine, deviceTime: at });
      expect(r3.body.error).toMatchObject({ code: 'QR_INVALID', details: [{ field: '/qr', code: 'QR_REVOKED' }] });
      expect((await rep.send('post', '/api/visits', { qr: await qrOf(shanghai), deviceTime: at })).status).toBe(201);
    });

    it('refuses coordinates out of range at check-in and keeps the visit unchanged', async () => {
      const v = await ok(await rep.send('post', '/api/visits', { qr: await qrOf(shanghai), deviceTime: new Date().toISOString() }), 201);
      const res = await rep.send('post', `/api/visits/${String(v.id)}/check-in`, { fixes: [{ lng: 121.47, lat: 95, system: 'WGS84', deviceTime: new Date().toISOString() }] });
      expect(res.status).toBe(400);
      expect(res.body.error.details[0]).toMatchObject({ field: '/fixes/0/lat', code: 'COORDINATES_OUT_OF_RANGE' });
      const stored = await t.models.Visit.findOne({ tenantId: await tenantOf(), _id: v.id }).lean();
      expect(stored!.status).toBe('started');
      expect(stored!.fixes).toHaveLength(0);
    });

    it('refuses a text file named .jpg, a 50 MB upload and a pixel bomb, storing nothing', async () => {
      const { id } = await startedVisit(rep, shanghai, 30);
      const text = await rep.photo(id, '门头照', Buffer.from('这是一段文字，不是照片。'.repeat(20)), { filename: 'storefront.jpg' });
      expect(text.status).toBe(415);
      expect(text.body.error.code).toBe('PHOTO_UNSUPPORTED_TYPE');
      const huge = await rep.photo(id, '门头照', Buffer.concat([await scenePhoto(seed++), Buffer.alloc(50 * 1024 * 1024)]));
      expect(huge.status).toBe(413);
      const sharp = (await import('sharp')).default;
      const bomb = await sharp({ create: { width: 12_000, height: 12_000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
      const bombRes = await rep.photo(id, '门头照', bomb, { filename: 'a.png', contentType: 'image/png' });
      expect(bombRes.status).toBe(422);
      expect(bombRes.body.error.code).toBe('PHOTO_TOO_MANY_PIXELS');
      expect(await t.models.Photo.countDocuments({ tenantId: await tenantOf(), visitId: id })).toBe(0);
    });

    it("hides another rep's visit: reading or submitting it gives 404", async () => {
      const { id } = await startedVisit(rep, shanghai, 20);
      expect((await rep2.get(`/api/visits/${id}`)).status).toBe(404);
      const res = await rep2.send('post', `/api/visits/${id}/submit`, { deviceTime: new Date().toISOString() });
      expect(res.status).toBe(404);
      expect(res.body.error.code).toBe('NOT_FOUND');
    });

    it('cannot start a visit for a customer whose type has no published form', async () => {
      const clinic = await customer('社区诊所', { lng: 121.48, lat: 31.23 }, users.rep!);
      await t.models.Customer.updateOne({ tenantId: await tenantOf(), _id: clinic }, { $set: { type: '诊所' } });
      const res = await rep.send('post', '/api/visits', { customerId: clinic, deviceTime: new Date().toISOString() });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('NO_FORM_FOR_CUSTOMER');
    });
  });

  describe('manager review', () => {
    it('an override keeps the machine verdict, changes the effective band and is audited', async () => {
      const now = Date.now();
      const first = await visit(rep, shanghai, { store: SHANGHAI_STORE, checkInAt: new Date(now - 10 * 60 * MIN) });
      const cheat = await visit(rep, beijing, { store: BEIJING_STORE, checkInAt: new Date(now - 10 * 60 * MIN + 45 * MIN), photos: [first.pictures[0]!, ...(await Promise.all([0, 1, 2].map(() => scenePhoto(seed++))))] });
      expect(cheat.submitted.verdict.band).toBe('red');
      const byRep = await rep.send('post', `/api/visits/${cheat.id}/override`, { band: 'green', reason: '自己改判' });
      expect(byRep.status).toBe(403);
      const res = await ok(await manager.post(`/api/visits/${cheat.id}/override`).send({ band: 'yellow', reason: '客户确认当天到店，照片为误传' }));
      expect(res).toMatchObject({ effectiveBand: 'yellow', verdict: { band: 'red' }, override: { band: 'yellow', reason: '客户确认当天到店，照片为误传', machineBand: 'red' } });
      expect(res.audit).toEqual([expect.objectContaining({ action: 'override', band: 'yellow', byName: '王经理' })]);
      const noReason = await manager.post(`/api/visits/${cheat.id}/override`).send({ band: 'green' });
      expect(noReason.status).toBe(400);
    });

    it('draws the daily call-back sample once by the job (reads never draw), yellow first, with the contact phone; the outcome outranks the verdict', async () => {
      // 09:00 in Shanghai three days ago: the three visits an hour apart stay on one day whenever the test runs.
      const date = shanghaiDate(new Date(Date.now() - 3 * 24 * 60 * MIN));
      const day = new Date(shanghaiDayStart(date).getTime() + 9 * 60 * MIN);
      const visits = [];
      for (let i = 0; i < 3; i += 1) visits.push(await visit(rep, shanghai, { store: SHANGHAI_STORE, checkInAt: new Date(day.getTime() + i * 60 * MIN), stayMin: i === 0 ? 6 : 20 }));
      const short = visits[0]!;
      expect(short.submitted.verdict.band, JSON.stringify(short.submitted.verdict.reasons)).toBe('yellow');
      // Reading the list before the day's job ran draws nothing: a read never writes.
      const tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
      expect((await ok(await manager.get(`/api/callbacks?date=${date}`))).items).toEqual([]);
      expect(await t.models.Callback.countDocuments({ tenantId, date })).toBe(0);
      // The daily job draws it (2 per rep); running it again, as a catch-up would, adds nothing.
      await t.services.reviews.drawSample(systemViewer(tenantId), date, 2);
      await t.services.reviews.drawSample(systemViewer(tenantId), date, 3);
      const list = await ok(await manager.get(`/api/callbacks?date=${date}`));
      const items = list.items as { _id: string; visitId: string; phone: string; contactName: string; band: string }[];
      expect(items).toHaveLength(2);
      expect(items.map((c) => c.visitId)).toContain(short.id);
      expect(items.every((c) => /^1\d{10}$/.test(c.phone))).toBe(true);
      const again = await ok(await manager.get(`/api/callbacks?date=${date}`));
      expect((again.items as { _id: string }[]).map((c) => c._id).sort()).toEqual(items.map((c) => c._id).sort());
      const target = items.find((c) => c.visitId === short.id)!;
      await ok(await manager.post(`/api/callbacks/${target._id}/outcome`).send({ outcome: 'denied', note: '店长称当天无人拜访' }));
      const v = await ok(await manager.get(`/api/visits/${short.id}`));
      expect(v).toMatchObject({ effectiveBand: 'red', verdict: { band: 'yellow' }, callback: { outcome: 'denied' } });
    });
  });

  describe('what-if and backtesting', () => {
    it('shows which verdicts a draft scoring template would change, without changing any', async () => {
      const created = await ok(await manager.post('/api/scoring-templates/from-template').send({ templateKey: 'default' }), 201);
      const draft = (created.draft as { config: { authenticity: { minStayMinutes: Record<string, number> } } }).config;
      draft.authenticity.minStayMinutes.A = 60; // every 20-minute visit above now falls far short
      await ok(await manager.put(`/api/scoring-templates/${String(created.id)}/draft`).send({ revision: 1, config: draft }));
      const before = await t.models.Visit.find({ tenantId: (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id, status: 'submitted' }, { verdict: 1 }).lean();
      const from = shanghaiDate(new Date(Date.now() - 7 * 24 * 60 * MIN));
      const res = await ok(await manager.post(`/api/scoring-templates/${String(created.id)}/what-if`).send({ from, to: shanghaiDate(new Date()) }));
      const greens = before.filter((v) => (v.verdict as { band: string }).band === 'green').length;
      expect(res.total).toBe(before.length);
      expect(res.changed).toBeGreaterThanOrEqual(greens);
      const changes = res.changes as { before: { band: string }; after: { band: string; reasons: string[] } }[];
      expect(changes.filter((c) => c.before.band === 'green').every((c) => c.after.band !== 'green' && c.after.reasons.includes('STAY_TOO_SHORT'))).toBe(true);
      const after = await t.models.Visit.find({ tenantId: (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id, status: 'submitted' }, { verdict: 1 }).lean();
      expect(JSON.stringify(after)).toBe(JSON.stringify(before));
      const backwards = await manager.post(`/api/scoring-templates/${String(created.id)}/what-if`).send({ from: '2026-11-20', to: '2026-11-01' });
      expect(backwards.status).toBe(400);
    });

    it('the backtest command re-runs stored visits from a JSONL file and summarises bands and reasons', async () => {
      const { execFile } = await import('node:child_process');
      const { mkdtempSync, writeFileSync, readFileSync } = await import('node:fs');
      const { join } = await import('node:path');
      const { tmpdir } = await import('node:os');
      const visits = await t.models.Visit.find({ tenantId: (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id, status: 'submitted' }, { verdictInput: 1, verdict: 1 }).lean();
      const dir = mkdtempSync(join(tmpdir(), 'backtest-'));
      writeFileSync(join(dir, 'visits.jsonl'), visits.map((v) => JSON.stringify(v.verdictInput)).join('\n'));
      const stderr = await new Promise<string>((done, fail) => {
        execFile('npx', ['tsx', 'scripts/backtest.ts', '--input', join(dir, 'visits.jsonl'), '--template', 'templates/scoring/default.json', '--output', join(dir, 'out.jsonl')],
          (err, _out, errText) => (err ? fail(err) : done(errText)));
      });
      const lines = readFileSync(join(dir, 'out.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { visitId: string; band: string });
      expect(lines).toHaveLength(visits.length);
      // Same template, same inputs: the same verdicts as at submit time.
      for (const v of visits) expect(lines.find((l) => l.visitId === String(v._id))!.band).toBe((v.verdict as { band: string }).band);
      expect(stderr).toMatch(new RegExp(`visits: ${visits.length}`));
      expect(stderr).toContain('IMPOSSIBLE_TRAVEL');
    });
  });

  it('a customer drawn as an outline: the visit pins its corners and measures from the outline, not the point', async () => {
    // The stored point is the car park gate, 400 m south of the door (beyond the 200 m radius); the outline covers
    // the door.
    const gate = { lng: 121.4800, lat: 31.2364 };
    const door = { lng: 121.4800, lat: 31.2400 };
    const outline = [{ lng: 121.4790, lat: 31.2390 }, { lng: 121.4810, lat: 31.2390 }, { lng: 121.4810, lat: 31.2410 }, { lng: 121.4790, lat: 31.2410 }];
    const id = await customer('百联广场', gate, users.rep!);
    await ok(await manager.patch(`/api/customers/${id}`).send({ fence: { system: 'GCJ02', polygon: outline } }));
    const v = await visit(rep, id, { store: door, checkInAt: new Date(Date.now() - 2 * 60 * MIN) });
    expect(v.submitted.verdict.reasons.map((r) => r.code)).not.toContain('OUTSIDE_FENCE');
    const context = await ok(await manager.get(`/api/visits/${v.id}/context`));
    expect(context.fence).toEqual({ location: gate, polygon: outline, radiusM: expect.any(Number), shape: 'polygon' });
  });
});
