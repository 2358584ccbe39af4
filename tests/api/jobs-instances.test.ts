// Delivery guarantees with several server instances on one database, crashes and a misbehaving webhook: each
// scheduled run happens once, each message arrives once and in order, a crash between writing and sending re-sends
// once, a dead job-run holder is taken over once, missed runs are caught up once on start and never again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { as } from '../helpers/test-app.ts';
import { ok } from '../helpers/visit-flow.ts';
import { hostApps } from '../../server/hosts/host-apps.ts';
import { hostMessaging } from '../../server/hosts/messaging.ts';
import { jobLeases } from '../../server/jobs/job-lease.ts';
import { outboxStore, type OutgoingMessage } from '../../server/messages/outbox.ts';
import type { OutboxDoc } from '../../server/messages/outbox.model.ts';
import { render } from '../../server/messages/templates/channel-payloads.ts';
import { eveningReminderDraft } from '../../server/messages/templates/reminders.ts';
import { board, entry, team } from '../fakes/boards.ts';
import { shanghai } from '../fakes/fake-clock.ts';
import { messagingWorld, type Instance, type World } from '../fakes/messaging-world.ts';

const content = (body: Record<string, unknown>) => (body.markdown as { content?: string; text?: string });
const text = (body: Record<string, unknown>) => content(body).content ?? content(body).text ?? '';

