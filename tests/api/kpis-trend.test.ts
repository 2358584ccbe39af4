// The daily trend behind the console's charts (GET /api/kpis/trend) and the per-rep rows the board table reads
// (GET /api/kpis reps[]), on a few real visits of last month (M) written through the visit API, computed by hand:
//   张伟 (rep)  A1 M-03 10:00, 20 min → green
//   张伟 (rep)  A2 M-03 14:00,  6 min → yellow (stay too short), never reviewed: not valid
//   张伟 (rep)  A1 M-05 10:00, 30 min → green
//   刘洋 (rep2) B1 M-03 11:00, 20 min → green
//   刘洋 (rep2) B1 M-08 11:00, 20 min → green (outside the M-02 … M-06 window)
// The follow-ups of the first four are due on M-06, the last one's on M-10; none is done.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, as, type TestApp } from '../helpers/test-app.ts';
import { fieldTeam, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiMonth, shanghaiMonthRange } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const MIN = 60_000;
const M = shanghaiMonth(new Date(shanghaiMonthRange(new Date()).start.getTime() - 86_400_000));
const d = (day: number) => `${M}-${String(day).padStart(2, '0')}`;
const at = (day: number, hhmm: string) => new Date(`${d(day)}T${hhmm}:00+08:00`);
const STORES = { A1: { lng: 121.4737, lat: 31.2304 }, A2: { lng: 121.4801, lat: 31.2355 }, B1: { lng: 121.4371, lat: 31.1952 } };

interface Day { date: string; visits: number; green: number; yellow: number; red: number; valid: number; validVisitRate: number | null; avgVisitMinutes: number | null; followUpsDue: number; followUpsOnTime: number }

