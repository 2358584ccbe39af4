// Decisions after the machine verdict — an override, a call-back outcome, an appeal decision — are one conditional
// update of the visit that records what they owe. When the owed work fails (the rollup store, the rep's notice),
// the decision stands, the failure stays recorded on the visit, and the effects worker finishes it later, once.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { Types } from 'mongoose';
import { as } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { client, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { messagingWorld, type World } from '../fakes/messaging-world.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';
import type { VisitDoc } from '../../server/visits/visit.model.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const DAY = 86_400_000;

describe('decisions on a visit, with their effects', () => {
  let w: World;
  let manager: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let rep: Client;
  let tenantId: Types.ObjectId;
  let storeNo = 0;

  /** A store of the rep's with one contact to call. */
  async function store() {
    storeNo += 1;
    const p = { lng: 121.30 + storeNo * 0.01, lat: 31.25 };
    const c = await ok(await manager.post('/api/customers').send({
      name: `决定门店${storeNo}`, address: `上海市决定路${storeNo}号`, type: '商超', class: 'A', location: { ...p, system: 'GCJ02' },
      contacts: [{ name: '王店长', role: '店长', phone: '13800000001', isKey: true }],
    }), 201);
    await ok(await manager.post(`/api/customers/${String(c.id)}/claim`).send({ repId: w.users.rep }));
    return { p, qr: String((await ok(await manager.get(`/api/customers/${String(c.id)}/qr`))).payload) };
  }

  /** A red visit (the phone says mock) `daysAgo`, at a store of its own. */
  async function redVisit(daysAgo: number): Promise<string> {
    const { p, qr } = await store();
    const checkInAt = new Date(Date.now() - daysAgo * DAY);
    const checkInFixes = [0, 1, 2].map((i) => ({ lng: p.lng + 0.0001 + i * 0.00001, lat: p.lat + 0.00007, accuracyM: 10, isMock: true, at: new Date(checkInAt.getTime() + i * 6000) }));
    const r = await runVisit(rep, { qr, store: p, checkInAt, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(checkInAt)), checkInFixes });
    expect(r.submitted.verdict.band).toBe('red');
    return r.id;
  }

  const visitDoc = async (id: string) => (await w.t.models.Visit.findOne({ tenantId, _id: id }).lean<VisitDoc>())!;
  const dayOf = async (id: string) => shanghaiDate((await visitDoc(id)).checkIn!.deviceTime);
  const greenOn = async (date: string) => (await w.t.models.KpiRollup.findOne({ tenantId, repId: w.users.rep, date }).lean<{ green?: number }>())?.green ?? 0;
  /** Lets the worker take the visit's owed effects now, as it would after the retry pause. */
  const makeDue = (id: string) => w.t.models.Visit.updateOne({ tenantId, _id: id }, { $set: { effectsDueAt: new Date(Date.now() - 1000) } });

  beforeAll(async () => {
    w = await messagingWorld();
    tenantId = new Types.ObjectId(w.tenantId);
    manager = as(w.t.server, await w.t.login(w.code, 'manager'));
    admin = as(w.t.server, await w.t.login(w.code, 'admin'));
    rep = client(w.t.server, await w.t.login(w.code, 'rep'));
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
    await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
  }, 240_000);
  afterAll(async () => { await w?.close(); });

  it('an override of a visit not yet submitted is refused with 409 and writes nothing', async () => {
    const started = await ok(await rep.send('post', '/api/visits', { qr: (await store()).qr, deviceTime: new Date().toISOString() }), 201);
    expectError(await manager.post(`/api/visits/${String(started.id)}/override`).send({ band: 'green', reason: '主管确认' }), 409, 'VISIT_WRONG_STATE', { field: '/status' });
    const v = await visitDoc(String(started.id));
    expect(v.override ?? null).toBeNull();
    expect((v.audit ?? []).filter((a) => (a as { action: string }).action === 'override')).toEqual([]);
  });

  it('an override whose rollup fails stands at once; the worker recomputes the day later, exactly once', async () => {
    const id = await redVisit(5);
    const date = await dayOf(id);
    const before = await greenOn(date);
    const refresh = vi.spyOn(w.t.services.rollups, 'refreshDay').mockRejectedValueOnce(new Error('rollup store down'));
    try {
      const res = await ok(await manager.post(`/api/visits/${id}/override`).send({ band: 'green', reason: '门店登记本可证明到店' }));
      expect(res.effectiveBand).toBe('green');
      let v = await visitDoc(id);
      expect(v.effects).toEqual([expect.objectContaining({ kind: 'rollup', date, attempts: 1, lastError: 'rollup store down' })]);
      expect(await greenOn(date)).toBe(before);

      await makeDue(id);
      const calls = refresh.mock.calls.length;
      expect(await w.t.services.visits.runDueEffects(tenantId)).toBe(1);
      expect(refresh.mock.calls.length).toBe(calls + 1);
      expect(await greenOn(date)).toBe(before + 1);
      v = await visitDoc(id);
      expect(v.effects).toEqual([]);
      expect(await w.t.services.visits.runDueEffects(tenantId)).toBe(0);
      expect(refresh.mock.calls.length).toBe(calls + 1);
    } finally {
      refresh.mockRestore();
    }
  });

  it('a call-back outcome whose rollup fails is recorded; the worker moves the KPIs later', async () => {
    const id = await redVisit(4);
    const date = await dayOf(id);
    const before = await greenOn(date);
    const sent = await ok(await manager.post(`/api/visits/${id}/callback`).send({})) as { callback: { _id: string } };
    const refresh = vi.spyOn(w.t.services.rollups, 'refreshDay').mockRejectedValueOnce(new Error('rollup store down'));
    try {
      await ok(await manager.post(`/api/callbacks/${sent.callback._id}/outcome`).send({ outcome: 'confirmed', note: '店长确认' }));
      expect((await ok(await manager.get(`/api/visits/${id}`))).effectiveBand).toBe('green');
      expect(await greenOn(date)).toBe(before);
      await makeDue(id);
      expect(await w.t.services.visits.runDueEffects(tenantId)).toBe(1);
      expect(await greenOn(date)).toBe(before + 1);
      expect((await visitDoc(id)).effects).toEqual([]);
    } finally {
      refresh.mockRestore();
    }
  });

  it('an appeal decision is made once on the visit; a failed notice is sent later, once, and a second decision is refused', async () => {
    const id = await redVisit(3);
    await ok(await rep.send('post', `/api/visits/${id}/appeal`, { note: '当天在店里' }), 201);
    const appeal = (await w.t.models.Appeal.findOne({ tenantId, visitId: id }).lean())!;
    const enqueue = vi.spyOn(w.t.services.messages, 'enqueue').mockRejectedValueOnce(new Error('outbox down'));
    try {
      const decided = await ok(await manager.post(`/api/appeals/${String(appeal._id)}/decide`).send({ decision: 'overturn', reason: '登记本可证明到店' }));
      expect(decided).toMatchObject({ status: 'overturned', effectiveBand: 'green', notice: { status: 'failed' } });
      const v = await visitDoc(id);
      expect(v.appeal).toMatchObject({ status: 'overturned', decision: { decision: 'overturn', band: 'green' } });
      expect(v.effects).toEqual([expect.objectContaining({ kind: 'appealDecided', attempts: 1 })]);
      // However the phone or another manager tries again, the decision is made once.
      expectError(await admin.post(`/api/appeals/${String(appeal._id)}/decide`).send({ decision: 'uphold', reason: '维持' }), 409, 'APPEAL_DECIDED');
      expect((await visitDoc(id)).audit!.filter((a) => (a as { action: string }).action === 'appealDecision')).toHaveLength(1);

      await makeDue(id);
      expect(await w.t.services.visits.runDueEffects(tenantId)).toBe(1);
      expect((await w.t.models.Appeal.findOne({ tenantId, _id: appeal._id }).lean())!.notice).toMatchObject({ status: 'queued' });
      expect(await w.t.models.Outbox.countDocuments({ tenantId, job: 'appealOutcome', period: String(appeal._id) })).toBe(1);
      expect((await visitDoc(id)).effects).toEqual([]);
      expect(await w.t.services.visits.runDueEffects(tenantId)).toBe(0);
      expect(await w.t.models.Outbox.countDocuments({ tenantId, job: 'appealOutcome', period: String(appeal._id) })).toBe(1);
    } finally {
      enqueue.mockRestore();
    }
  });
});
