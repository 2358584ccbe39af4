// Scheduled messages and the visit summary card, end to end: the real app and scheduler with a fake clock, hosts
// and robots faked by local servers that check each host's documented payload, size limits and signature. The
// board comes from a hand-made source (what kpis.dailyBoard returns); everything else from the database.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { as } from '../helpers/test-app.ts';
import { client, ok, runVisit } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';
import { systemClock } from '../../server/lib/clock.ts';
import { bigTeam, board, entry, team } from '../fakes/boards.ts';
import { shanghai } from '../fakes/fake-clock.ts';
import { messagingWorld, PUBLIC_URL, type World } from '../fakes/messaging-world.ts';
import type { Delivered } from '../fakes/robot-server.ts';
import type { PersonalMessage } from '../fakes/message-endpoints.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const STORE = { lng: 121.4737, lat: 31.2304 };

const wecomText = (d: Delivered) => (d.body.markdown as { content: string }).content;
const dingText = (d: Delivered) => (d.body.markdown as { text: string }).text;
const appText = (m: PersonalMessage) => (m.body.markdown as { content: string }).content;
const workText = (m: PersonalMessage) => (m.body.msg as { markdown: { text: string } }).markdown.text;

describe('scheduled messages and cards arrive as each host documents them', () => {
  let w: World;
  let admin: ReturnType<typeof as>;
  let tenantId: Types.ObjectId;
  let customerId: string;

  async function runAt(local: string) {
    w.clock.set(local);
    const scheduler = w.t.services.jobs.scheduler({ clock: w.clock, instanceId: 'a', board: w.board });
    const sender = w.t.services.messages.sender({ clock: w.clock, instanceId: 'a' });
    const runs = await scheduler.runDue();
    await sender.runOnce();
    return runs;
  }

  const visitDoc = (repId: string, status: 'started' | 'checkedIn' | 'checkedOut' | 'submitted', startedAt: Date, name: string, extra: Record<string, unknown> = {}) => w.t.models.Visit.create({
    tenantId, repId, customerId: new Types.ObjectId(customerId), customer: { name, address: '', type: '商超', class: 'A', location: STORE },
    form: { formId: new Types.ObjectId(), version: 1 }, status, start: { method: 'location', deviceTime: startedAt, receivedAt: startedAt }, ...extra,
  });

  beforeAll(async () => {
    w = await messagingWorld();
    tenantId = new Types.ObjectId(w.tenantId);
    admin = as(w.t.server, await w.t.login(w.code, 'admin'));
    await ok(await admin.put('/api/settings/notifications').send({
      channels: { teams: [{ managerId: w.users.manager, robotIds: ['team-wecom', 'team-ding'] }], defaultRobotIds: ['all-hands'] },
    }));
    const manager = as(w.t.server, await w.t.login(w.code, 'manager'));
    customerId = String((await ok(await manager.post('/api/customers').send({
      name: '华联超市人民路店', address: '人民路 1 号', type: '商超', class: 'A', location: { ...STORE, system: 'GCJ02' },
      contacts: [{ name: '王店长', role: '店长', phone: '13800000001' }, { name: '李采购', role: '采购', phone: '13800000002' }, { name: '赵老板', role: '老板', phone: '13800000003' }],
    }), 201)).id);
    await ok(await manager.post(`/api/customers/${customerId}/claim`).send({ repId: w.users.rep }));
  });
  afterAll(async () => { await w.close(); });

  it('the morning board reaches each team chat: reds first with reason and @-mention, yellows, greens, link; signed on DingTalk', async () => {
    w.boards.next = (date) => board(date, [
      team(w.users.manager!, '王经理', [entry('张伟', 'zhangwei', 'red', { repId: w.users.rep })], [entry('刘洋', 'liuyang', 'yellow', { repId: w.users.rep2 })], 3),
      team(null, '', [entry('新人', null, 'red')], [], 1),
    ]);
    const runs = await runAt('2027-03-11 08:30');
    expect(runs.find((r) => r.job === 'dailyBoard')).toMatchObject({ status: 'ran', period: '2027-03-11', created: 3, late: false });
    expect(w.boards.asked).toEqual(['2027-03-10']); // this morning shows yesterday's complete board
    expect(w.robots.refused).toEqual([]);

    const [wc, ...moreWc] = w.robots.of('wecom:wk-team');
    expect(moreWc).toEqual([]);
    expect(wc!.body).toEqual({ msgtype: 'markdown', markdown: { content: expect.any(String) } });
    const lines = wecomText(wc!).split('\n');
    expect(lines[0]).toBe('**销售动作红绿灯 · 3月10日**');
    const red = lines.findIndex((l) => l.includes('**张伟**'));
    const yellow = lines.findIndex((l) => l.includes('**刘洋**'));
    expect(red).toBeGreaterThan(0);
    expect(lines[red]).toContain('客户覆盖率 62%，低于黄灯线 85%');
    expect(lines[red]).toContain('请 <@zhangwei> 跟进');
    expect(yellow).toBeGreaterThan(red);
    expect(lines[red]).toContain('**张伟**（59.2 分 不达标）');
    expect(lines[yellow + 1]).toBe('🟢 达标 3 人');
    expect(lines[yellow + 2]).toBe('达标王经理1（92.1 分 优秀）、达标王经理2（92.1 分 优秀）、达标王经理3（92.1 分 优秀）');
    expect(lines[yellow + 3]).toBe(`[查看王经理团队看板](${PUBLIC_URL}/console/#/board?team=${w.users.manager}&date=2027-03-10)`);
    expect(wecomText(wc!)).not.toContain('新人');

    const [dd, ...moreDd] = w.robots.of('dingtalk:dt-team');
    expect(moreDd).toEqual([]);
    expect(dd!.body).toMatchObject({ msgtype: 'markdown', markdown: { title: '销售动作红绿灯 · 3月10日' }, at: { atUserIds: ['zhangwei', 'liuyang'], isAtAll: false } });
    expect(dingText(dd!)).toContain('请 @zhangwei 跟进');
    expect(dingText(dd!)).toContain('请 @liuyang 跟进');

    // Reps without a manager go to the tenant-wide chat.
    const [all] = w.robots.of('wecom:wk-all');
    expect(wecomText(all!)).toContain('未分配主管');
    expect(wecomText(all!)).toContain('请 新人 跟进');

    const log = await ok(await admin.get('/api/messages/log?from=2027-03-11'));
    expect((log.items as unknown[]).length).toBe(3);
    const ding = await ok(await admin.get('/api/messages/log?from=2027-03-11&channel=robot:team-ding'));
    expect(ding.items).toEqual([expect.objectContaining({
      job: 'dailyBoard', period: '2027-03-11', status: 'sent', parts: 1, partsSent: 1, sentAt: shanghai('2027-03-11 08:30').toISOString(),
      channel: expect.objectContaining({ kind: 'dingtalkRobot', robotId: 'team-ding' }),
      attempts: [expect.objectContaining({ part: 1, n: 1, outcome: 'sent' })],
    })]);
  });

  it('a long board arrives in parts, in order, each within the host limit, every rep once', async () => {
    w.boards.next = (date) => board(date, [bigTeam(w.users.manager!, '王经理', 250, 'x')]);
    await runAt('2027-03-12 08:30');
    expect(w.robots.refused).toEqual([]);
    for (const [robot, text] of [['wecom:wk-team', wecomText], ['dingtalk:dt-team', dingText]] as const) {
      const parts = w.robots.of(robot).filter((d) => text(d).includes('3月11日'));
      const n = parts.length;
      expect(n).toBeGreaterThan(1);
      parts.forEach((d, i) => expect(text(d).startsWith(`**销售动作红绿灯 · 3月11日 (${i + 1}/${n})**`)).toBe(true));
      const all = parts.map(text).join('\n');
      for (let i = 0; i < 250; i += 1) expect(all.split(`**业务员x${i}**`).length - 1).toBe(1);
      if (robot.startsWith('dingtalk')) {
        parts.forEach((d) => {
          const ids = (d.body.at as { atUserIds: string[] }).atUserIds;
          expect(ids.every((id) => text(d).includes(`@${id} `))).toBe(true);
        });
      }
    }
  });

  it('the evening reminder lists each rep\'s unsubmitted visits of the day (WeCom application message)', async () => {
    await visitDoc(w.users.rep!, 'checkedIn', shanghai('2027-03-11 09:00'), '华联超市人民路店');
    await visitDoc(w.users.rep!, 'checkedOut', shanghai('2027-03-11 14:00'), '好又多南京路店');
    await visitDoc(w.users.rep!, 'checkedOut', shanghai('2027-03-10 12:00'), '昨天的店');
    await visitDoc(w.users.rep2!, 'submitted', shanghai('2027-03-11 10:00'), '已提交的店');
    const runs = await runAt('2027-03-11 18:30');
    expect(runs.find((r) => r.job === 'eveningReminder')).toMatchObject({ status: 'ran', created: 1 });
    const mine = w.wecomInbox.delivered.filter((m) => appText(m).includes('今日拜访待提交'));
    expect(mine.map((m) => m.to)).toEqual(['zhangwei']);
    expect(mine[0]!.body).toMatchObject({ touser: 'zhangwei', msgtype: 'markdown', agentid: 1000002, enable_duplicate_check: 1 });
    const text = appText(mine[0]!);
    expect(text).toContain('您今天还有 2 个拜访未提交');
    expect(text).toContain('华联超市人民路店（已签到，09:00 开始）');
    expect(text).toContain('好又多南京路店（已签退，14:00 开始）');
    expect(text).not.toContain('昨天的店');
  });

  it('follow-up reminders (overdue, today, tomorrow) go out as DingTalk work notifications when the tenant says so', async () => {
    await ok(await admin.put('/api/settings/notifications').send({ channels: { personalHost: 'dingtalk' } }));
    const task = (repId: string, title: string, dueDate: string, status: 'open' | 'done' = 'open') => w.t.models.Task.create({
      tenantId, visitId: new Types.ObjectId(), repId, customerId, kind: 'followUp', title, dueDate, status, createdAt: new Date(),
    });
    await task(w.users.rep!, '送样品', '2027-03-15');
    await task(w.users.rep!, '报价', '2027-03-17');
    await task(w.users.rep!, '安排演示', '2027-03-18');
    await task(w.users.rep!, '下周再说', '2027-03-20');
    await task(w.users.rep!, '早已完成', '2027-03-10', 'done');
    await runAt('2027-03-17 09:00');
    await ok(await admin.put('/api/settings/notifications').send({ channels: { personalHost: null } }));
    const notes = w.dingInbox.delivered.filter((m) => workText(m).includes('跟进事项提醒'));
    expect(notes.map((m) => m.to)).toEqual(['zhangwei']);
    expect(notes[0]!.body).toMatchObject({ agent_id: 300001, userid_list: 'zhangwei', msg: { msgtype: 'markdown', markdown: { title: '跟进事项提醒 · 3月17日' } } });
    const text = workText(notes[0]!);
    expect(text).toContain('您有 3 个跟进事项需要处理，其中 1 个已逾期');
    expect(text.indexOf('已逾期（1）')).toBeLessThan(text.indexOf('今天到期（1）'));
    expect(text.indexOf('今天到期（1）')).toBeLessThan(text.indexOf('明天到期（1）'));
    expect(text).toContain('华联超市人民路店：送样品（3月15日）');
    expect(text).not.toContain('下周再说');
    expect(text).not.toContain('早已完成');
  });

  it('the 24-hour report reminder reaches the rep once per visit, however many hourly checks see it', async () => {
    await visitDoc(w.users.rep2!, 'checkedOut', shanghai('2027-03-18 09:10'), '迟交的店');
    for (const hour of ['05', '06', '07', '08']) await runAt(`2027-03-19 ${hour}:00`);
    const reminders = w.wecomInbox.delivered.filter((m) => appText(m).includes('拜访报告即将超时'));
    expect(reminders.map((m) => m.to)).toEqual(['liuyang']);
    expect(appText(reminders[0]!)).toContain('请在 2027-03-19 09:10 前提交');
    expect(await w.t.models.Outbox.countDocuments({ tenantId, job: 'reportReminder' })).toBe(1);
  });

  it('plan reminders: the rep whose next month is not submitted, the manager with a plan waiting', async () => {
    const plan = (repId: string, repName: string, status: 'draft' | 'submitted') => w.t.models.Plan.create({
      tenantId, repId, repName, month: '2027-04', status, revision: 1, items: [], history: [], submittedAt: status === 'submitted' ? shanghai('2027-03-22 17:00') : null,
    });
    await plan(w.users.rep2!, '刘洋', 'submitted');
    await runAt('2027-03-23 10:00');
    const due = w.wecomInbox.delivered.filter((m) => appText(m).includes('月拜访计划待提交'));
    expect(due.map((m) => m.to)).toEqual(['zhangwei']);
    expect(appText(due[0]!)).toContain('您的 4 月拜访计划尚未创建，请于3月25日前提交给主管审批');
    const waiting = w.wecomInbox.delivered.filter((m) => appText(m).includes('拜访计划待审批'));
    expect(waiting.map((m) => m.to)).toEqual(['wang']);
    expect(appText(waiting[0]!)).toContain('刘洋：4月计划（2027-03-22 17:00 提交）');
  });

  it('the call-back sample goes to the manager with whom to call', async () => {
    const submitted = (at: string, band: string) => visitDoc(w.users.rep!, 'submitted', shanghai(at), '华联超市人民路店', {
      checkIn: { deviceTime: shanghai(at), receivedAt: shanghai(at) }, verdict: { band, score: band === 'green' ? 90 : 70 },
    });
    await submitted('2027-03-24 10:00', 'yellow');
    await submitted('2027-03-24 15:00', 'green');
    await runAt('2027-03-25 09:30');
    const lists = w.wecomInbox.delivered.filter((m) => appText(m).includes('今日电话回访抽查'));
    expect(lists.map((m) => m.to)).toEqual(['wang']);
    const text = appText(lists[0]!);
    expect(text).toContain('请回访以下 2 个拜访');
    expect(text).toContain('🟡 华联超市人民路店（张伟）：王店长 13800000001');
    expect(text).toContain(`${PUBLIC_URL}/console/#/callbacks?date=2027-03-24`);
  });

  it('the weekly summary tells each manager last week\'s visits per rep', async () => {
    w.boards.next = (date) => board(date, []);
    const submitted = (repId: string, at: string, band: string, extra: Record<string, unknown> = {}) => visitDoc(repId, 'submitted', shanghai(at), '某店', {
      checkIn: { deviceTime: shanghai(at), receivedAt: shanghai(at) }, verdict: { band, score: 80 }, ...extra,
    });
    await submitted(w.users.rep!, '2027-03-22 10:00', 'green');
    await submitted(w.users.rep!, '2027-03-26 10:00', 'red');
    await submitted(w.users.rep2!, '2027-03-28 10:00', 'yellow', { override: { band: 'green', reason: '主管确认' } });
    await submitted(w.users.rep2!, '2027-03-29 08:00', 'red'); // this week: not counted
    await runAt('2027-03-29 09:00');
    const weekly = w.wecomInbox.delivered.filter((m) => appText(m).includes('团队周报'));
    expect(weekly.map((m) => m.to)).toEqual(['wang']);
    const text = appText(weekly[0]!);
    expect(text).toContain('**团队周报 · 3月22日–3月28日**');
    // Earlier tests' visits of that week count too: the two call-back visits on the 24th.
    expect(text).toContain('张伟：拜访 4（🟢2 🟡1 🔴1）');
    expect(text).toContain('刘洋：拜访 1（🟢1 🟡0 🔴0）');
  });

  it('the scheduled board is the KPI service\'s board when no other source is given', async () => {
    w.clock.set('2027-04-08 08:30');
    const runs = await w.t.services.jobs.scheduler({ clock: w.clock, instanceId: 'kpi' }).runDue();
    expect(runs.find((r) => r.job === 'dailyBoard')).toMatchObject({ status: 'ran', created: 2 });
    await w.t.services.messages.sender({ clock: w.clock, instanceId: 'kpi' }).runOnce();
    const [msg] = w.robots.of('wecom:wk-team').filter((d) => wecomText(d).includes('4月7日'));
    expect(wecomText(msg!)).toContain('### 王经理团队');
    expect(wecomText(msg!)).toContain(`/console/#/board?team=${w.users.manager}&date=2027-04-07`);
    expect(w.robots.of('dingtalk:dt-team').filter((d) => dingText(d).includes('4月7日'))).toHaveLength(1);
  });

  it('a submitted visit sends its summary card to the rep\'s manager, once', async () => {
    const manager = as(w.t.server, await w.t.login(w.code, 'manager'));
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
    await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
    const rep = client(w.t.server, await w.t.login(w.code, 'rep'));
    const qr = String((await ok(await manager.get(`/api/customers/${customerId}/qr`))).payload);
    const checkInAt = new Date(Date.now() - 3 * 3_600_000);
    const { id } = await runVisit(rep, { qr, store: STORE, checkInAt, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(checkInAt)) });

    const sender = w.t.services.messages.sender({ clock: systemClock, instanceId: 'live' });
    await sender.runOnce();
    const cards = w.wecomInbox.delivered.filter((m) => appText(m).includes('拜访摘要'));
    expect(cards.map((m) => m.to)).toEqual(['wang']);
    const text = appText(cards[0]!);
    expect(text).toContain('**拜访摘要 · 华联超市人民路店**');
    expect(text).toContain('张伟 于');
    expect(text).toContain('**客户标签**：商超；A类客户');
    expect(text).toContain(`${PUBLIC_URL}/console/#/visits/${id}`);

    // The 10-minute sweep sees the same submit and recognises the card it already wrote.
    const sweep = await w.t.services.jobs.scheduler({ clock: systemClock, instanceId: 'live', board: w.board }).runDue();
    expect(sweep.find((r) => r.job === 'visitCards')).toMatchObject({ status: 'ran', created: 0, existing: 1 });
    await sender.runOnce();
    expect(w.wecomInbox.delivered.filter((m) => appText(m).includes('拜访摘要'))).toHaveLength(1);
  });
});
