// Appeals (申诉) through the API against the real database and fake WeCom: a rep appeals a red visit with a note and a
// photo, the manager of the team overturns it, the band that counts turns green while the machine verdict stays,
// the audit holds all three steps, the rep's KPIs move, and the outcome reaches the rep's WeCom exactly once.
// Plus uphold, the refusals (each with its pointer) and two managers deciding at the same moment.
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { client, freshPhoto, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { HOST_IDS, messagingWorld, type World } from '../fakes/messaging-world.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const DAY = 86_400_000;
const FROM = shanghaiDate(new Date(Date.now() - 14 * DAY));
const TO = shanghaiDate(new Date());

type Api = ReturnType<typeof as>;
interface Kpis { counts: { visits: number; valid: number; green: number; yellow: number; red: number }; indicators: Record<string, { value: number | null }>; score: { total: number; grade: { label: string } | null } }
interface AppealItem { id: string; status: string; visitId: string; rep: { name: string }; customer: { name: string }; note: string; photos: { id: string; url: string }[]; machine: { band: string; reasons: { code: string }[] }; effectiveBand: string; decision: { decision: string; reason: string; band: string; bandBefore: string } | null; notice: { status: string } | null }

describe('appeals', () => {
  let w: World;
  let manager: Api;
  let admin: Api;
  let otherManager: Api;
  let rep: Client;
  let rep2: Client;
  let storeNo = 0;
  const v: Record<string, string> = {};

  /** A store of the rep's, ~1 km from the last, and one visit there `daysAgo` (red when the phone says mock). */
  async function visit(who: Client, repId: string, daysAgo: number, red: boolean): Promise<string> {
    storeNo += 1;
    const p = { lng: 121.40 + storeNo * 0.01, lat: 31.21 };
    const c = await ok(await manager.post('/api/customers').send({ name: `申诉门店${storeNo}`, address: `上海市测试路${storeNo}号`, type: '商超', class: 'A', location: { ...p, system: 'GCJ02' } }), 201);
    await ok(await manager.post(`/api/customers/${String(c.id)}/claim`).send({ repId }));
    const qr = String((await ok(await manager.get(`/api/customers/${String(c.id)}/qr`))).payload);
    const checkInAt = new Date(Date.now() - daysAgo * DAY);
    const mock = red ? { checkInFixes: [0, 1, 2].map((i) => ({ lng: p.lng + 0.0001 + i * 0.00001, lat: p.lat + 0.00007, accuracyM: 10, isMock: true, at: new Date(checkInAt.getTime() + i * 6000) })) } : {};
    const r = await runVisit(who, { qr, store: p, checkInAt, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(checkInAt)), ...mock });
    expect(r.submitted.verdict.band).toBe(red ? 'red' : 'green');
    return r.id;
  }

  const kpis = async (): Promise<Kpis> => (await ok(await manager.get(`/api/kpis?scope=rep&id=${w.users.rep!}&from=${FROM}&to=${TO}`))) as unknown as Kpis;
  const appealPhoto = async (c: Client, visitId: string, data?: Buffer) => request(w.t.server).post(`/api/visits/${visitId}/appeal/photos`)
    .set('authorization', `Bearer ${c.token}`).set('idempotency-key', randomUUID()).field('source', 'camera')
    .attach('file', data ?? await freshPhoto(), { filename: 'log.jpg', contentType: 'image/jpeg' });
  const outcomes = () => w.t.models.Outbox.find({ tenantId: w.tenantId, job: 'appealOutcome' }).lean();

  beforeAll(async () => {
    w = await messagingWorld();
    manager = as(w.t.server, await w.t.login(w.code, 'manager'));
    admin = as(w.t.server, await w.t.login(w.code, 'admin'));
    rep = client(w.t.server, await w.t.login(w.code, 'rep'));
    rep2 = client(w.t.server, await w.t.login(w.code, 'rep2'));
    await ok(await admin.post('/api/users').send({ username: 'li', name: '李经理', role: 'manager' }), 201);
    otherManager = as(w.t.server, await w.t.login(w.code, 'li'));
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
    await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
    v.green = await visit(rep, w.users.rep!, 12, false);
    v.red = await visit(rep, w.users.rep!, 10, true);
    v.upheld = await visit(rep, w.users.rep!, 8, true);
    v.raced = await visit(rep, w.users.rep!, 6, true);
    v.other = await visit(rep2, w.users.rep2!, 4, true);
  }, 240_000);
  afterAll(async () => { await w?.close(); });

  it('a rep appeals a red visit with a note and a photo; the manager overturns it; band, audit, KPIs and the rep\'s message follow', async () => {
    const photo = await ok(await appealPhoto(rep, v.red!), 201);
    expect(photo).toMatchObject({ kind: 'appeal', source: 'camera' });
    const key = randomUUID();
    const body = { note: '  当天在店里，门店访客登记本上有签名  ', photoIds: [photo.id] };
    const filed = await ok(await rep.send('post', `/api/visits/${v.red!}/appeal`, body, key), 201);
    expect(filed.appeal).toMatchObject({ status: 'pending', note: '当天在店里，门店访客登记本上有签名', photoIds: [photo.id] });
    expect(filed.effectiveBand).toBe('red');
    // A phone retry with the same key gets the same answer and files nothing new; the key with another body is refused.
    const replay = await rep.send('post', `/api/visits/${v.red!}/appeal`, body, key);
    expect(replay.status).toBe(201);
    expect(replay.headers['idempotent-replay']).toBe('true');
    expectError(await rep.send('post', `/api/visits/${v.red!}/appeal`, { ...body, note: '另一段说明' }, key), 422, 'IDEMPOTENCY_KEY_REUSED');
    expect(await w.t.models.Appeal.countDocuments({ tenantId: w.tenantId })).toBe(1);

    // The manager's queue: the visit, the machine verdict with its reasons, the note and a working photo link.
    const queue = await ok(await manager.get('/api/appeals?status=pending'));
    expect(queue.pending).toBe(1);
    const [item] = queue.items as AppealItem[];
    expect(item).toMatchObject({ status: 'pending', visitId: v.red, rep: { name: '张伟' }, note: '当天在店里，门店访客登记本上有签名', machine: { band: 'red' }, effectiveBand: 'red', decision: null });
    expect(item!.machine.reasons.map((r) => r.code)).toContain('HOST_MOCK_FLAG');
    expect(item!.photos).toHaveLength(1);
    const image = await request(w.t.server).get(item!.photos[0]!.url);
    expect(image.status).toBe(200);
    expect(image.headers['content-type']).toBe('image/jpeg');
    expect(await ok(await manager.get(`/api/appeals/${item!.id}`))).toMatchObject({ id: item!.id, status: 'pending' });

    const before = await kpis();
    const decided = await ok(await manager.post(`/api/appeals/${item!.id}/decide`).send({ decision: 'overturn', reason: '登记本签名与拜访时间一致，定位异常为手机问题' }));
    expect(decided).toMatchObject({ status: 'overturned', effectiveBand: 'green', machine: { band: 'red' }, decision: { decision: 'overturn', band: 'green', bandBefore: 'red', reason: '登记本签名与拜访时间一致，定位异常为手机问题' }, notice: { status: 'queued' } });

    // The visit: the machine verdict kept, the band that counts green, and the whole story in the audit.
    const visit = await ok(await manager.get(`/api/visits/${v.red!}`));
    expect(visit).toMatchObject({ effectiveBand: 'green', verdict: { band: 'red' }, override: { band: 'green', machineBand: 'red' }, appeal: { status: 'overturned', decision: { decision: 'overturn', band: 'green' } } });
    const audit = visit.audit as { action: string; band?: string; machineBand?: string; note?: string; by?: string }[];
    expect(audit.map((a) => a.action)).toEqual(['appeal', 'appealDecision']);
    expect(audit[0]).toMatchObject({ band: 'red', machineBand: 'red', note: '当天在店里，门店访客登记本上有签名', by: w.users.rep });
    expect(audit[1]).toMatchObject({ band: 'green', machineBand: 'red', by: w.users.manager });

    // The rep's month: one more valid (green) visit, one red fewer, a higher score.
    const after = await kpis();
    expect(after.counts).toMatchObject({ visits: before.counts.visits, valid: before.counts.valid + 1, green: before.counts.green + 1, red: before.counts.red - 1 });
    expect(after.indicators.validVisitRate!.value).toBeGreaterThan(before.indicators.validVisitRate!.value!);
    expect(after.score.total).toBeGreaterThan(before.score.total);
    // The rep sees the same change in their own figures.
    const own = (await ok(await rep.get(`/api/kpis?scope=rep&from=${FROM}&to=${TO}`))) as unknown as Kpis;
    expect(own.counts.valid).toBe(after.counts.valid);

    // The outcome to the rep's WeCom, once, with a link to the mini-app history.
    const [message, ...more] = await outcomes();
    expect(more).toEqual([]);
    expect(message).toMatchObject({ target: w.users.rep, channel: { kind: 'wecomApp', hostUserId: HOST_IDS.rep } });
    w.clock.set(new Date());
    await w.t.services.messages.sender({ clock: w.clock, instanceId: 'appeals' }).runOnce();
    const delivered = w.wecomInbox.delivered.filter((d) => d.to === HOST_IDS.rep);
    expect(delivered).toHaveLength(1);
    const content = (delivered[0]!.body.markdown as { content: string }).content;
    expect(content).toContain('申诉结果：已改判');
    expect(content).toContain('🟢 绿灯（原为 🔴 红灯）');
    expect(content).toContain('登记本签名与拜访时间一致');
    expect(content).toContain('https://visits.example.com/app/#/history');

    expect((await ok(await manager.get('/api/appeals?status=pending'))).items).toEqual([]);
    expect(((await ok(await manager.get('/api/appeals?status=decided'))).items as AppealItem[]).map((a) => a.id)).toEqual([item!.id]);
  });

  it('an upheld appeal keeps the band and the KPIs, and the rep is told so', async () => {
    await ok(await rep.send('post', `/api/visits/${v.upheld!}/appeal`, { note: '客户临时关门，在门口等了二十分钟' }), 201);
    const item = ((await ok(await manager.get('/api/appeals?status=pending'))).items as AppealItem[]).find((a) => a.visitId === v.upheld)!;
    const before = await kpis();
    const decided = await ok(await manager.post(`/api/appeals/${item.id}/decide`).send({ decision: 'uphold', reason: '定位为模拟位置，无法证明到店' }));
    expect(decided).toMatchObject({ status: 'upheld', effectiveBand: 'red', decision: { decision: 'uphold', band: 'red', bandBefore: 'red' } });
    const visit = await ok(await manager.get(`/api/visits/${v.upheld!}`));
    expect(visit).toMatchObject({ effectiveBand: 'red', override: null, appeal: { status: 'upheld' } });
    expect((visit.audit as { action: string }[]).map((a) => a.action)).toEqual(['appeal', 'appealDecision']);
    expect((await kpis()).counts).toEqual(before.counts);
    const messages = await outcomes();
    expect(messages).toHaveLength(2);
    expect(JSON.stringify(messages.find((m) => m.period === item.id)!.parts)).toContain('维持原判');
  });

  it('refuses with pointers: blank note, green visit, someone else\'s visit, unfinished visit, foreign photo, a second appeal', async () => {
    expectError(await rep.send('post', `/api/visits/${v.raced!}/appeal`, { note: '   ' }), 400, 'VALIDATION_FAILED', { field: '/note', code: 'REQUIRED' });
    expectError(await rep.send('post', `/api/visits/${v.raced!}/appeal`, {}), 400, 'VALIDATION_FAILED', { field: '/note' });
    expectError(await rep.send('post', `/api/visits/${v.raced!}/appeal`, { note: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED', { field: '/note' });
    expectError(await rep.send('post', `/api/visits/${v.green!}/appeal`, { note: '绿灯也想申诉' }), 409, 'APPEAL_NOT_ALLOWED', { field: '/params/id', code: 'BAND_NOT_APPEALABLE' });
    expectError(await rep2.send('post', `/api/visits/${v.raced!}/appeal`, { note: '替别人申诉' }), 404, 'NOT_FOUND', { field: '/params/id' });
    expectError(await appealPhoto(rep2, v.raced!), 404, 'NOT_FOUND', { field: '/params/id' });
    const started = await ok(await rep.send('post', '/api/visits', { customerId: String((await w.t.models.Visit.findOne({ tenantId: w.tenantId, _id: v.raced }).lean())!.customerId), deviceTime: new Date().toISOString() }), 201);
    expectError(await rep.send('post', `/api/visits/${String(started.id)}/appeal`, { note: '还没提交' }), 409, 'APPEAL_NOT_ALLOWED', { field: '/params/id', code: 'NOT_SUBMITTED' });
    const visitPhoto = (await w.t.models.Photo.findOne({ tenantId: w.tenantId, visitId: v.raced }).lean())!;
    expectError(await rep.send('post', `/api/visits/${v.raced!}/appeal`, { note: '附拜访照片', photoIds: [String(visitPhoto._id)] }), 400, 'VALIDATION_FAILED', { field: '/photoIds/0', code: 'NOT_FOUND' });
    for (let i = 0; i < 3; i += 1) await ok(await appealPhoto(rep, v.raced!), 201);
    expectError(await appealPhoto(rep, v.raced!), 400, 'VALIDATION_FAILED', { field: '/file', code: 'TOO_MANY_PHOTOS' });
    expect(await w.t.models.Appeal.countDocuments({ tenantId: w.tenantId, visitId: v.raced })).toBe(0);

    await ok(await rep.send('post', `/api/visits/${v.raced!}/appeal`, { note: '当天确实在店' }), 201);
    expectError(await rep.send('post', `/api/visits/${v.raced!}/appeal`, { note: '再申诉一次' }), 409, 'APPEAL_EXISTS', { field: '/params/id', code: 'APPEAL_PENDING' });
    expectError(await appealPhoto(rep, v.raced!), 409, 'APPEAL_EXISTS');
    // After a decision the visit cannot be appealed again.
    expectError(await rep.send('post', `/api/visits/${v.red!}/appeal`, { note: '改判后再申诉' }), 409, 'APPEAL_DECIDED', { field: '/params/id' });
  });

  it('only the team\'s manager or an admin decides, once; a rep cannot; another team\'s manager sees nothing', async () => {
    const raced = (await w.t.models.Appeal.findOne({ tenantId: w.tenantId, visitId: v.raced }).lean())!;
    const id = String(raced._id);
    expectError(await rep.send('post', `/api/appeals/${id}/decide`, { decision: 'overturn', reason: '自己改判' }), 403, 'FORBIDDEN');
    expectError(await rep.get('/api/appeals'), 403, 'FORBIDDEN');
    expect((await ok(await otherManager.get('/api/appeals'))).items).toEqual([]);
    expectError(await otherManager.get(`/api/appeals/${id}`), 404, 'NOT_FOUND', { field: '/params/id' });
    expectError(await otherManager.post(`/api/appeals/${id}/decide`).send({ decision: 'overturn', reason: '跨团队' }), 404, 'NOT_FOUND', { field: '/params/id' });
    expectError(await manager.post(`/api/appeals/${id}/decide`).send({ decision: 'uphold', reason: '维持', band: 'green' }), 400, 'VALIDATION_FAILED', { field: '/band', code: 'ONLY_WITH_OVERTURN' });
    expectError(await manager.post(`/api/appeals/${id}/decide`).send({ decision: 'overturn', reason: '  ' }), 400, 'VALIDATION_FAILED', { field: '/reason', code: 'REQUIRED' });
    expectError(await manager.post(`/api/appeals/${id}/decide`).send({ decision: 'overturn', reason: '改判为红', band: 'red' }), 400, 'VALIDATION_FAILED', { field: '/band' });

    // The manager and the admin decide at the same moment: exactly one decision is written and announced.
    const [a, b] = await Promise.all([
      manager.post(`/api/appeals/${id}/decide`).send({ decision: 'overturn', reason: '主管：登记本可证明到店', band: 'yellow' }),
      admin.post(`/api/appeals/${id}/decide`).send({ decision: 'uphold', reason: '管理员：维持原判' }),
    ]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expectError(a.status === 409 ? a : b, 409, 'APPEAL_DECIDED', { field: '/params/id' });
    const visit = await ok(await manager.get(`/api/visits/${v.raced!}`));
    expect((visit.audit as { action: string }[]).filter((x) => x.action === 'appealDecision')).toHaveLength(1);
    expect((await outcomes()).filter((m) => m.period === id)).toHaveLength(1);
    // And a later attempt is refused too.
    expectError(await manager.post(`/api/appeals/${id}/decide`).send({ decision: 'uphold', reason: '再处理一次' }), 409, 'APPEAL_DECIDED', { field: '/params/id' });

    // An admin sees every team's appeals; 刘洋's is in 王经理's queue, not in 李经理's.
    await ok(await rep2.send('post', `/api/visits/${v.other!}/appeal`, { note: '同事协访' }), 201);
    const all = (await ok(await admin.get('/api/appeals'))).items as AppealItem[];
    expect(all).toHaveLength(4);
    expect(all[0]).toMatchObject({ status: 'pending', visitId: v.other, rep: { name: '刘洋' } });
    expect(((await ok(await manager.get('/api/appeals?status=pending'))).items as AppealItem[]).map((x) => x.visitId)).toEqual([v.other]);
    expect((await ok(await otherManager.get('/api/appeals'))).items).toEqual([]);
  });
});
