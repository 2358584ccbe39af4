// A customer's visit history as the mini-app pages it: GET /api/visits?customerId=&limit=&before=, newest first,
// a rep's own visits only, each carrying the verdict with its reasons in Chinese and English.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp, type as } from '../helpers/test-app.ts';
import { fieldTeam, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { expectError } from '../helpers/envelope.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const STORE = { lng: 121.4737, lat: 31.2304 };
const MIN = 60_000;

type Item = { id: string; customerId: string; status: string; createdAt: string; verdict: { band: string; reasons: { code: string; message_zh: string; message_en: string }[] } | null };

describe('visit history of a customer', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  let customerId: string;
  let other: string;
  const started: string[] = [];
  let submitted = '';

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
    const make = async (name: string) => String((await ok(await manager.post('/api/customers').send({
      name, address: `${name}地址`, type: '商超', class: 'C', location: { ...STORE, system: 'GCJ02' },
    }), 201)).id);
    customerId = await make('华联超市人民路店');
    other = await make('联华超市南京路店');
    await ok(await manager.post(`/api/customers/${customerId}/claim`).send({ repId: users.rep }));
    await ok(await manager.post(`/api/customers/${other}/claim`).send({ repId: users.rep }));
    // A submitted visit whose photos come from the album: its verdict has reasons to show.
    const qr = String((await ok(await manager.get(`/api/customers/${customerId}/qr`))).payload);
    const checkInAt = new Date(Date.now() - 90 * MIN);
    submitted = (await runVisit(rep, { qr, store: STORE, checkInAt, photoSource: 'album', answers: sampleAnswers(FMCG, '商超', 'C', shanghaiDate(checkInAt)) })).id;
    for (let i = 0; i < 3; i += 1) {
      started.push(String((await ok(await rep.send('post', '/api/visits', { customerId, deviceTime: new Date().toISOString() }), 201)).id));
    }
    await ok(await rep.send('post', '/api/visits', { customerId: other, deviceTime: new Date().toISOString() }), 201);
  }, 120_000);
  afterAll(async () => { await t.close(); });

  it('pages newest first with limit and before=nextBefore, only this customer', async () => {
    const newestFirst = [...started].reverse().concat(submitted);
    const first = await ok(await rep.get(`/api/visits?customerId=${customerId}&limit=2`));
    const items = first.items as Item[];
    expect(items.map((v) => v.id)).toEqual(newestFirst.slice(0, 2));
    expect(first.nextBefore).toBe(items[1]!.createdAt);
    const second = await ok(await rep.get(`/api/visits?customerId=${customerId}&limit=2&before=${encodeURIComponent(String(first.nextBefore))}`));
    expect((second.items as Item[]).map((v) => v.id)).toEqual(newestFirst.slice(2, 4));
    expect(second.nextBefore).toBe((second.items as Item[])[1]!.createdAt);
    const third = await ok(await rep.get(`/api/visits?customerId=${customerId}&limit=2&before=${encodeURIComponent(String(second.nextBefore))}`));
    expect(third).toEqual({ items: [], nextBefore: null, nextCursor: null });
    // A short page says there is no more.
    expect((await ok(await rep.get(`/api/visits?customerId=${customerId}&limit=10`))).nextBefore).toBeNull();
    // A bare date pages from the start of that day (China time): nothing before today here.
    const tomorrow = shanghaiDate(new Date(Date.now() + 86_400_000));
    expect(((await ok(await rep.get(`/api/visits?customerId=${customerId}&before=${tomorrow}`))).items as Item[]).length).toBe(4);
    expect(((await ok(await rep.get(`/api/visits?customerId=${customerId}&before=2020-01-01`))).items as Item[])).toEqual([]);
  });

  it('the submitted visit carries its verdict with reasons in Chinese and English', async () => {
    const items = (await ok(await rep.get(`/api/visits?customerId=${customerId}&status=submitted`))).items as Item[];
    expect(items.map((v) => v.id)).toEqual([submitted]);
    const verdict = items[0]!.verdict!;
    expect(['green', 'yellow', 'red']).toContain(verdict.band);
    expect(verdict.reasons.length).toBeGreaterThan(0);
    for (const r of verdict.reasons) {
      expect(r.message_zh).toMatch(/\p{Script=Han}/u);
      expect(r.message_en.length).toBeGreaterThan(0);
    }
  });

  it('another rep sees none of it; the manager sees it all', async () => {
    expect(await ok(await rep2.get(`/api/visits?customerId=${customerId}`))).toEqual({ items: [], nextBefore: null, nextCursor: null });
    expect(((await ok(await manager.get(`/api/visits?customerId=${customerId}`))).items as Item[]).length).toBe(4);
  });

  it('refuses a limit outside 1–100 and a malformed cursor', async () => {
    expectError(await rep.get('/api/visits?limit=0'), 400, 'VALIDATION_FAILED', { field: '/query/limit' });
    expectError(await rep.get('/api/visits?limit=101'), 400, 'VALIDATION_FAILED', { field: '/query/limit' });
    expectError(await rep.get('/api/visits?before=yesterday'), 400, 'VALIDATION_FAILED');
    expect(((await ok(await rep.get('/api/visits?limit=100'))).items as Item[]).length).toBe(5);
  });
});
