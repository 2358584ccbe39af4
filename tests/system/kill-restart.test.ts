// Crash safety end to end: phones send 200 visits step by step, each step under its own Idempotency-Key and retried
// with that key until it is answered, while the server process is killed with SIGKILL three times mid-traffic and
// started again. The end state must be exactly what the phones meant: 200 visits, none twice, none lost, every
// photo once, every follow-up task and rollup there, and no idempotency key left pending.
import { spawn, type ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import sharp from 'sharp';
import type { Types } from 'mongoose';
import { freePort, repoRoot } from '../../scripts/lib/local-db.ts';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { ok } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';
import { sceneSvg } from '../helpers/images.ts';
import type { VisitDoc } from '../../server/visits/visit.model.ts';

const VISITS = 200;
const PHONES = 4;
const KILLS = 3;
const MIN = 60_000;
const STORE = { lng: 121.4737, lat: 31.2304 };
const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const PHONE = readBuiltInTemplates().find((t) => t.file.key === 'phone-visit')!.file.form as FormSchema;
const FMCG_PHOTOS = ['门头照', '陈列照', '陈列照', '沟通场景照'];

/** The server as its own process (what gets killed), on the test database. */
function serverProcess(env: Record<string, string>) {
  let child: ChildProcess | undefined;
  const start = async (): Promise<void> => {
    child = spawn(process.execPath, ['--import', 'tsx', 'server/main.ts'], { cwd: repoRoot, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout!.on('data', () => undefined);
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('server did not start in 60 s')), 60_000);
      // The logger writes one JSON line per event on stderr.
      child!.stderr!.on('data', (d: Buffer) => { if (d.toString().includes('server listening')) { clearTimeout(timer); resolve(); } });
      child!.once('exit', (code) => { clearTimeout(timer); reject(new Error(`server exited ${code}`)); });
    });
  };
  const kill = async (): Promise<void> => {
    const c = child;
    if (!c || c.exitCode !== null) return;
    await new Promise<void>((done) => { c.once('exit', () => done()); c.kill('SIGKILL'); });
  };
  return { start, kill };
}

