// Issue 13, items 1, 5 and 6 through the real API: the server gathers the history itself (host sign-ins, the
// visits on a phone, the rep's visits around this one, the fixes as the app sent them).
//  1. a colleague checks in on rep A's phone: the colleague's visit is the proxy, A's own visits that day are not;
//  5. a teleport is caught although a joint visit (协访) next door is the previous visit;
//  6. a frozen DingTalk burst asked with useCache:false is caught; the host's 2-minute cache is still spared.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { as } from '../helpers/test-app.ts';
import { connectTenant, hostTestApp, type HostTestApp } from '../helpers/hosts.ts';
import { client, ok, runVisit, type Client, type FixSpec, type VisitPlan } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const MIN = 60_000;
const HOUR = 60 * MIN;
const DAY = 24 * HOUR;

describe('whose phone, which visits around, which fixes: the server gathers it', () => {
  let h: HostTestApp;
  let users: Record<string, string>;
  let tenantId: string;
  let manager: ReturnType<typeof as>;
  let repA: Client;
  let repB: Client;
  let storeNo = 0;

  /** A host sign-in through WeCom from a phone, as the mini-app does at start-up. */
  async function signIn(hostUserId: string, deviceId: string): Promise<Client> {
    const res = await request(h.t.server).post('/api/auth/host-login').send({ tenant: 'acme', host: 'wecom', code: h.wecom.issueCode({ userId: hostUserId }), deviceId });
    return client(h.t.server, String((await ok(res)).token));
  }

  /** A store at `p`, held by both reps. */
  async function store(p: { lng: number; lat: number }) {
    storeNo += 1;
    const c = await ok(await manager.post('/api/customers').send({ name: `门店${storeNo}`, address: `测试路${storeNo}号`, type: '商超', class: 'A', location: { ...p, system: 'GCJ02' } }), 201);
    await ok(await manager.post(`/api/customers/${String(c.id)}/claim`).send({ repId: users.rep }));
    await ok(await manager.post(`/api/customers/${String(c.id)}/claim`).send({ repId: users.rep2 }));
    return { p, qr: String((await ok(await manager.get(`/api/customers/${String(c.id)}/qr`))).payload) };
  }

  const visit = async (c: Client, s: { p: { lng: number; lat: number }; qr: string }, checkInAt: Date, extra: Partial<VisitPlan> = {}) =>
    (await runVisit(c, { qr: s.qr, store: s.p, checkInAt, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(checkInAt)), ...extra })).submitted.verdict;
  const codes = (v: { reasons: { code: string }[] }) => v.reasons.map((r) => r.code);

  beforeAll(async () => {
    h = await hostTestApp(['acme']);
    ({ users, tenantId } = await h.t.seedTenant('acme'));
    await connectTenant(h, 'acme');
    await h.t.models.User.updateOne({ tenantId, username: 'rep' }, { $set: { hostUserId: 'zhangwei' } });
    await h.t.models.User.updateOne({ tenantId, username: 'rep2' }, { $set: { hostUserId: 'liuyang' } });
    h.wecom.addUser({ userid: 'zhangwei', name: '张伟', department: [1] }).addUser({ userid: 'liuyang', name: '刘洋', department: [1] });
    manager = as(h.t.server, await h.t.login('acme', 'manager'));
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
    await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
    repA = await signIn('zhangwei', 'phone-of-zhang');
    repB = await signIn('liuyang', 'phone-of-liu');
  });
  afterAll(async () => { await h.close(); });

  it('1. rep B checks in on rep A\'s phone: B\'s visit is the proxy (hard), A\'s own visits that day on their phone are not', async () => {
    const day = new Date(Date.now() - 20 * DAY);
    const shops = await Promise.all([0, 1, 2].map((i) => store({ lng: 121.40 + i * 0.01, lat: 31.10 })));
    const before = await visit(repA, shops[0]!, day, { deviceId: 'phone-of-zhang' });
    const proxy = await visit(repB, shops[1]!, new Date(day.getTime() + 2 * HOUR), { deviceId: 'phone-of-zhang' });
    const after = await visit(repA, shops[2]!, new Date(day.getTime() + 4 * HOUR), { deviceId: 'phone-of-zhang' });

    expect(proxy.band, JSON.stringify(proxy.reasons)).toBe('red');
    const finding = proxy.reasons.find((r) => r.code === 'PROXY_CHECK_IN')! as { hard?: boolean; message_zh?: string; evidence?: Record<string, unknown> };
    expect(finding.hard).toBe(true);
    expect(finding.message_zh).toContain(`这部手机属于另一位业务员（${users.rep}，登录使用）`);
    expect(before.band).toBe('green');
    expect(after.band, JSON.stringify(after.reasons)).toBe('green');
    expect(codes(after)).not.toContain('PROXY_CHECK_IN');
    expect((after as unknown as { notes: { code: string }[] }).notes.map((n) => n.code)).toContain('OWN_PHONE_SHARED');
  });

  it('1. a phone nobody signs in with, used by two reps hours apart: its owner is its clear most frequent user', async () => {
    const day = new Date(Date.now() - 16 * DAY);
    const shops = await Promise.all([0, 1, 2, 3, 4, 5].map((i) => store({ lng: 121.40 + i * 0.01, lat: 31.12 })));
    // Rep A on an install id the host never saw (an old app): three earlier days and this morning; then B on it
    // two hours later (the colleague's morning visit is within the window), then A again.
    for (let d = 3; d >= 0; d -= 1) await visit(repA, shops[d]!, new Date(day.getTime() - d * DAY), { deviceId: 'install-zhang' });
    const proxy = await visit(repB, shops[4]!, new Date(day.getTime() + 2 * HOUR), { deviceId: 'install-zhang' });
    const own = await visit(repA, shops[5]!, new Date(day.getTime() + 4 * HOUR), { deviceId: 'install-zhang' });
    expect(proxy.band).toBe('red');
    expect(codes(proxy)).toContain('PROXY_CHECK_IN');
    expect(codes(own)).not.toContain('PROXY_CHECK_IN');
    expect(own.band).toBe('green');
  });

  it('5. a teleport is measured from every visit of the rep in the window, not only the joint visit that checked out last', async () => {
    const day = new Date(Date.now() - 12 * DAY);
    const beijing = await store({ lng: 116.40, lat: 39.90 });
    const jointShop = await store({ lng: 121.47, lat: 31.14 });
    const here = await store({ lng: 121.48, lat: 31.14 }); // ~1 km from the joint visit's store
    const T = new Date(day.getTime() + 3 * HOUR);
    // Beijing 40 min before this check-in; the joint visit (协访) in Shanghai from 2 h before until 10 min before.
    const inBeijing = new Date(T.getTime() - 60 * MIN);
    const far = await runVisit(repA, { qr: beijing.qr, store: beijing.p, checkInAt: inBeijing, stayMin: 20, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(inBeijing)) });
    await visit(repA, jointShop, new Date(T.getTime() - 120 * MIN), { stayMin: 110, jointVisit: true });
    const v = await visit(repA, here, T);
    expect(v.band, JSON.stringify(v.reasons)).toBe('red');
    const travel = v.reasons.find((r) => r.code === 'IMPOSSIBLE_TRAVEL')!;
    expect(travel.evidence).toMatchObject({ otherVisitId: far.id, minutes: 40 });
    expect(Number(travel.evidence!.speedKmh)).toBeGreaterThan(400);
  });

  it('6. DingTalk fixes asked with useCache:false are stored as uncached: a frozen burst is caught, the cache is still spared', async () => {
    const day = new Date(Date.now() - 8 * DAY);
    const frozen = (p: { lng: number; lat: number }, at: Date, uncached?: boolean): FixSpec[] => [0, 1, 2, 3].map((i) => ({
      lng: p.lng + 0.0003, lat: p.lat + 0.0002, accuracyM: 8, provider: 'gps', isMock: false, at: new Date(at.getTime() + i * 6000), ...(uncached === undefined ? {} : { uncached }),
    }));
    const mocked = await store({ lng: 121.40, lat: 31.16 });
    const cached = await store({ lng: 121.42, lat: 31.16 });
    const t1 = day;
    const caught = await visit(repA, mocked, t1, { host: 'dingtalk', checkInFixes: frozen(mocked.p, t1, true) });
    expect(['red', 'yellow']).toContain(caught.band);
    expect(codes(caught)).toContain('FROZEN_POINT');
    const t2 = new Date(day.getTime() + 2 * HOUR);
    const spared = await visit(repA, cached, t2, { host: 'dingtalk', checkInFixes: frozen(cached.p, t2) });
    expect(codes(spared)).not.toContain('FROZEN_POINT');
    expect((spared as unknown as { notes: { code: string }[] }).notes.map((n) => n.code)).toContain('DINGTALK_CACHED_FIX');
    // Stored as sent: absent stays absent (unknown), never false.
    const docs = (await h.t.models.Visit.find({ tenantId }).lean()).filter((d) => [t1.getTime(), t2.getTime()].includes((d.checkIn as { deviceTime: Date }).deviceTime.getTime()));
    const stored = docs.map((d) => (d.fixes as { phase: string; uncached?: boolean }[]).filter((f) => f.phase === 'checkin').map((f) => f.uncached));
    expect(stored).toEqual(expect.arrayContaining([[true, true, true, true], [undefined, undefined, undefined, undefined]]));
  });
});
