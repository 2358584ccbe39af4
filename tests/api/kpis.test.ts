// KPIs, the board and the funnel through the API, on a small fixed month of real visits (written through the visit
// API with past check-in times) whose every figure is computed by hand below.
//
// Last month (M), rep 张伟 holds A1, A2 (class A) and C1 (class C); rep 刘洋 holds B1.
//   v1 张伟 A1 M-03 10:00, 20 min, green; follow-up due M-06, completed through the API today (late)
//   v2 张伟 A1 M-04 10:00, 20 min, green; follow-up due M-07, done M-07 12:00 (on time; set in the database)
//   v3 张伟 A2 M-05 10:00,  6 min, yellow (stay too short) → manager override to yellow: valid; follow-up open
//   v4 张伟 C1 M-06 10:00, 20 min, submitted 25 h after check-out → yellow (late report), not valid; follow-up open
//   v5 刘洋 B1 M-03 11:00, 20 min, green; follow-up open
//   + 张伟 started a visit to A2 on M-10 and never checked in.
// 张伟's approved plan: A1 on M-03 on site (done), A2 on M-04 on site (visited M-05: not done), C1 on M-06 by
// phone (an on-site visit that day does).
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { createTestApp, as, type TestApp } from '../helpers/test-app.ts';
import { fieldTeam, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { addDays, shanghaiMonth, shanghaiMonthRange } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const MIN = 60_000;
const M = shanghaiMonth(new Date(shanghaiMonthRange(new Date()).start.getTime() - 86_400_000));
const d = (day: number) => `${M}-${String(day).padStart(2, '0')}`;
const at = (day: number, hhmm: string) => new Date(`${d(day)}T${hhmm}:00+08:00`);
const LAST = addDays(`${shanghaiMonth(new Date())}-01`, -1);
const STORES = { A1: { lng: 121.4737, lat: 31.2304 }, A2: { lng: 121.4801, lat: 31.2355 }, C1: { lng: 121.4602, lat: 31.2201 }, B1: { lng: 121.4371, lat: 31.1952 } };

describe('kpis', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  const c: Record<string, string> = {};
  const v: Record<string, { id: string; band: string; followUpTaskId: string | null }> = {};

  async function customer(name: string, klass: string, repId: string, p: { lng: number; lat: number }): Promise<string> {
    const contacts = [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }];
    const created = await ok(await manager.post('/api/customers').send({ name, address: `${name}地址`, type: '商超', class: klass, location: { ...p, system: 'GCJ02' }, contacts }), 201);
    await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function visit(who: Client, key: keyof typeof STORES, klass: string, day: number, hhmm: string, o: { stayMin?: number; submitLateH?: number; due: string }) {
    const qr = String((await ok(await manager.get(`/api/customers/${c[key]!}/qr`))).payload);
    const checkInAt = at(day, hhmm);
    const answers = sampleAnswers(FMCG, '商超', klass, d(day));
    (answers.followUp as { dueDate: string }).dueDate = o.due;
    const stay = o.stayMin ?? 20;
    const submitAt = new Date(checkInAt.getTime() + stay * MIN + (o.submitLateH ? o.submitLateH * 60 * MIN : MIN));
    const r = await runVisit(who, { qr, store: STORES[key], checkInAt, answers, stayMin: stay, submitAt });
    return { id: r.id, band: r.submitted.verdict.band, followUpTaskId: r.submitted.followUpTaskId };
  }

  const rollupOf = async (repId: string, date: string) => {
    const tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
    return t.models.KpiRollup.findOne({ tenantId, repId, date }, { _id: 0 }).lean();
  };

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
    admin = as(t.server, await t.login('acme', 'admin'));
    c.A1 = await customer('华联超市人民路店', 'A', users.rep!, STORES.A1);
    c.A2 = await customer('联华超市南京路店', 'A', users.rep!, STORES.A2);
    c.C1 = await customer('好德便利淮海店', 'C', users.rep!, STORES.C1);
    c.B1 = await customer('可的便利徐家汇店', 'B', users.rep2!, STORES.B1);
    v.v1 = await visit(rep, 'A1', 'A', 3, '10:00', { due: d(6) });
    v.v2 = await visit(rep, 'A1', 'A', 4, '10:00', { due: d(7) });
    v.v3 = await visit(rep, 'A2', 'A', 5, '10:00', { stayMin: 6, due: d(8) });
    v.v4 = await visit(rep, 'C1', 'C', 6, '10:00', { submitLateH: 25, due: d(9) });
    v.v5 = await visit(rep2, 'B1', 'B', 3, '11:00', { due: d(6) });
    await ok(await rep.send('post', '/api/visits', { customerId: c.A2, deviceTime: at(10, '09:00').toISOString() }), 201);
    const tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
    await t.models.Plan.create({
      tenantId, repId: users.rep, repName: '张伟', month: M, status: 'approved', revision: 3,
      items: [
        { id: 'p1', date: d(3), customerId: c.A1, customerName: 'A1', purpose: '例行拜访', visitType: 'onsite', contactName: '王店长', contactPhone: '13800000001' },
        { id: 'p2', date: d(4), customerId: c.A2, customerName: 'A2', purpose: '例行拜访', visitType: 'onsite', contactName: '王店长', contactPhone: '13800000001' },
        { id: 'p3', date: d(6), customerId: c.C1, customerName: 'C1', purpose: '电话回访', visitType: 'phone', contactName: '王店长', contactPhone: '13800000001' },
      ],
    });
  }, 180_000);
  afterAll(async () => { await t.close(); });

  it('the fixed data set came out as designed (machine verdicts)', () => {
    expect([v.v1!.band, v.v2!.band, v.v3!.band, v.v4!.band, v.v5!.band]).toEqual(['green', 'green', 'yellow', 'yellow', 'green']);
  });

  it('a submit writes the rep-day rollup at once; an override recomputes it', async () => {
    const before = await rollupOf(users.rep!, d(5));
    expect(before).toMatchObject({ visits: 1, yellow: 1, valid: 0, durationSum: 6 });
    await ok(await manager.post(`/api/visits/${v.v3!.id}/override`).send({ band: 'yellow', reason: '店长确认到店，停留短因盘点' }));
    expect(await rollupOf(users.rep!, d(5))).toMatchObject({ visits: 1, yellow: 1, valid: 1 });
    // v5's follow-up is due on M-06: that day's rollup of 刘洋 counts it, though he visited no one that day.
    expect(await rollupOf(users.rep2!, d(6))).toMatchObject({ visits: 0, followUpsDue: 1, followUpsOnTime: 0 });
  });

  it('completing a follow-up updates the rollup of its due day', async () => {
    await ok(await rep.send('post', `/api/tasks/${v.v1!.followUpTaskId!}/complete`, { note: '已寄样' }));
    expect(await rollupOf(users.rep!, d(6))).toMatchObject({ visits: 1, followUpsDue: 1, followUpsOnTime: 0 }); // done today: late
    // v2's follow-up was done on its due day; the API cannot date that in the past, so it is set here and rebuilt.
    await t.models.Task.updateOne({ tenantId: (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id, _id: v.v2!.followUpTaskId }, { $set: { status: 'done', doneAt: at(7, '12:00') } });
    const rebuilt = await ok(await admin.post('/api/kpis/rollups/rebuild').send({ from: d(1), to: LAST }));
    expect(rebuilt).toMatchObject({ days: 9 }); // 张伟 M-03 … M-09 (visits or follow-ups due); 刘洋 M-03 and M-06
  });

  describe('one rep over the month (hand-computed)', () => {
    let body: Record<string, unknown>;
    const ind = (key: string) => (body.indicators as Record<string, { value: number | null; band: string | null }>)[key]!;
    beforeAll(async () => { body = await ok(await manager.get(`/api/kpis?scope=rep&id=${users.rep!}&from=${d(1)}&to=${LAST}`)); });

    it('plan completion: 2 of 3 planned visits done on the planned day (66.7 %, red)', () => {
      expect(ind('planCompletionRate')).toMatchObject({ value: 66.7, band: 'red' });
    });
    it('coverage: all 3 held customers visited (100 %)', () => {
      expect(ind('coverageRate')).toMatchObject({ value: 100, band: 'green' });
    });
    it('frequency compliance: A1, A2 on site; C1 contacted (on site counts) (100 %)', () => {
      expect(ind('frequencyCompliance')).toMatchObject({ value: 100, band: 'green' });
    });
    it('average visit duration: (20 + 20 + 6 + 20) / 4 = 16.5 min', () => {
      expect(ind('avgVisitMinutes')).toMatchObject({ value: 16.5, band: 'green' });
    });
    it('valid-visit rate: v1, v2 green and v3 yellow confirmed by override; v4 not (75 %)', () => {
      expect(ind('validVisitRate')).toMatchObject({ value: 75, band: 'red' });
    });
    it('report timeliness: v4 came 25 h after check-out (3 of 4 = 75 %)', () => {
      expect(ind('reportTimeliness')).toMatchObject({ value: 75, band: 'red' });
    });
    it('follow-ups on time: 1 of the 4 due in the month (25 %)', () => {
      expect(ind('followUpOnTime')).toMatchObject({ value: 25, band: 'red' });
    });
    it('AHI: timeliness 4/8, richness 4 kinds (QR, location, photos, follow-up), consistency 100 % → 84.2', () => {
      expect(ind('ahiTimeliness').value).toBe(50);
      expect(ind('ahiRichness').value).toBe(4);
      expect(ind('ahiConsistency').value).toBe(100);
      expect(ind('ahi')).toMatchObject({ value: 84.2, band: 'yellow' }); // 100 × (50/95 + 1 + 1) / 3
    });
    it('score: behaviour 50, process 85, collaboration 0 (no joint visits), result without data → 59.2 不达标', () => {
      const score = body.score as { total: number; grade: { label: string }; groups: { key: string; score: number | null }[] };
      expect(score.groups.map((g) => [g.key, g.score])).toEqual([['behaviour', 50], ['process', 85], ['result', null], ['collaboration', 0]]);
      expect(score.total).toBe(59.2);
      expect(score.grade.label).toBe('不达标');
      expect(body.counts).toMatchObject({ visits: 4, onsite: 4, green: 2, yellow: 2, red: 0, valid: 3, planned: 3, plannedDone: 2, held: 3, covered: 3 });
    });
  });

  it('a team pools its reps and lists each with a score and grade', async () => {
    const body = await ok(await manager.get(`/api/kpis?scope=team&from=${d(1)}&to=${LAST}`));
    expect(body).toMatchObject({ scope: 'team', id: users.manager, name: '王经理' });
    expect((body.indicators as Record<string, { value: number }>).validVisitRate!.value).toBe(80); // (3 + 1) / (4 + 1)
    const reps = body.reps as { repName: string; score: number; grade: string }[];
    expect(reps.map((r) => r.repName).sort()).toEqual(['刘洋', '张伟']);
    expect(reps.find((r) => r.repName === '张伟')).toMatchObject({ score: 59.2, grade: '不达标' });
  });

  it('period=month gives the same as the explicit range', async () => {
    const a = await ok(await manager.get(`/api/kpis?scope=rep&id=${users.rep!}&period=month&date=${d(15)}`));
    expect(a.period).toMatchObject({ from: d(1), to: LAST });
    expect((a.score as { total: number }).total).toBe(59.2);
  });

  it('a rep reads their own figures only; bad ranges and unknown people are refused', async () => {
    await ok(await rep.get(`/api/kpis?scope=rep&from=${d(1)}&to=${LAST}`));
    expect((await rep.get(`/api/kpis?scope=rep&id=${users.rep2!}&from=${d(1)}&to=${LAST}`)).status).toBe(403);
    expect((await rep.get(`/api/kpis?scope=team&from=${d(1)}&to=${LAST}`)).status).toBe(403);
    expect((await rep.get('/api/kpis/board')).status).toBe(403);
    const backwards = await manager.get(`/api/kpis?scope=tenant&from=${d(5)}&to=${d(1)}`);
    expect(backwards.status).toBe(400);
    expect(backwards.body.error.details[0]).toMatchObject({ field: '/query/to', code: 'BAD_RANGE' });
    const unknown = await manager.get(`/api/kpis?scope=rep&id=${new Types.ObjectId().toHexString()}&from=${d(1)}&to=${LAST}`);
    expect(unknown.status).toBe(404);
    expect((await manager.get('/api/kpis?scope=galaxy&from=2026-01-01&to=2026-01-02')).status).toBe(400);
  });

  it('the board groups the team, reds worst first with their reason, score and grade', async () => {
    const board = await ok(await manager.get(`/api/kpis/board?date=${LAST}`));
    expect(board).toMatchObject({ date: LAST, period: { from: d(1), to: LAST }, tenant: { name: '企业 acme' } });
    const teams = board.teams as { managerId: string; managerName: string; reds: { repName: string; indicator: string; value: number; threshold: number; reason_zh: string; score: number; grade: string; light: string; breaches: { indicator: string }[] }[]; yellows: unknown[]; greens: unknown[] }[];
    expect(teams).toHaveLength(1);
    expect(teams[0]).toMatchObject({ managerId: users.manager, managerName: '王经理', yellows: [], greens: [], noData: [] });
    expect(teams[0]!.reds[1]).toMatchObject({ repName: '张伟', light: 'red', score: 59.2, grade: '不达标' }); // as GET /api/kpis gives him
    // 刘洋: follow-ups 0 % (100 % short of 75) is worse than 张伟's 25 % (67 % short).
    expect(teams[0]!.reds.map((r) => [r.repName, r.indicator, r.value, r.threshold])).toEqual([['刘洋', 'followUpOnTime', 0, 75], ['张伟', 'followUpOnTime', 25, 75]]);
    expect(teams[0]!.reds[1]!.reason_zh).toBe('跟进按时完成率 25%，低于黄灯线 75%');
    expect(teams[0]!.reds[1]!.breaches.map((b) => b.indicator)).toEqual(['followUpOnTime', 'planCompletionRate', 'validVisitRate', 'reportTimeliness', 'ahi']);
    const other = await ok(await manager.get(`/api/kpis/board?date=${LAST}&managerId=${new Types.ObjectId().toHexString()}`));
    expect(other.teams).toEqual([]);
  });

  it('the funnel reports conversion per step, the median time and the bottleneck', async () => {
    const f = await ok(await manager.get(`/api/kpis/funnel?scope=tenant&from=${d(1)}&to=${LAST}&start=started&end=followUpDone&steps=checkedIn,submitted,followUpCreated`));
    const steps = f.steps as { step: string; count: number; conversion: number; medianMinutes: number | null }[];
    expect(steps.map((s) => [s.step, s.count])).toEqual([['started', 6], ['checkedIn', 5], ['submitted', 5], ['followUpCreated', 5], ['followUpDone', 2]]);
    expect(steps[1]).toMatchObject({ conversion: 0.833, medianMinutes: 0 });
    expect(f.conversion).toBe(0.333);
    expect(f.bottleneck).toMatchObject({ step: 'followUpDone', from: 'followUpCreated', conversion: 0.4, lost: 3 });
    const bad = await manager.get(`/api/kpis/funnel?scope=tenant&from=${d(1)}&to=${LAST}&start=green&end=started`);
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0]).toMatchObject({ field: '/query/steps', code: 'STEPS_ORDER' });
  });

  it('rebuilding the rollups gives the same documents (idempotent)', async () => {
    const strip = (r: { asOf: Date } | null) => (r ? { ...r, asOf: undefined } : r);
    const days = [d(3), d(4), d(5), d(6), d(7), d(8), d(9)];
    const before = await Promise.all(days.map((x) => rollupOf(users.rep!, x)));
    await ok(await admin.post('/api/kpis/rollups/rebuild').send({ from: d(1), to: LAST }));
    await ok(await admin.post('/api/kpis/rollups/rebuild').set('idempotency-key', randomUUID()).send({ from: d(1), to: LAST }));
    const after = await Promise.all(days.map((x) => rollupOf(users.rep!, x)));
    expect(after.map(strip)).toEqual(before.map(strip));
  });
});