describe('visits survive the server being killed', () => {
  let t: TestApp;
  let tenantId: Types.ObjectId;
  let base: string;
  let server: ReturnType<typeof serverProcess>;
  let repToken: string;
  const customers = { shop: '', phone: '' };

  beforeAll(async () => {
    // Set up the tenant in-process, then hand the database to the server process.
    t = await createTestApp();
    const { tenantId: id, users } = await t.seedTenant('crash');
    tenantId = (await t.models.Tenant.findById(id).lean())!._id;
    const manager = as(t.server, await t.login('crash', 'manager'));
    for (const key of ['fmcg-store-visit', 'phone-visit']) {
      const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: key }), 201);
      await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
    }
    for (const [slot, type] of [['shop', '商超'], ['phone', '集团客户']] as const) {
      const c = await ok(await manager.post('/api/customers').send({ name: `${type}客户`, address: '人民路 1 号', type, class: 'C', location: { ...STORE, system: 'GCJ02' } }), 201);
      await ok(await manager.post(`/api/customers/${String(c.id)}/claim`).send({ repId: users.rep }));
      customers[slot] = String(c.id);
    }
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = serverProcess({
      MONGODB_URI: inject('mongoUri'), MONGODB_DB: t.config.mongoDb, PORT: String(port), HOST: '127.0.0.1', PUBLIC_URL: base,
      QR_SECRET: t.config.qrSecret, LINK_SECRET: t.config.linkSecret, DEV_LOGIN_ENABLED: '1', JOBS_ENABLED: '1', IDEMPOTENCY_LEASE_SECONDS: '2',
    });
    await server.start();
    repToken = String(((await (await fetch(`${base}/api/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'crash', username: 'rep' }) })).json()) as { token: string }).token);
  }, 240_000);

  afterAll(async () => {
    await server?.kill();
    await t?.close();
  });

  /** Sends one step until the server answers it for real; the same key on every try, as the mini-app's queue does. */
  async function step(method: string, path: string, body?: unknown, photo?: { kind: string; data: Buffer }): Promise<Record<string, unknown>> {
    const key = randomUUID();
    for (let attempt = 0; ; attempt += 1) {
      let payload: FormData | string | undefined;
      const headers: Record<string, string> = { authorization: `Bearer ${repToken}`, 'idempotency-key': key };
      if (photo) {
        payload = new FormData();
        payload.set('kind', photo.kind);
        payload.set('source', 'camera');
        payload.set('file', new Blob([photo.data], { type: 'image/jpeg' }), 'photo.jpg');
      } else if (body !== undefined) {
        headers['content-type'] = 'application/json';
        payload = JSON.stringify(body);
      }
      try {
        const res = await fetch(`${base}/api${path}`, { method, headers, body: payload, signal: AbortSignal.timeout(20_000) });
        const json = await res.json() as Record<string, unknown> & { error?: { code: string } };
        if (res.status < 300) return json;
        const transient = res.status >= 500 || res.status === 408 || res.status === 429 || json.error?.code === 'REQUEST_IN_PROGRESS';
        if (!transient) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
      } catch (err) {
        if ((err as Error).message.startsWith(`${method} ${path}:`)) throw err;
        // The server is down or the connection was cut: try again shortly with the same key.
      }
      if (attempt > 600) throw new Error(`${method} ${path}: no answer after ${attempt} tries`);
      await new Promise((r) => setTimeout(r, 150 + Math.random() * 150));
    }
  }

  it('200 visits with retries across three kill -9 restarts: none lost, none twice, every effect carried out', async () => {
    const photos = await Promise.all(FMCG_PHOTOS.map((_k, i) => sharp(Buffer.from(sceneSvg(4200 + i))).jpeg({ quality: 80 }).toBuffer()));
    const fix = (at: Date, i: number) => ({ lng: STORE.lng + 0.00006 + i * 0.00002, lat: STORE.lat + 0.00004, system: 'GCJ02', accuracyM: 12, provider: 'gps', deviceTime: new Date(at.getTime() + i * 7000).toISOString() });
    let next = 0;
    let submitted = 0;
    const started = Date.now() - VISITS * 10 * MIN;

    async function visit(i: number): Promise<void> {
      // Every tenth visit is an on-site store visit with four photos; the rest are phone visits.
      const onsite = i % 10 === 0;
      const at = new Date(started + i * 10 * MIN);
      const v = await step('POST', '/visits', { customerId: onsite ? customers.shop : customers.phone, deviceTime: at.toISOString() });
      const id = String(v.id);
      await step('POST', `/visits/${id}/check-in`, { fixes: [0, 1, 2].map((k) => fix(at, k)) });
      if (onsite) for (const [k, kind] of FMCG_PHOTOS.entries()) await step('POST', `/visits/${id}/photos`, undefined, { kind, data: photos[k]! });
      await step('PUT', `/visits/${id}/answers`, { answers: sampleAnswers(onsite ? FMCG : PHONE, onsite ? '商超' : '集团客户', 'C', shanghaiDate(at)) });
      const out = new Date(at.getTime() + 20 * MIN);
      await step('POST', `/visits/${id}/check-out`, { fixes: [fix(out, 0)], deviceTime: out.toISOString() });
      await step('POST', `/visits/${id}/submit`, { deviceTime: new Date(out.getTime() + MIN).toISOString() });
      submitted += 1;
    }

    const phones = Array.from({ length: PHONES }, async () => { while (next < VISITS) await visit(next++); });
    const killer = (async () => {
      for (let k = 1; k <= KILLS; k += 1) {
        while (submitted < (VISITS * k) / (KILLS + 1)) await new Promise((r) => setTimeout(r, 50));
        await server.kill();
        await server.start();
      }
    })();
    await Promise.all([...phones, killer]);

    const visits = await t.models.Visit.find({ tenantId }).lean<VisitDoc[]>();
    expect(visits).toHaveLength(VISITS);
    expect(visits.every((v) => v.status === 'submitted')).toBe(true);
    // One visit per phone start: no two visits share a start time.
    expect(new Set(visits.map((v) => v.start.deviceTime.getTime())).size).toBe(VISITS);
    const onsite = visits.filter((v) => String(v.customerId) === customers.shop);
    expect(onsite).toHaveLength(VISITS / 10);
    expect(await t.models.Photo.countDocuments({ tenantId })).toBe(onsite.length * FMCG_PHOTOS.length);
    // GridFS keeps an original and a watermarked copy per photo, nothing left behind by a killed upload.
    expect(await t.conn.db!.collection('photos.files').countDocuments({ 'metadata.tenantId': tenantId })).toBe(onsite.length * FMCG_PHOTOS.length * 2);

    // Effects a killed submit left behind are finished by the retry or by the worker.
    const deadline = Date.now() + 90_000;
    while (Date.now() < deadline && await t.models.Visit.countDocuments({ tenantId, 'effects.0': { $exists: true } }) > 0) await new Promise((r) => setTimeout(r, 1000));
    expect(await t.models.Visit.countDocuments({ tenantId, 'effects.0': { $exists: true } })).toBe(0);
    const withFollowUp = visits.filter((v) => v.followUpTaskId);
    expect(withFollowUp.length).toBeGreaterThan(0);
    expect(await t.models.Task.countDocuments({ tenantId })).toBe(withFollowUp.length);
    const days = new Map<string, number>();
    for (const v of visits) days.set(shanghaiDate(v.checkIn!.deviceTime), (days.get(shanghaiDate(v.checkIn!.deviceTime)) ?? 0) + 1);
    const rollups = await t.models.KpiRollup.find({ tenantId }).lean<{ date: string; visits: number }[]>();
    for (const [date, count] of days) expect(rollups.find((r) => r.date === date)?.visits, date).toBe(count);
    expect(await t.models.IdempotencyKey.countDocuments({ tenantId, state: 'pending' })).toBe(0);
  }, 900_000);
});
