// Visits through the real HTTP API on the local database:
// - submit throughput of phone visits (no photos; the steps before the submit are not measured) against a bare mongoose insert of a visit-sized document on the
//   same engine, both with 4 requests in flight (target: submit ≥ 50% of the insert rate);
// - the whole on-site lifecycle (start → check-in → 4 photos → answers → check-out → submit) at 1,000 and at 20,000
//   stored visits of the tenant, each with its photos (target: p50 and p95 grow less than 1.5×).
import { randomBytes, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import mongoose, { Types } from 'mongoose';
import { startEphemeralDb } from '../scripts/lib/local-db.ts';
import { ensureIndexes, registerModels, type Models } from '../server/db/models.ts';
import { loadConfig } from '../server/config.ts';
import { buildApp } from '../server/app.ts';
import { listen } from '../server/http/http-server.ts';
import { hashBands } from '../server/photos/photo-match.ts';
import { readBuiltInTemplates } from '../server/templates/templates.service.ts';
import type { FormSchema } from '../server/forms/form-types.ts';
import { shanghaiDate } from '../server/lib/time.ts';
import { sceneSvg } from '../tests/helpers/images.ts';
import { sampleAnswers } from './sample-answers.ts';
import type { BenchResult } from './measure.ts';

const MIN = 60_000;
const STORE = { lng: 121.4737, lat: 31.2304 };
const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const PHONE = readBuiltInTemplates().find((t) => t.file.key === 'phone-visit')!.file.form as FormSchema;

type Call = (method: string, path: string, body?: unknown, file?: { kind: string; data: Buffer }) => Promise<Record<string, unknown>>;

function api(base: string, token: string): Call {
  return async (method, path, body, file) => {
    const headers: Record<string, string> = { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() };
    let payload: FormData | string | undefined;
    if (file) {
      const form = new FormData();
      form.set('kind', file.kind);
      form.set('source', 'camera');
      form.set('file', new Blob([file.data], { type: 'image/jpeg' }), 'photo.jpg');
      payload = form;
    } else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    const res = await fetch(`${base}/api${path}`, { method, headers, body: payload });
    const json = await res.json() as Record<string, unknown>;
    if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json).slice(0, 300)}`);
    return json;
  };
}

const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(p * xs.length))]!;
const fix = (at: Date, i: number) => ({ lng: STORE.lng + 0.00006 + i * 0.00002, lat: STORE.lat + 0.00004, system: 'GCJ02', accuracyM: 12, provider: 'gps', deviceTime: new Date(at.getTime() + i * 7000).toISOString() });

/** Runs `n` jobs with `inFlight` at a time; returns jobs per second. */
async function rateOf(n: number, inFlight: number, job: (i: number) => Promise<unknown>): Promise<number> {
  let next = 0;
  const t = performance.now();
  await Promise.all(Array.from({ length: inFlight }, async () => { while (next < n) await job(next++); }));
  return (n / (performance.now() - t)) * 1000;
}

export async function runVisitBenches(): Promise<BenchResult[]> {
  const db = await startEphemeralDb('bench-visits');
  const config = { ...loadConfig({ DEV_LOGIN_ENABLED: '1', QR_SECRET: randomBytes(16).toString('hex'), JOBS_ENABLED: '0' }), mongoUri: db.uri, mongoDb: 'bench' };
  const conn = await mongoose.createConnection(db.uri, { dbName: 'bench', autoIndex: false }).asPromise();
  let server: Server | undefined;
  try {
    const models = registerModels(conn);
    await ensureIndexes(models);
    const { app, services } = buildApp({ config, conn, models });
    server = await listen(app, 0, '127.0.0.1');
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const { tenantId } = await services.tenants.provision({ code: 'bench', name: '基准企业', users: [
      { username: 'manager', name: '王经理', role: 'manager' }, { username: 'rep', name: '张伟', role: 'rep', manager: 'manager' },
    ] });
    const login = async (username: string) => String((await (await fetch(`${base}/api/auth/dev-login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ tenant: 'bench', username }) })).json() as { token: string }).token);
    const manager = api(base, await login('manager'));
    const rep = api(base, await login('rep'));
    const repId = (await models.User.findOne({ tenantId, username: 'rep' }).lean())!._id;
    for (const key of ['fmcg-store-visit', 'phone-visit']) {
      const form = await manager('POST', '/forms/from-template', { templateKey: key });
      await manager('POST', `/forms/${String(form.id)}/publish`, { note: 'v1' });
    }
    const customer = async (type: string) => {
      const c = await manager('POST', '/customers', { name: `${type}客户`, address: '人民路 1 号', type, class: 'C', location: { ...STORE, system: 'GCJ02' } });
      await manager('POST', `/customers/${String(c.id)}/claim`, { repId: String(repId) });
      return String(c.id);
    };
    const shop = await customer('商超');
    const phoneCustomer = await customer('集团客户'); // only the phone-visit form applies to it

    const results: BenchResult[] = [];
    results.push(await submitThroughput(models, tenantId, repId, rep, phoneCustomer));
    results.push(...await lifecycle(models, tenantId, repId, rep, shop));
    return results;
  } finally {
    server?.closeAllConnections();
    await new Promise<void>((ok) => (server ? server.close(() => ok()) : ok()));
    await conn.close();
    await db.stop();
  }
}

