// One truth for a rep's numbers: the board (GET /api/kpis/board, what the 08:30 bot message renders), the morning
// message itself as the team's chat robot receives it, the rep-scores export (.xlsx read back) and GET /api/kpis give
// every rep the same score, grade and light, read fresh each time (a customer claimed after the first board of the
// day counts at once). A tenant without visits yet, and a rep without data in the period, are grey (暂无数据), not red.
//
// Last month (M), written through the visit API with past check-in times:
//   张伟 (rep)  holds A1, A2; visits A1 M-03, A2 M-04, A1 M-05 (20 min each), follow-ups due M-10, never done;
//              approved plan: A1 M-03 (done), A2 M-05 (visited a day early: not done)
//   刘洋 (rep2) holds B1; visits it 5 and 3 days before the month's end (20 min), follow-ups due next month; after
//              the first board of the day he also takes over B2, which he has not visited
//   赵磊 (rep4) holds B3; visits it 4 days and 1 day before the month's end, follow-ups due next month
//   陈静 (rep3) holds C1 and visits no one
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { as } from '../helpers/test-app.ts';
import { client, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { addDays, shanghaiMonth, shanghaiMonthRange } from '../../server/lib/time.ts';
import { messagingWorld, type World } from '../fakes/messaging-world.ts';
import type { Delivered } from '../fakes/robot-server.ts';
import { bytes } from '../helpers/download.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const THIS_MONTH = shanghaiMonth(new Date());
const M = shanghaiMonth(new Date(shanghaiMonthRange(new Date()).start.getTime() - 86_400_000));
const d = (day: number) => `${M}-${String(day).padStart(2, '0')}`;
const at = (day: number, hhmm: string) => new Date(`${d(day)}T${hhmm}:00+08:00`);
const LAST = addDays(`${THIS_MONTH}-01`, -1);
const END = Number(LAST.slice(8, 10));
/** Follow-ups must be due within 7 days of the visit: this one is, and falls after the month. */
const NEXT_MONTH_DUE = addDays(LAST, 2);
const STORES = { A1: { lng: 121.4737, lat: 31.2304 }, A2: { lng: 121.4801, lat: 31.2355 }, B1: { lng: 121.4371, lat: 31.1952 }, B2: { lng: 121.4402, lat: 31.1990 }, B3: { lng: 121.4502, lat: 31.2090 }, C1: { lng: 121.4602, lat: 31.2201 } };

type Light = 'red' | 'yellow' | 'green' | 'none';
interface Standing { score: number | null; grade: string | null; light: Light }

const wecomText = (m: Delivered) => (m.body.markdown as { content: string }).content;

/** "59.2 分 不达标" → score and grade; "暂无数据" → none. */
function scoreOf(text: string | undefined): Pick<Standing, 'score' | 'grade'> {
  const m = /^(\d+(?:\.\d+)?) 分(?: (.+))?$/.exec(text ?? '');
  return m ? { score: Number(m[1]), grade: m[2] ?? null } : { score: null, grade: null };
}

/** Each rep's standing as the morning message shows it: judged lines, then the green and grey name lists. */
function standingsInMessage(text: string): Map<string, Standing> {
  const out = new Map<string, Standing>();
  let list: 'green' | 'none' | null = null;
  for (const line of text.split('\n')) {
    const judged = /^(🔴|🟡) \*\*(.+?)\*\*（(.+?)）：/.exec(line);
    if (judged) {
      out.set(judged[2]!, { light: judged[1] === '🔴' ? 'red' : 'yellow', ...scoreOf(judged[3]) });
      list = null;
    } else if (line.startsWith('🟢 达标') || line.startsWith('🟢 全员')) list = 'green';
    else if (line.startsWith('⚪ 暂无数据')) list = 'none';
    else if (/^(\[|###|\*\*)/.test(line)) list = null;
    else if (list) {
      for (const item of line.split('、')) {
        const m = /^(.+?)(?:（(.+)）)?$/.exec(item)!;
        out.set(m[1]!, list === 'green' ? { light: 'green', ...scoreOf(m[2]) } : { light: 'none', score: null, grade: null });
      }
    }
  }
  return out;
}


const LIGHTS: Record<string, Light> = { 红灯: 'red', 黄灯: 'yellow', 绿灯: 'green', 暂无数据: 'none' };

describe('one truth: board, morning message, scores export and KPIs agree on every rep', () => {
  let w: World;
  let manager: ReturnType<typeof as>;
  let rep: Client;
  let rep2: Client;
  let rep4: Client;
  let rep3Id: string;
  let rep4Id: string;
  const c: Record<string, string> = {};
  const names = ['张伟', '刘洋', '赵磊', '陈静'];

  async function customer(key: keyof typeof STORES, klass: string, repId: string): Promise<void> {
    const contacts = [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }];
    const created = await ok(await manager.post('/api/customers').send({ name: `门店${key}`, address: `${key}地址`, type: '商超', class: klass, location: { ...STORES[key], system: 'GCJ02' }, contacts }), 201);
    c[key] = String(created.id);
    await ok(await manager.post(`/api/customers/${c[key]}/claim`).send({ repId }));
  }

  async function visit(who: Client, key: keyof typeof STORES, klass: string, day: number, due: string): Promise<string> {
    const qr = String((await ok(await manager.get(`/api/customers/${c[key]!}/qr`))).payload);
    const answers = sampleAnswers(FMCG, '商超', klass, d(day));
    (answers.followUp as { dueDate: string }).dueDate = due;
    const r = await runVisit(who, { qr, store: STORES[key], checkInAt: at(day, '10:00'), answers, stayMin: 20 });
    return r.submitted.verdict.band;
  }

  /** The morning run at `local` (China time): the board job and the sender; the team chat's board text. */
  async function morningMessage(local: string, boardDay: string): Promise<string> {
    w.clock.set(local);
    const runs = await w.t.services.jobs.scheduler({ clock: w.clock, instanceId: 'truth' }).runDue();
    expect(runs.find((r) => r.job === 'dailyBoard')).toMatchObject({ status: 'ran' });
    await w.t.services.messages.sender({ clock: w.clock, instanceId: 'truth' }).runOnce();
    const [day, month] = [Number(boardDay.slice(8, 10)), Number(boardDay.slice(5, 7))];
    const texts = w.robots.of('wecom:wk-team').map(wecomText).filter((t) => t.startsWith(`**销售动作红绿灯 · ${month}月${day}日`));
    expect(texts).toHaveLength(1);
    return texts[0]!;
  }

  async function boardStandings(date: string): Promise<Map<string, Standing>> {
    const board = await ok(await manager.get(`/api/kpis/board?date=${date}`));
    const out = new Map<string, Standing>();
    for (const team of board.teams as Record<'reds' | 'yellows' | 'greens' | 'noData', { repName: string; score: number | null; grade: string | null; light: Light }[]>[]) {
      for (const e of [...team.reds, ...team.yellows, ...team.greens, ...team.noData]) out.set(e.repName, { score: e.score, grade: e.grade, light: e.light });
    }
    return out;
  }

  beforeAll(async () => {
    w = await messagingWorld();
    const admin = as(w.t.server, await w.t.login(w.code, 'admin'));
    manager = as(w.t.server, await w.t.login(w.code, 'manager'));
    rep = client(w.t.server, await w.t.login(w.code, 'rep'));
    rep2 = client(w.t.server, await w.t.login(w.code, 'rep2'));
    await ok(await admin.put('/api/settings/notifications').send({ channels: { teams: [{ managerId: w.users.manager, robotIds: ['team-wecom'] }] } }));
    rep3Id = String((await ok(await admin.post('/api/users').send({ username: 'rep3', name: '陈静', role: 'rep', managerId: w.users.manager }), 201)).id);
    rep4Id = String((await ok(await admin.post('/api/users').send({ username: 'rep4', name: '赵磊', role: 'rep', managerId: w.users.manager }), 201)).id);
    rep4 = client(w.t.server, await w.t.login(w.code, 'rep4'));
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
    await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
    await customer('A1', 'A', w.users.rep!);
    await customer('A2', 'A', w.users.rep!);
    await customer('B1', 'B', w.users.rep2!);
    await customer('B3', 'B', rep4Id);
    await customer('C1', 'C', rep3Id);
  }, 180_000);
  afterAll(async () => { await w?.close(); });

  it('a tenant without visits yet: every rep grey (暂无数据) on the board and in the morning message, nobody red', async () => {
    // Every rep holds customers none of them has visited: zero coverage, but nothing to judge yet.
    const board = await ok(await manager.get(`/api/kpis/board?date=${d(1)}`));
    const teams = board.teams as { reds: unknown[]; yellows: unknown[]; greens: unknown[]; noData: { repName: string; light: string; score: number | null }[] }[];
    expect(teams.map((t) => [t.reds.length, t.yellows.length, t.greens.length])).toEqual([[0, 0, 0]]);
    expect(teams[0]!.noData.map((e) => [e.repName, e.light, e.score]).sort()).toEqual(names.map((n) => [n, 'none', null]).sort());
    const text = await morningMessage(`${d(2)} 08:30`, d(1));
    expect(text).toContain('⚪ 暂无数据 4 人');
    expect(text).not.toContain('🔴 **');
    expect(text).not.toContain('红灯请今天处理');
    expect([...standingsInMessage(text).values()].every((s) => s.light === 'none')).toBe(true);
  });

  describe('after a month of visits', () => {
    beforeAll(async () => {
      const bands = [
        await visit(rep, 'A1', 'A', 3, d(10)),
        await visit(rep, 'A2', 'A', 4, d(10)),
        await visit(rep, 'A1', 'A', 5, d(10)),
        await visit(rep2, 'B1', 'B', END - 5, NEXT_MONTH_DUE),
        await visit(rep2, 'B1', 'B', END - 3, NEXT_MONTH_DUE),
        await visit(rep4, 'B3', 'B', END - 4, NEXT_MONTH_DUE),
        await visit(rep4, 'B3', 'B', END - 1, NEXT_MONTH_DUE),
      ];
      expect(bands).toEqual(Array(7).fill('green'));
      await w.t.models.Plan.create({
        tenantId: w.tenantId, repId: w.users.rep, repName: '张伟', month: M, status: 'approved', revision: 3,
        items: [
          { id: 'p1', date: d(3), customerId: c.A1, customerName: 'A1', purpose: '例行拜访', visitType: 'onsite', contactName: '王店长', contactPhone: '13800000001' },
          { id: 'p2', date: d(5), customerId: c.A2, customerName: 'A2', purpose: '例行拜访', visitType: 'onsite', contactName: '王店长', contactPhone: '13800000001' },
        ],
      });
      // The first board of the day has been read; then 刘洋 takes over a store he has not visited.
      await ok(await manager.get(`/api/kpis/board?date=${LAST}`));
      await customer('B2', 'B', w.users.rep2!);
    }, 180_000);

    it('every rep has the same score, grade and light in the KPIs, the export, the board and the message', async () => {
      const team = await ok(await manager.get(`/api/kpis?scope=team&id=${w.users.manager}&from=${d(1)}&to=${LAST}`));
      const kpis = new Map((team.reps as { repName: string; score: number | null; grade: string | null; band: Light }[]).map((r) => [r.repName, { score: r.score, grade: r.grade, light: r.band }]));
      expect([...kpis.keys()].sort()).toEqual([...names].sort());

      const res = await bytes(manager.get(`/api/exports/rep-scores.xlsx?month=${M}`));
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(res.body as unknown as ArrayBuffer);
      const sheet = wb.worksheets[0]!;
      const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
      const exported = new Map<string, Standing>();
      sheet.eachRow((row, n) => {
        if (n === 1) return;
        const cell = (h: string) => (row.values as unknown[])[headers.indexOf(h) + 1] ?? null;
        exported.set(String(cell('业务员')), { score: cell('综合得分') as number | null, grade: cell('等级') as string | null, light: LIGHTS[String(cell('综合灯'))]! });
      });
      for (const name of names) expect(exported.get(name), `${name} in the scores export`).toEqual(kpis.get(name));

      const board = await boardStandings(LAST);
      const message = standingsInMessage(await morningMessage(`${THIS_MONTH}-01 08:30`, LAST));
      for (const name of names) {
        expect(board.get(name), `${name} on the board`).toEqual(kpis.get(name));
        expect(message.get(name), `${name} in the morning message`).toEqual(kpis.get(name));
      }
      // The facts behind them: 张伟's follow-ups are all late (red); 刘洋 now holds B2 and has not visited it: half
      // coverage, below the yellow line (red); 赵磊 is green on every judged indicator; 陈静 has no data.
      expect([...kpis].map(([name, s]) => [name, s.light]).sort()).toEqual([['刘洋', 'red'], ['张伟', 'red'], ['赵磊', 'green'], ['陈静', 'none']]);
      for (const name of ['张伟', '刘洋', '赵磊']) expect(kpis.get(name)!.score, name).toEqual(expect.any(Number));
      expect(kpis.get('陈静')).toEqual({ score: null, grade: null, light: 'none' });
    });

    it('a rep\'s own KPIs give the same score and grade as the board', async () => {
      const board = await boardStandings(LAST);
      for (const [name, id] of [['张伟', w.users.rep!], ['刘洋', w.users.rep2!], ['赵磊', rep4Id], ['陈静', rep3Id]] as const) {
        const own = await ok(await manager.get(`/api/kpis?scope=rep&id=${id}&from=${d(1)}&to=${LAST}`));
        const score = own.score as { total: number | null; grade: { label: string } | null };
        expect({ score: score.total, grade: score.grade?.label ?? null }, name).toEqual({ score: board.get(name)!.score, grade: board.get(name)!.grade });
      }
    });
  });
});