describe('delivery across instances, crashes and failures', () => {
  let w: World;
  let tenantId: Types.ObjectId;
  let instances: Instance[];

  const schedulerOf = (i: number) => instances[i]!.services.jobs.scheduler({ clock: w.clock, instanceId: `i${i}`, board: w.board });
  const senderOf = (i: number) => instances[i]!.services.messages.sender({ clock: w.clock, instanceId: `i${i}` });

  /** One plain markdown message on a channel, written as a job would. */
  function robotMessage(period: string, robotId: string, body: string, kind: 'wecomRobot' | 'dingtalkRobot' = 'wecomRobot'): OutgoingMessage {
    const payload = kind === 'wecomRobot' ? { msgtype: 'markdown', markdown: { content: body } } : { msgtype: 'markdown', markdown: { title: body, text: body }, at: { atUserIds: [], isAtAll: false } };
    return { tenantId, job: 'test', period, target: body, channel: { kind, robotId }, title: body, payloads: [payload], expiresAt: new Date(w.clock.now().getTime() + 3_600_000) };
  }

  beforeAll(async () => {
    w = await messagingWorld();
    tenantId = new Types.ObjectId(w.tenantId);
    const admin = as(w.t.server, await w.t.login(w.code, 'admin'));
    await ok(await admin.put('/api/settings/notifications').send({ channels: { teams: [{ managerId: w.users.manager, robotIds: ['team-wecom', 'team-ding'] }] } }));
    instances = [{ services: w.t.services, models: w.t.models, close: async () => undefined }, await w.instance(), await w.instance()];
    w.boards.next = (date) => board(date, [team(w.users.manager!, '王经理', [entry('张伟', 'zhangwei', 'red', { repId: w.users.rep })], [], 1)]);
  });
  afterAll(async () => { await w.close(); });

  it('three instances firing the same schedule: one run per job, each message arrives exactly once', async () => {
    await w.t.models.Task.create({ tenantId, visitId: new Types.ObjectId(), repId: w.users.rep, customerId: new Types.ObjectId(), kind: 'followUp', title: '送样品', dueDate: '2027-03-11', status: 'open', createdAt: new Date() });
    w.clock.set('2027-03-11 09:00'); // the 08:30 board and the 09:00 follow-ups are both due
    const runs = (await Promise.all([0, 1, 2].map((i) => schedulerOf(i).runDue()))).flat();
    for (const job of ['dailyBoard', 'followUpReminder']) {
      expect(runs.filter((r) => r.job === job).map((r) => r.status).sort(), job).toEqual(['ran', 'taken', 'taken']);
    }
    expect(w.boards.asked).toEqual(['2027-03-10']); // the board was computed by one instance only
    for (let round = 0; round < 3; round += 1) await Promise.all([0, 1, 2].map((i) => senderOf(i).runOnce()));

    expect(w.robots.of('wecom:wk-team')).toHaveLength(1);
    expect(w.robots.of('dingtalk:dt-team')).toHaveLength(1);
    expect(w.wecomInbox.delivered.map((m) => m.to)).toEqual(['zhangwei']);
    expect(w.wecomInbox.calls).toBe(1); // not even a deduplicated second call
    const logged = (await w.t.models.Outbox.find({ tenantId }).lean()).flatMap((m) => m.log);
    expect(logged).toHaveLength(3);
    const jobRuns = await w.t.models.JobRun.find({ tenantId, period: '2027-03-11' }).lean();
    expect(jobRuns.filter((r) => r.job === 'dailyBoard' || r.job === 'followUpReminder').map((r) => [r.job, r.attempt, r.status]).sort())
      .toEqual([['dailyBoard', 1, 'done'], ['followUpReminder', 1, 'done']]);
  });

  it('an instance that dies after writing, before sending: the next one sends, once', async () => {
    w.clock.set('2027-03-12 08:30');
    await schedulerOf(0).runDue(); // instance 0 writes the board … and dies before its sender runs
    expect(await w.t.models.Outbox.countDocuments({ tenantId, period: '2027-03-12', status: 'pending' })).toBe(2);
    await senderOf(1).runOnce(); // restarted elsewhere
    await senderOf(2).runOnce();
    await senderOf(1).runOnce();
    expect(w.robots.of('wecom:wk-team').filter((d) => text(d.body).includes('3月11日'))).toHaveLength(1);
    expect(w.robots.of('dingtalk:dt-team').filter((d) => text(d.body).includes('3月11日'))).toHaveLength(1);
  });

  it('an instance that dies holding a claim: nobody sends while its lease runs, then one retry sends it once', async () => {
    w.clock.set('2027-03-13 10:00');
    await instances[0]!.services.messages.enqueue([robotMessage('claimed', 'team-wecom', '认领后崩溃')], w.clock.now());
    const store = outboxStore(w.t.models);
    const [m] = await store.unfinished(tenantId, 'robot:team-wecom');
    expect(await store.claim(m!, 'dead', w.clock.now(), 60_000)).toMatchObject({ n: 1 });

    await Promise.all([1, 2].map((i) => senderOf(i).runOnce()));
    expect(w.robots.of('wecom:wk-team').filter((d) => text(d.body) === '认领后崩溃')).toHaveLength(0);
    w.clock.advance(61_000);
    await Promise.all([1, 2].map((i) => senderOf(i).runOnce()));
    await senderOf(1).runOnce();
    expect(w.robots.of('wecom:wk-team').filter((d) => text(d.body) === '认领后崩溃')).toHaveLength(1);
    const { log } = (await w.t.models.Outbox.findOne({ tenantId, _id: m!._id }).lean())!;
    expect(log.map((a) => [a.n, a.outcome])).toEqual([[1, 'abandoned'], [2, 'sent']]);
  });

  it('a crash after the host accepted (answer lost): WeCom app messages are deduplicated by WeCom; a robot gets at most one copy more', async () => {
    w.clock.set('2027-03-14 10:00');
    const store = outboxStore(w.t.models);
    const messaging = hostMessaging(w.t.config, hostApps(w.t.config));
    const draft = eveningReminderDraft({ repName: '张伟', date: '2027-03-14', visits: [{ customerName: '华联超市', status: 'checkedIn', startedAt: shanghai('2027-03-14 09:00') }] });
    const personal: OutgoingMessage = {
      tenantId, job: 'test', period: 'lost-answer', target: w.users.rep!, channel: { kind: 'wecomApp', userId: new Types.ObjectId(w.users.rep), hostUserId: 'zhangwei' },
      title: draft.title, payloads: render(draft, 'wecomApp', 'zhangwei').payloads, expiresAt: new Date(w.clock.now().getTime() + 3_600_000),
    };
    await w.t.services.messages.enqueue([personal, robotMessage('lost-answer', 'team-ding', '回执丢失', 'dingtalkRobot')], w.clock.now());
    // The dying instance claims both and the hosts accept both, but it never records the answers.
    for (const key of ['wecomApp:zhangwei', 'robot:team-ding']) {
      const [m] = await store.unfinished(tenantId, key);
      await store.claim(m!, 'dead', w.clock.now(), 60_000);
      await messaging.send({ code: w.code, hosts: (await w.t.models.Tenant.findOne({ code: w.code }).lean())!.hosts } as never, { kind: m!.channel.kind as never, robotId: m!.channel.robotId }, JSON.parse(m!.parts[0]!) as Record<string, unknown>);
    }
    const callsBefore = w.wecomInbox.calls;
    w.clock.advance(61_000);
    for (let round = 0; round < 3; round += 1) await Promise.all([1, 2].map((i) => senderOf(i).runOnce()));
    expect(w.wecomInbox.calls).toBe(callsBefore + 1); // re-sent once …
    expect(w.wecomInbox.delivered.filter((m) => text(m.body).includes('3月14日'))).toHaveLength(1); // … and WeCom dropped the repeat
    expect(w.robots.of('dingtalk:dt-team').filter((d) => text(d.body) === '回执丢失')).toHaveLength(2); // the documented bound: one extra copy
    const done = await w.t.models.Outbox.find({ tenantId, period: 'lost-answer' }).lean<OutboxDoc[]>();
    expect(done.map((m) => m.status)).toEqual(['sent', 'sent']);
  });

  it('a job run whose holder died is taken over once its lease is over, and runs once', async () => {
    w.clock.set('2027-03-15 08:30');
    const dead = jobLeases(w.t.models, { holder: 'dead', leaseMs: 10 * 60_000 });
    const key = { tenantId, job: 'dailyBoard', period: '2027-03-15', scheduledFor: shanghai('2027-03-15 08:30') };
    expect(await dead.claim(key, w.clock.now(), false)).toBe(1);
    expect((await schedulerOf(1).runDue()).find((r) => r.job === 'dailyBoard')).toMatchObject({ status: 'taken' });
    w.clock.advance(10 * 60_000 + 1000);
    const runs = (await Promise.all([1, 2].map((i) => schedulerOf(i).runDue()))).flat().filter((r) => r.job === 'dailyBoard');
    expect(runs.map((r) => r.status).sort()).toEqual(['ran', 'taken']);
    await senderOf(2).runOnce();
    expect(w.robots.of('wecom:wk-team').filter((d) => text(d.body).includes('3月14日'))).toHaveLength(1);
    const run = await w.t.models.JobRun.findOne({ tenantId, _id: `${w.tenantId}:dailyBoard:2027-03-15` }).lean();
    expect(run).toMatchObject({ attempt: 2, status: 'done' });
  });

  it('a webhook that answers 500, times out, rate-limits, then succeeds: the message arrives once, in order, the next one waits', async () => {
    w.clock.set('2027-03-16 11:00');
    const sender = senderOf(0);
    await w.t.services.messages.enqueue([robotMessage('flaky', 'team-wecom', '第一条'), robotMessage('flaky', 'team-wecom', '第二条')], w.clock.now());
    w.robots.script('/cgi-bin/webhook/send',
      { json: { errcode: -1, errmsg: 'system error' }, status: 500 },
      { json: { errcode: 0, errmsg: 'ok' }, delayMs: 1500 }, // longer than the client's 400 ms timeout
      { json: { errcode: 45009, errmsg: 'api freq out of limit' } });
    const flaky = () => w.robots.of('wecom:wk-team').filter((d) => ['第一条', '第二条'].includes(text(d.body))).map((d) => text(d.body));

    await sender.runOnce(); // 500
    w.clock.advance(10_000);
    await sender.runOnce(); // timeout
    w.clock.advance(20_000);
    await sender.runOnce(); // 45009: wait at least a minute
    expect(flaky()).toEqual([]);
    const calls = w.robots.calls('/cgi-bin/webhook/send');
    w.clock.advance(59_000);
    await sender.runOnce();
    expect(w.robots.calls('/cgi-bin/webhook/send')).toBe(calls); // still waiting out the rate limit
    w.clock.advance(1000);
    await sender.runOnce();
    expect(flaky()).toEqual(['第一条', '第二条']);
    await sender.runOnce();
    expect(flaky()).toEqual(['第一条', '第二条']);

    const log = await ok(await as(w.t.server, await w.t.login(w.code, 'admin')).get('/api/messages/log?from=2027-03-16&channel=robot:team-wecom'));
    const first = (log.items as { title: string; status: string; attempts: { outcome: string; code: string | null }[] }[]).find((i) => i.title === '第一条')!;
    expect(first.status).toBe('sent');
    expect(first.attempts.map((a) => [a.outcome, a.code])).toEqual([['retry', 'WECOM_TRANSPORT'], ['retry', 'WECOM_TRANSPORT'], ['rateLimited', 'WECOM_45009'], ['sent', null]]);
  });

  it('keeps each robot at 20 messages a minute, across instances', async () => {
    w.clock.set('2027-03-17 11:00');
    const many = Array.from({ length: 25 }, (_, i) => robotMessage('burst', 'team-ding', `消息${String(i).padStart(2, '0')}`, 'dingtalkRobot'));
    await w.t.services.messages.enqueue(many, w.clock.now());
    const burst = () => w.robots.of('dingtalk:dt-team').filter((d) => text(d.body).startsWith('消息')).map((d) => text(d.body));
    await Promise.all([0, 1, 2].map((i) => senderOf(i).runOnce()));
    expect(burst()).toHaveLength(20);
    w.clock.advance(30_000);
    await Promise.all([0, 1, 2].map((i) => senderOf(i).runOnce()));
    expect(burst()).toHaveLength(20);
    w.clock.advance(31_000);
    await Promise.all([0, 1, 2].map((i) => senderOf(i).runOnce()));
    expect(burst()).toEqual(many.map((m) => m.title));
    expect(w.robots.refused).toEqual([]);
  });

  it('a missed 08:30 run is caught up once on start; a second start does not repeat it', async () => {
    w.clock.set('2027-04-01 09:10'); // every instance was down at 08:30
    const first = schedulerOf(0);
    const caught = await first.start();
    expect(caught.find((r) => r.job === 'dailyBoard')).toMatchObject({ status: 'ran', period: '2027-04-01', late: true });
    expect(first.scheduled().get(`${w.tenantId}|dailyBoard`)).toBe('30 8 * * *');
    expect(first.scheduled().get(`${w.tenantId}|weeklySummary`)).toBe('0 9 * * 1');
    await first.stop();
    await senderOf(0).runOnce();

    w.clock.set('2027-04-01 09:20'); // restarted
    const second = schedulerOf(1);
    const again = await second.start();
    await second.stop();
    expect(again.find((r) => r.job === 'dailyBoard')).toMatchObject({ status: 'taken' });
    w.clock.set('2027-04-01 13:00'); // outside the catch-up window: not even looked at
    expect((await schedulerOf(2).runDue()).find((r) => r.job === 'dailyBoard')).toBeUndefined();
    await senderOf(1).runOnce();
    expect(w.robots.of('wecom:wk-team').filter((d) => text(d.body).includes('3月31日'))).toHaveLength(1);
    expect(await w.t.models.JobRun.countDocuments({ tenantId, job: 'dailyBoard', period: '2027-04-01' })).toBe(1);
  });
});
