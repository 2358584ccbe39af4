// What-if before publishing a scoring template: over last month's real visits (written through the visit API with
// past check-in times) it reports which verdicts AND which reps' grades the draft would change, computed by the
// same KPI code the board uses, without changing anything stored.
//
// Last month (M): 张伟 (rep) holds A1, A2 (class A) and visits A1 on M-03, A2 on M-04, A1 on M-05, 20 min each;
// 刘洋 (rep2) holds B1 (class B) and visits it on M-03 for 20 min. All four end green.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type as, type TestApp } from '../helpers/test-app.ts';
import { fieldTeam, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import type { ScoringConfig } from '../../server/scoring/scoring-check.ts';
import { addDays, shanghaiMonth, shanghaiMonthRange } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const M = shanghaiMonth(new Date(shanghaiMonthRange(new Date()).start.getTime() - 86_400_000));
const d = (day: number) => `${M}-${String(day).padStart(2, '0')}`;
const at = (day: number, hhmm: string) => new Date(`${d(day)}T${hhmm}:00+08:00`);
const LAST = addDays(`${shanghaiMonth(new Date())}-01`, -1);
const STORES = { A1: { lng: 121.4737, lat: 31.2304 }, A2: { lng: 121.4801, lat: 31.2355 }, B1: { lng: 121.4371, lat: 31.1952 } };

interface Grade { score: number | null; grade: string | null; grade_en: string | null }
interface WhatIf {
  total: number; changed: number;
  changes: { visitId: string; repId: string; repName: string; customer: string; before: { band: string }; after: { band: string; reasons: string[] } }[];
  grades: { reps: number; changed: number; scoreChanged: number; changes: { repId: string; repName: string; before: Grade; after: Grade; indicators: { key: string; name: string; before: number | null; after: number | null }[] }[] };
}

describe('scoring what-if: verdicts and grades', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  let templateId: string;
  const c: Record<string, string> = {};

  async function customer(name: string, klass: string, repId: string, p: { lng: number; lat: number }): Promise<string> {
    const contacts = [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }];
    const created = await ok(await manager.post('/api/customers').send({ name, address: `${name}地址`, type: '商超', class: klass, location: { ...p, system: 'GCJ02' }, contacts }), 201);
    await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function visit(who: Client, key: keyof typeof STORES, klass: string, day: number) {
    const qr = String((await ok(await manager.get(`/api/customers/${c[key]!}/qr`))).payload);
    const r = await runVisit(who, { qr, store: STORES[key], checkInAt: at(day, '10:00'), answers: sampleAnswers(FMCG, '商超', klass, d(day)), stayMin: 20 });
    expect(r.submitted.verdict.band, JSON.stringify(r.submitted.verdict.reasons)).toBe('green');
  }

  async function draft(): Promise<{ config: ScoringConfig; revision: number }> {
    return (await ok(await manager.get(`/api/scoring-templates/${templateId}`))).draft as { config: ScoringConfig; revision: number };
  }

  async function saveDraft(change: (c: ScoringConfig) => void): Promise<void> {
    const { config, revision } = await draft();
    change(config);
    await ok(await manager.put(`/api/scoring-templates/${templateId}/draft`).send({ config, revision }));
  }

  async function storedVerdicts() {
    const tenantId = (await t.models.Tenant.findOne({ code: 'acme' }).lean())!._id;
    return t.models.Visit.find({ tenantId }, { verdict: 1, override: 1 }).sort({ _id: 1 }).lean();
  }

  const whatIf = async () => (await ok(await manager.post(`/api/scoring-templates/${templateId}/what-if`).send({ from: d(1), to: LAST }))) as unknown as WhatIf;

  /** The grades the board shows for the manager's team over last month, by rep id. */
  async function boardGrades(): Promise<Map<string, Grade>> {
    const body = await ok(await manager.get(`/api/kpis?scope=team&from=${d(1)}&to=${LAST}`));
    return new Map((body.reps as (Grade & { repId: string })[]).map((r) => [r.repId, { score: r.score, grade: r.grade, grade_en: r.grade_en }]));
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep, rep2 } = await fieldTeam(t));
    c.A1 = await customer('华联超市人民路店', 'A', users.rep!, STORES.A1);
    c.A2 = await customer('联华超市南京路店', 'A', users.rep!, STORES.A2);
    c.B1 = await customer('可的便利徐家汇店', 'B', users.rep2!, STORES.B1);
    await visit(rep, 'A1', 'A', 3);
    await visit(rep, 'A2', 'A', 4);
    await visit(rep, 'A1', 'A', 5);
    await visit(rep2, 'B1', 'B', 3);
    // The template in force: the default, published; its draft is what the manager edits.
    const created = await ok(await manager.post('/api/scoring-templates/from-template').send({ templateKey: 'default' }), 201);
    templateId = String(created.id);
    await ok(await manager.post(`/api/scoring-templates/${templateId}/publish`).send({ note: '默认考核' }), 201);
  }, 180_000);
  afterAll(async () => { await t.close(); });

  it('an unchanged draft changes nothing, and its "before" grades are the board\'s', async () => {
    const res = await whatIf();
    expect(res).toMatchObject({ total: 4, changed: 0, changes: [] });
    expect(res.grades).toMatchObject({ reps: 2, changed: 0, scoreChanged: 0, changes: [] });
    const board = await boardGrades();
    expect([...board.values()].every((g) => g.score !== null && g.grade !== null)).toBe(true);
  });

  it('new grade bands alone change every scored rep\'s grade (verdicts unchanged), before = board, after = new band', async () => {
    await saveDraft((cfg) => {
      cfg.gradeBands = [{ min: 30, label: '合格', label_en: 'Pass' }, { min: 0, label: '不合格', label_en: 'Fail' }];
    });
    const res = await whatIf();
    const board = await boardGrades();
    expect(res.changed).toBe(0);
    expect(res.grades.changed).toBe(2);
    expect(res.grades.scoreChanged).toBe(0);
    for (const g of res.grades.changes) {
      expect(g.before).toEqual(board.get(g.repId));
      expect(g.after.score).toBe(g.before.score);
      expect(g.after.grade).toBe(g.after.score! >= 30 ? '合格' : '不合格');
      expect(g.indicators).toEqual([]);
    }
    expect(res.grades.changes.map((g) => g.repName).sort()).toEqual(['刘洋', '张伟']);
    await saveDraft((cfg) => {
      cfg.gradeBands = (readBuiltInTemplates().find((x) => x.kind === 'scoring' && x.file.key === 'default')!.file.content as ScoringConfig).gradeBands;
    });
  });

  it('a longer minimum stay for class A flips 张伟\'s verdicts and lowers his grade exactly as the board will once it is real', async () => {
    await saveDraft((cfg) => { (cfg.authenticity.minStayMinutes as Record<string, number>).A = 60; });
    const stored = await storedVerdicts();
    const res = await whatIf();

    expect(res.total).toBe(4);
    expect(res.changed).toBe(3);
    expect(res.changes.map((x) => x.repName)).toEqual(['张伟', '张伟', '张伟']);
    expect(res.changes.every((x) => x.before.band === 'green' && x.after.band !== 'green' && x.after.reasons.includes('STAY_TOO_SHORT'))).toBe(true);

    const before = await boardGrades();
    expect(res.grades.scoreChanged).toBe(1);
    const zhang = res.grades.changes.find((g) => g.repId === users.rep);
    expect(zhang, JSON.stringify(res.grades)).toBeDefined();
    expect(zhang!.before).toEqual(before.get(users.rep!));
    expect(zhang!.after.score!).toBeLessThan(zhang!.before.score!);
    expect(zhang!.indicators).toContainEqual(expect.objectContaining({ key: 'validVisitRate', name: '有效拜访率', before: 100, after: 0 }));
    expect(res.grades.changes.some((g) => g.repId === users.rep2)).toBe(false);

    // Nothing stored moved.
    expect(JSON.stringify(await storedVerdicts())).toBe(JSON.stringify(stored));
    expect(await boardGrades()).toEqual(before);

    // Make it real: the visits judged as the draft judges them (not valid), the draft published. The board then
    // shows exactly the grade the what-if predicted.
    for (const x of res.changes) await ok(await manager.post(`/api/visits/${x.visitId}/override`).send({ band: 'red', reason: '停留时间不足新标准' }));
    await ok(await manager.post(`/api/scoring-templates/${templateId}/publish`).send({ note: 'A类最短停留60分钟' }), 201);
    expect((await boardGrades()).get(users.rep!)).toEqual(zhang!.after);
  });

  it('refuses a backwards or too long range with a pointer', async () => {
    for (const body of [{ from: d(5), to: d(1) }, { from: addDays(d(1), -120), to: LAST }]) {
      const res = await manager.post(`/api/scoring-templates/${templateId}/what-if`).send(body);
      expect(res.status).toBe(400);
      expect(res.body.error.details[0].field).toBe('/to');
    }
  });
});