describe('kpis trend', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  const c: Record<string, string> = {};
  const bands: string[] = [];

  async function customer(name: string, klass: string, repId: string, p: { lng: number; lat: number }): Promise<string> {
    const created = await ok(await manager.post('/api/customers').send({ name, address: `${name}地址`, type: '商超', class: klass, location: { ...p, system: 'GCJ02' }, contacts: [{ name: '王店长' }] }), 201);
    await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function visit(who: Client, key: keyof typeof STORES, klass: string, day: number, hhmm: string, stayMin: number, due = d(6)) {
    const qr = String((await ok(await manager.get(`/api/customers/${c[key]!}/qr`))).payload);
    const checkInAt = at(day, hhmm);
    const answers = sampleAnswers(FMCG, '商超', klass, d(day));
    (answers.followUp as { dueDate: string }).dueDate = due;
    const r = await runVisit(who, { qr, store: STORES[key], checkInAt, answers, stayMin, submitAt: new Date(checkInAt.getTime() + (stayMin + 1) * MIN) });
    bands.push(r.submitted.verdict.band);
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t, 'trend'));
    admin = as(t.server, await t.login('trend', 'admin'));
    c.A1 = await customer('华联超市人民路店', 'A', users.rep!, STORES.A1);
    c.A2 = await customer('联华超市南京路店', 'A', users.rep!, STORES.A2);
    c.B1 = await customer('可的便利徐家汇店', 'B', users.rep2!, STORES.B1);
    await visit(rep, 'A1', 'A', 3, '10:00', 20);
    await visit(rep, 'A2', 'A', 3, '14:00', 6);
    await visit(rep, 'A1', 'A', 5, '10:00', 30);
    await visit(rep2, 'B1', 'B', 3, '11:00', 20);
    await visit(rep2, 'B1', 'B', 8, '11:00', 20, d(10));
  }, 180_000);
  afterAll(async () => { await t.close(); });

  it('the fixed data set came out as designed (machine verdicts)', () => {
    expect(bands).toEqual(['green', 'yellow', 'green', 'green', 'green']);
  });

  it('a team: one entry per day, zeros on empty days, pooled bands, rate and duration', async () => {
    const body = await ok(await manager.get(`/api/kpis/trend?scope=team&from=${d(2)}&to=${d(6)}`));
    expect(body).toMatchObject({ scope: 'team', id: users.manager, name: '王经理', period: { from: d(2), to: d(6) } });
    const days = body.days as Day[];
    expect(days.map((x) => x.date)).toEqual([d(2), d(3), d(4), d(5), d(6)]);
    expect(days[0]).toMatchObject({ visits: 0, validVisitRate: null, avgVisitMinutes: null, followUpsDue: 0 });
    // M-03: 2 green + 1 unreviewed yellow; (20 + 6 + 20) / 3 = 15.33 min.
    expect(days[1]).toMatchObject({ visits: 3, green: 2, yellow: 1, red: 0, valid: 2, validVisitRate: 66.7, avgVisitMinutes: 15.3 });
    expect(days[2]).toMatchObject({ visits: 0, validVisitRate: null });
    expect(days[3]).toMatchObject({ visits: 1, green: 1, valid: 1, validVisitRate: 100, avgVisitMinutes: 30 });
    // M-06: no visits; the four follow-ups of the window's visits are due and still open.
    expect(days[4]).toMatchObject({ visits: 0, followUpsDue: 4, followUpsOnTime: 0 });
  });

  it('the daily visits add up to the period figures of /api/kpis, and carry the template thresholds', async () => {
    const trend = await ok(await manager.get(`/api/kpis/trend?scope=team&from=${d(2)}&to=${d(6)}`));
    const kpis = await ok(await manager.get(`/api/kpis?scope=team&from=${d(2)}&to=${d(6)}`));
    const days = trend.days as Day[];
    const counts = kpis.counts as { visits: number; green: number; yellow: number; valid: number };
    expect(days.reduce((a, x) => a + x.visits, 0)).toBe(counts.visits);
    expect(days.reduce((a, x) => a + x.valid, 0)).toBe(counts.valid);
    const spec = (kpis.indicators as Record<string, { green: number; yellow: number }>).validVisitRate!;
    expect(trend.thresholds).toMatchObject({ validVisitRate: { green: spec.green, yellow: spec.yellow } });
  });

  it('a rep sees their own days only; the tenant pools everyone', async () => {
    const own = await ok(await rep.get(`/api/kpis/trend?scope=rep&from=${d(3)}&to=${d(3)}`));
    // 张伟 on M-03: 1 green + 1 yellow, (20 + 6) / 2 = 13 min.
    expect(own.days).toEqual([expect.objectContaining({ date: d(3), visits: 2, green: 1, yellow: 1, valid: 1, validVisitRate: 50, avgVisitMinutes: 13 })]);
    expect((await rep.get(`/api/kpis/trend?scope=rep&id=${users.rep2!}&from=${d(3)}&to=${d(3)}`)).status).toBe(403);
    expect((await rep.get(`/api/kpis/trend?scope=team&from=${d(3)}&to=${d(3)}`)).status).toBe(403);
    const all = await ok(await admin.get(`/api/kpis/trend?scope=tenant&from=${d(1)}&to=${d(10)}`));
    expect((all.days as Day[]).reduce((a, x) => a + x.visits, 0)).toBe(5);
    expect((all.days as Day[]).find((x) => x.date === d(8))).toMatchObject({ visits: 1, green: 1 });
  });

  it('refuses a range over 93 days, a backwards range and a missing end', async () => {
    const long = await manager.get(`/api/kpis/trend?scope=team&from=2025-01-01&to=2025-06-01`);
    expect(long.status).toBe(400);
    expect(long.body.error.details[0]).toMatchObject({ field: '/query/to', code: 'BAD_RANGE' });
    expect((await manager.get(`/api/kpis/trend?scope=team&from=${d(5)}&to=${d(1)}`)).status).toBe(400);
    const missing = await manager.get(`/api/kpis/trend?scope=team&from=${d(1)}`);
    expect(missing.status).toBe(400);
    expect(missing.body.error.code).toBe('VALIDATION_FAILED');
  });

  it('each rep row of /api/kpis carries the light, reason, values and visit counts the board table shows', async () => {
    const body = await ok(await manager.get(`/api/kpis?scope=team&from=${d(2)}&to=${d(6)}`));
    const reps = body.reps as { repName: string; managerName: string; band: string; reason_zh: string | null; values: Record<string, number | null>; bands: Record<string, string | null>; counts: Record<string, number> }[];
    const zhang = reps.find((r) => r.repName === '张伟')!;
    expect(zhang).toMatchObject({ managerName: '王经理', counts: { visits: 3, green: 2, yellow: 1, red: 0, valid: 2 } });
    expect(zhang.values).toMatchObject({ validVisitRate: 66.7, avgVisitMinutes: 18.7, followUpOnTime: 0 }); // (20 + 6 + 30) / 3
    // Follow-ups 0 % of 3 due is red, and the worst shortfall: the rep's light is red for that reason.
    expect(zhang.bands.followUpOnTime).toBe('red');
    expect(zhang).toMatchObject({ band: 'red', reason_zh: expect.stringContaining('跟进按时完成率 0%') });
  });
});