async function submitThroughput(models: Models, tenantId: Types.ObjectId, repId: Types.ObjectId, rep: Call, customerId: string): Promise<BenchResult> {
  const N = 120;
  const at = new Date(Date.now() - 3 * 3_600_000);
  const ids: string[] = [];
  for (let i = 0; i < N; i += 1) {
    const v = await rep('POST', '/visits', { customerId, deviceTime: at.toISOString() });
    await rep('POST', `/visits/${String(v.id)}/check-in`, { fixes: [fix(at, 0)] });
    await rep('PUT', `/visits/${String(v.id)}/answers`, { answers: sampleAnswers(PHONE, '集团客户', 'C', shanghaiDate(at)) });
    await rep('POST', `/visits/${String(v.id)}/check-out`, { fixes: [fix(new Date(at.getTime() + 5 * MIN), 0)], deviceTime: new Date(at.getTime() + 5 * MIN).toISOString() });
    ids.push(String(v.id));
  }
  const template = (await models.Visit.findOne({ tenantId, _id: ids[0] }).lean())!;
  const { _id: _omit, ...doc } = template;
  if (process.env.BENCH_TRACE) {
    const ops: string[] = [];
    models.Visit.db.set('debug', (col: string, method: string, q: unknown) => ops.push(`${col}.${method} ${JSON.stringify(q).slice(0, 90)}`));
    const t0 = performance.now();
    await rep('POST', `/visits/${ids.pop()}/submit`, { deviceTime: new Date(at.getTime() + 10 * MIN).toISOString() });
    console.log(`one submit: ${Math.round(performance.now() - t0)} ms, ${ops.length} queries\n${ops.join('\n')}`);
    models.Visit.db.set('debug', false);
  }
  const submit = await rateOf(ids.length, 4, (i) => rep('POST', `/visits/${ids[i]}/submit`, { deviceTime: new Date(at.getTime() + 10 * MIN).toISOString() }));
  const insert = await rateOf(ids.length, 4, () => models.Visit.create({ ...doc, repId, status: 'submitted' }));
  return {
    name: 'visit submit, no photo (submits/s vs bare inserts/s)', subject: submit, baseline: insert, ratio: submit / insert,
    target: 'submit ≥ 50% of a bare insert', pass: submit / insert >= 0.5,
  };
}

