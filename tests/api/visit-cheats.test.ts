// Each cheat pattern of authenticity.md, played through the API as a phone would: the visit is submitted and
// ends red or yellow with the reason that names the trick.
import { expectError } from '../helpers/envelope.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { as} from '../helpers/test-app.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { fieldTeam, ok, runVisit, freshPhoto, type Client, type VisitPlan } from '../helpers/visit-flow.ts';
import { transforms } from '../helpers/images.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('cheat patterns end red or yellow with the right reason', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  let storeNo = 0;

  /** A fresh store for each pattern, ~1 km apart in Shanghai, held by the given rep. */
  async function store(repId: string) {
    storeNo += 1;
    const p = { lng: 121.40 + storeNo * 0.01, lat: 31.20 };
    const c = await ok(await manager.post('/api/customers').send({ name: `门店${storeNo}`, address: `上海市徐汇区测试路${storeNo}号`, type: '商超', class: 'A', location: { ...p, system: 'GCJ02' } }), 201);
    await ok(await manager.post(`/api/customers/${String(c.id)}/claim`).send({ repId }));
    const qr = String((await ok(await manager.get(`/api/customers/${String(c.id)}/qr`))).payload);
    return { p, qr, id: String(c.id) };
  }

  /** Each pattern happens on its own day, so one pattern's travel never spills into the next. */
  let day = 60;
  async function play(c: Client, repId: string, plan: (s: { p: { lng: number; lat: number } }, at: Date) => Partial<VisitPlan> | Promise<Partial<VisitPlan>>) {
    const s = await store(repId);
    day -= 2;
    const checkInAt = new Date(Date.now() - day * DAY);
    const extra = await plan(s, checkInAt);
    return runVisit(c, { qr: s.qr, store: s.p, checkInAt, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(checkInAt)), ...extra });
  }

  const codesOf = (v: { verdict: { reasons: { code: string }[] } }) => v.verdict.reasons.map((r) => r.code);
  function expectCaught(v: { verdict: { band: string; reasons: { code: string }[] } }, code: string) {
    expect(['red', 'yellow'], JSON.stringify(v.verdict)).toContain(v.verdict.band);
    expect(codesOf(v)).toContain(code);
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
  });
  afterAll(async () => { await t.close(); });

  it('honest control: the same flow without a trick is green', async () => {
    const v = await play(rep, users.rep!, () => ({}));
    expect(v.submitted.verdict.band, JSON.stringify(v.submitted.verdict.reasons)).toBe('green');
  });

  it('host mock flag (DingTalk isFromMock)', async () => {
    const v = await play(rep, users.rep!, ({ p }, at) => ({ checkInFixes: [0, 1, 2].map((i) => ({ lng: p.lng + 0.0001 + i * 0.00001, lat: p.lat + 0.00007, accuracyM: 10, isMock: true, at: new Date(at.getTime() + i * 6000) })) }));
    expectCaught(v.submitted, 'HOST_MOCK_FLAG');
    expect(v.submitted.verdict.band).toBe('red');
  });

  it('naive mock: frozen GPS fixes that never move', async () => {
    const v = await play(rep, users.rep!, ({ p }, at) => ({ checkInFixes: [0, 1, 2, 3].map((i) => ({ lng: p.lng + 0.0003, lat: p.lat + 0.0002, accuracyM: 5, at: new Date(at.getTime() + i * 6000) })) }));
    expectCaught(v.submitted, 'FROZEN_POINT');
  });

  it('naive mock: standing exactly on the stored store point', async () => {
    const v = await play(rep, users.rep!, ({ p }, at) => ({ checkInFixes: [0, 1, 2].map((i) => ({ lng: p.lng, lat: p.lat, accuracyM: 8, at: new Date(at.getTime() + i * 6000) })) }));
    expectCaught(v.submitted, 'EXACT_STORE_POINT');
  });

  it('check-in far outside the fence', async () => {
    const v = await play(rep, users.rep!, ({ p }) => ({ at: { lng: p.lng, lat: p.lat + 0.02 } }));
    expectCaught(v.submitted, 'OUTSIDE_FENCE');
  });

  it('coordinates replayed from a visit on another day', async () => {
    const fixed = (p: { lng: number; lat: number }, at: Date) => [0, 1, 2].map((i) => ({ lng: p.lng + 0.000123, lat: p.lat + 0.000087 + i * 0.00001, accuracyM: 9, at: new Date(at.getTime() + i * 6000) }));
    let first: { lng: number; lat: number } | undefined;
    await play(rep, users.rep!, ({ p }, at) => { first = p; return { checkInFixes: fixed(p, at) }; });
    const s = await store(users.rep!);
    const at = new Date(Date.now() - (day - 1) * DAY);
    // The next day, a "visit" to another store reports the earlier day's exact coordinates.
    const v = await runVisit(rep, { qr: s.qr, store: first!, checkInAt: at, checkInFixes: fixed(first!, at), answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at)) });
    expect(codesOf(v.submitted)).toEqual(expect.arrayContaining(['COORDINATES_REPLAYED']));
  });

  it('photos from the album instead of the camera', async () => {
    const v = await play(rep, users.rep!, () => ({ photoSource: 'album' }));
    expectCaught(v.submitted, 'PHOTO_NOT_CAMERA');
  });

  it('a re-encoded copy of another store\'s photo', async () => {
    const earlier = await play(rep, users.rep!, () => ({}));
    const copy = await transforms.reencode(earlier.pictures[1]!);
    const v = await play(rep, users.rep!, async () => ({ photos: [await freshPhoto(), copy, await freshPhoto(), await freshPhoto()] }));
    expectCaught(v.submitted, 'PHOTO_REUSED');
  });

  it('front-desk-only stay of two minutes', async () => {
    const v = await play(rep, users.rep!, () => ({ stayMin: 2 }));
    expectCaught(v.submitted, 'STAY_TOO_SHORT');
  });

  it('late report: submitted 30 hours after check-out with the phone online', async () => {
    const v = await play(rep, users.rep!, (_s, at) => ({ submitAt: new Date(at.getTime() + 20 * 60_000 + 30 * HOUR) }));
    expectCaught(v.submitted, 'LATE_REPORT');
  });

  it('a phone clock 45 min behind ours shows through X-Sent-At, while weeks of offline queueing alone do not count', async () => {
    const queuedOnly = await play(rep, users.rep!, () => ({ sentAt: new Date() }));
    expect(codesOf(queuedOnly.submitted)).not.toContain('CLOCK_SKEW');
    const behind = await play(rep, users.rep!, () => ({ sentAt: new Date(Date.now() - 45 * 60_000) }));
    // Skew alone is a soft signal: it costs points and names the minutes, without turning an honest visit red.
    expect(codesOf(behind.submitted)).toContain('CLOCK_SKEW');
    expect(behind.submitted.verdict.reasons.find((r) => r.code === 'CLOCK_SKEW')?.evidence).toMatchObject({ minutes: 45 });
    expect(behind.submitted.verdict.score).toBeLessThan(queuedOnly.submitted.verdict.score);
  });

  it('a malformed X-Sent-At is refused with a pointer to the header', async () => {
    const res = await rep.send('post', '/api/visits', { customerId: (await store(users.rep!)).id, deviceTime: new Date().toISOString() }, undefined, { 'x-sent-at': 'yesterday' });
    expectError(res, 400, 'VALIDATION_FAILED', { field: '/headers/x-sent-at', code: 'INVALID_DATE_TIME' });
  });

  it('proxy check-in: a colleague\'s phone checks in for another rep within hours', async () => {
    await play(rep, users.rep!, () => ({ deviceId: 'device-of-zhang-wei-0001' }));
    day += 2; // same day as the colleague's own visit
    const v = await play(rep2, users.rep2!, (_s, at) => ({ checkInAt: new Date(at.getTime() + 2 * HOUR), deviceId: 'device-of-zhang-wei-0001' }));
    expectCaught(v.submitted, 'PROXY_CHECK_IN');
  });

  it('two reps with the same GPS fix minutes apart: proxy unless declared a joint visit (协访) on two phones', async () => {
    const outcome = async (jointVisit: boolean) => {
      const s = await store(users.rep!);
      await ok(await manager.post(`/api/customers/${s.id}/claim`).send({ repId: users.rep2 }));
      day -= 2;
      const at = new Date(Date.now() - day * DAY);
      const same = (when: Date) => [0, 1, 2].map((i) => ({ lng: s.p.lng + 0.000131, lat: s.p.lat + 0.000077 + i * 0.00001, accuracyM: 8, at: new Date(when.getTime() + i * 6000) }));
      const answers = sampleAnswers(FMCG, '商超', 'A', shanghaiDate(at));
      await runVisit(rep, { qr: s.qr, store: s.p, checkInAt: at, checkInFixes: same(at), deviceId: 'phone-of-rep-1', answers, jointVisit });
      const second = await runVisit(rep2, { qr: s.qr, store: s.p, checkInAt: new Date(at.getTime() + 3 * 60_000), checkInFixes: same(new Date(at.getTime() + 3 * 60_000)), deviceId: 'phone-of-rep-2', answers, jointVisit });
      return codesOf(second.submitted);
    };
    expect(await outcome(false)).toContain('PROXY_CHECK_IN');
    expect(await outcome(true)).not.toContain('PROXY_CHECK_IN');
  });
});