/** Stored history of the tenant: visits over the past year, each with four photos (random hashes). */
async function seedHistory(models: Models, tenantId: Types.ObjectId, repId: Types.ObjectId, customerId: string, count: number): Promise<void> {
  const hex = (n: number) => randomBytes(n).toString('hex');
  for (let done = 0; done < count; done += 1000) {
    const visits: Record<string, unknown>[] = [];
    const photos: Record<string, unknown>[] = [];
    for (let i = 0; i < Math.min(1000, count - done); i += 1) {
      const at = new Date(Date.now() - (30 + ((done + i) % 330)) * 86_400_000 - i * MIN);
      const _id = new Types.ObjectId();
      const p = { lng: STORE.lng + Math.random() / 100, lat: STORE.lat + Math.random() / 100 };
      visits.push({
        _id, tenantId, repId, customerId: new Types.ObjectId(customerId), status: 'submitted', form: { formId: new Types.ObjectId(), version: 1 },
        customer: { name: '店', address: '路', type: '商超', class: 'C', location: STORE }, deviceId: `dev-${i % 7}`,
        start: { method: 'location', deviceTime: at, receivedAt: at }, checkIn: { deviceTime: at, receivedAt: at },
        checkOut: { deviceTime: new Date(at.getTime() + 20 * MIN), receivedAt: at }, submitted: { deviceTime: at, receivedAt: at },
        fixes: [{ phase: 'checkin', ...p, accuracyM: 10, deviceTime: at, receivedAt: at }], answers: {}, contactsMet: [], verdict: { band: 'green', score: 95 },
      });
      for (let k = 0; k < 4; k += 1) {
        const phash = hex(8);
        const dhash = hex(8);
        photos.push({
          tenantId, visitId: _id, repId, customerId: new Types.ObjectId(customerId), kind: '门头照', source: 'camera', sha256: hex(32), phash, dhash,
          bands: hashBands(phash, dhash), originalFileId: new Types.ObjectId(), watermarkedFileId: new Types.ObjectId(), receivedAt: at,
        });
      }
    }
    await models.Visit.insertMany(visits, { lean: true });
    await models.Photo.insertMany(photos, { lean: true });
  }
}

async function lifecycle(models: Models, tenantId: Types.ObjectId, repId: Types.ObjectId, rep: Call, customerId: string): Promise<BenchResult[]> {
  const photos = await Promise.all(Array.from({ length: 4 }, (_v, i) => sharp(Buffer.from(sceneSvg(900 + i))).jpeg({ quality: 85 }).toBuffer()));
  const once = async (k: number): Promise<number> => {
    const at = new Date(Date.now() - (2 + k) * 3_600_000);
    const t = performance.now();
    const v = await rep('POST', '/visits', { customerId, deviceTime: at.toISOString() });
    const id = String(v.id);
    await rep('POST', `/visits/${id}/check-in`, { fixes: [0, 1, 2].map((i) => fix(at, i)) });
    for (const [i, kind] of ['门头照', '陈列照', '陈列照', '沟通场景照'].entries()) await rep('POST', `/visits/${id}/photos`, undefined, { kind, data: photos[i]! });
    await rep('PUT', `/visits/${id}/answers`, { answers: sampleAnswers(FMCG, '商超', 'C', shanghaiDate(at)) });
    const out = new Date(at.getTime() + 20 * MIN);
    await rep('POST', `/visits/${id}/check-out`, { fixes: [fix(out, 0)], deviceTime: out.toISOString() });
    await rep('POST', `/visits/${id}/submit`, { deviceTime: new Date(out.getTime() + MIN).toISOString() });
    return performance.now() - t;
  };
  const sample = async () => { const xs: number[] = []; for (let k = 0; k < 15; k += 1) xs.push(await once(k)); return xs; };
  await seedHistory(models, tenantId, repId, customerId, 1_000);
  await once(99); // warm-up
  const small = await sample();
  await seedHistory(models, tenantId, repId, customerId, 19_000);
  const large = await sample();
  return (['p50', 'p95'] as const).map((p) => {
    const q = p === 'p50' ? 0.5 : 0.95;
    const subject = percentile(large, q);
    const baseline = percentile(small, q);
    return { name: `visit lifecycle ${p}, 20k vs 1k stored visits (ms)`, subject, baseline, ratio: subject / baseline, target: `${p} at 20k < 1.5× at 1k`, pass: subject / baseline < 1.5 };
  });
}
