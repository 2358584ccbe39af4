// The notification settings an admin keeps (job times, team robots) and the delivery log: defaults, partial
// updates, refusals with pointers, robots listed without their credentials, who may see what.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { ok } from '../helpers/visit-flow.ts';
import { DING_SECRET, messagingWorld, type World } from '../fakes/messaging-world.ts';

describe('notification settings and the delivery log', () => {
  let w: World;
  let admin: ReturnType<typeof as>;
  let manager: ReturnType<typeof as>;
  let rep: ReturnType<typeof as>;

  beforeAll(async () => {
    w = await messagingWorld();
    admin = as(w.t.server, await w.t.login(w.code, 'admin'));
    manager = as(w.t.server, await w.t.login(w.code, 'manager'));
    rep = as(w.t.server, await w.t.login(w.code, 'rep'));
  });
  afterAll(async () => { await w.close(); });

  it('shows the default schedule and the configured robots, never their webhooks or secrets', async () => {
    const res = await admin.get('/api/settings/notifications');
    expect(res.status).toBe(200);
    expect(res.body.schedule).toMatchObject({
      dailyBoard: { enabled: true, time: '08:30' }, eveningReminder: { time: '18:30' }, followUpReminder: { time: '09:00' },
      planReminder: { draftDueDay: 25 }, reportReminder: { minute: 0, hoursLeft: 4 }, weeklySummary: { weekday: 1, time: '09:00' },
      callbackSample: { time: '09:30', perRep: 2 }, visitCards: { enabled: true },
    });
    expect(res.body.channels).toEqual({ personalHost: null, teams: [], defaultRobotIds: [] });
    expect(res.body.personalHostInUse).toBe('wecom');
    expect(res.body.robots).toEqual([{ id: 'team-wecom', host: 'wecom' }, { id: 'team-ding', host: 'dingtalk' }, { id: 'all-hands', host: 'wecom' }]);
    const raw = JSON.stringify(res.body);
    for (const secret of ['wk-team', 'dt-team', DING_SECRET, 'webhook']) expect(raw).not.toContain(secret);
  });

  it('changes only what is sent, keeps it, and reschedules from it', async () => {
    const res = await admin.put('/api/settings/notifications').send({
      schedule: { dailyBoard: { time: '07:45' }, weeklySummary: { weekday: 5 } },
      channels: { teams: [{ managerId: w.users.manager, robotIds: ['team-ding'] }], defaultRobotIds: ['all-hands'] },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const again = await ok(await admin.get('/api/settings/notifications'));
    expect(again.schedule).toMatchObject({ dailyBoard: { enabled: true, time: '07:45' }, eveningReminder: { time: '18:30' }, weeklySummary: { weekday: 5, time: '09:00' } });
    expect(again.channels).toEqual({ personalHost: null, teams: [{ managerId: w.users.manager, robotIds: ['team-ding'] }], defaultRobotIds: ['all-hands'] });
    const scheduler = w.t.services.jobs.scheduler({ clock: w.clock, instanceId: 'x', board: w.board });
    await scheduler.sync();
    expect(scheduler.scheduled().get(`${w.tenantId}|dailyBoard`)).toBe('45 7 * * *');
    expect(scheduler.scheduled().get(`${w.tenantId}|weeklySummary`)).toBe('0 9 * * 5');
    await ok(await admin.put('/api/settings/notifications').send({ schedule: { dailyBoard: { enabled: false } } }));
    await scheduler.sync();
    expect(scheduler.scheduled().has(`${w.tenantId}|dailyBoard`)).toBe(false);
    await scheduler.stop();
  });

  it('refuses unknown robots, unknown managers, bad times and unconnected hosts, changing nothing', async () => {
    const before = await ok(await admin.get('/api/settings/notifications'));
    const res = await admin.put('/api/settings/notifications').send({
      schedule: { eveningReminder: { time: '19:00' } },
      channels: { teams: [{ managerId: w.users.manager, robotIds: ['team-ding', 'nope'] }, { managerId: '0123456789abcdef01234567', robotIds: [] }], defaultRobotIds: ['gone'] },
    });
    expectError(res, 400, 'VALIDATION_FAILED');
    expect(res.body.error.details.map((d: { field: string; code: string }) => [d.field, d.code])).toEqual([
      ['/channels/teams/0/robotIds/1', 'ROBOT_NOT_CONFIGURED'],
      ['/channels/teams/1/managerId', 'NOT_FOUND'],
      ['/channels/defaultRobotIds/0', 'ROBOT_NOT_CONFIGURED'],
    ]);
    const bad = await admin.put('/api/settings/notifications').send({ schedule: { dailyBoard: { time: '8:30' }, reportReminder: { minute: 60 } } });
    expectError(bad, 400, 'VALIDATION_FAILED');
    expect(bad.body.error.details.map((d: { field: string }) => d.field).sort()).toEqual(['/schedule/dailyBoard/time', '/schedule/reportReminder/minute']);
    await w.t.models.Tenant.updateOne({ code: w.code }, { $unset: { 'hosts.dingtalk': 1 } });
    const host = await admin.put('/api/settings/notifications').send({ channels: { personalHost: 'dingtalk' } });
    expectError(host, 400, 'VALIDATION_FAILED');
    expect(host.body.error.details[0]).toMatchObject({ field: '/channels/personalHost', code: 'HOST_NOT_CONFIGURED' });
    expect(await ok(await admin.get('/api/settings/notifications'))).toEqual(before);
  });

  it('previews the board message of a team as the morning job would send it, without sending anything', async () => {
    const outboxBefore = await w.t.models.Outbox.countDocuments({ tenantId: w.tenantId });
    const mine = await manager.get('/api/messages/preview/board?date=2027-03-10');
    expect(mine.status, JSON.stringify(mine.body)).toBe(200);
    expect(mine.body).toMatchObject({ date: '2027-03-10', host: 'wecom', kind: 'wecomRobot', team: w.users.manager, limitBytes: 4096 });
    const [part, ...more] = mine.body.messages as { part: number; bytes: number; payload: { msgtype: string; markdown: { content: string } } }[];
    expect(more).toEqual([]);
    expect(part!.payload.msgtype).toBe('markdown');
    expect(part!.bytes).toBeLessThanOrEqual(4096);
    expect(part!.payload.markdown.content.startsWith('**销售动作红绿灯 · 3月10日**')).toBe(true);
    expect(part!.payload.markdown.content).toContain('王经理团队');
    expect(part!.payload.markdown.content).toContain(`/console/#/board?team=${w.users.manager}&date=2027-03-10`);

    const ding = await ok(await admin.get(`/api/messages/preview/board?date=2027-03-10&host=dingtalk&managerId=${w.users.manager}`));
    expect(ding).toMatchObject({ kind: 'dingtalkRobot', limitBytes: 20000 });
    expect((ding.messages as { payload: unknown }[])[0]!.payload).toMatchObject({ msgtype: 'markdown', markdown: { title: '销售动作红绿灯 · 3月10日' }, at: { isAtAll: false } });

    expectError(await manager.get(`/api/messages/preview/board?managerId=${w.users.admin}`), 403, 'FORBIDDEN');
    expectError(await rep.get('/api/messages/preview/board'), 403, 'FORBIDDEN');
    expectError(await admin.get('/api/messages/preview/board?host=feishu'), 400, 'VALIDATION_FAILED');
    expect(await w.t.models.Outbox.countDocuments({ tenantId: w.tenantId })).toBe(outboxBefore);
    expect(w.robots.delivered).toEqual([]);
  });

  it('lets only admins change settings; managers read the log; reps see neither', async () => {
    expectError(await manager.put('/api/settings/notifications').send({}), 403, 'FORBIDDEN');
    expectError(await manager.get('/api/settings/notifications'), 403, 'FORBIDDEN');
    expectError(await rep.get('/api/messages/log'), 403, 'FORBIDDEN');
    expect((await manager.get('/api/messages/log?from=2027-03-01')).status).toBe(200);
  });

  it('checks the log range and channel filter', async () => {
    expectError(await admin.get('/api/messages/log?from=2027-03-10&to=2027-03-01'), 400, 'VALIDATION_FAILED');
    expectError(await admin.get('/api/messages/log?from=2027-01-01&to=2027-03-01'), 400, 'VALIDATION_FAILED');
    expectError(await admin.get('/api/messages/log?channel=email'), 400, 'VALIDATION_FAILED');
    w.clock.set('2027-03-02 10:00');
    await w.t.services.messages.enqueue([{
      tenantId: (await w.t.models.Tenant.findOne({ code: w.code }).lean())!._id, job: 'test', period: 'p', target: 'x', channel: { kind: 'wecomRobot', robotId: 'all-hands' },
      title: '测试消息', payloads: [{ msgtype: 'markdown', markdown: { content: '测试消息' } }], expiresAt: new Date(w.clock.now().getTime() + 60_000),
    }], w.clock.now());
    const pending = await ok(await admin.get('/api/messages/log?from=2027-03-02&channel=wecomRobot'));
    expect(pending.items).toEqual([expect.objectContaining({ title: '测试消息', status: 'pending', attempts: [], sentAt: null, channel: expect.objectContaining({ key: 'robot:all-hands' }) })]);
    expect((await ok(await admin.get('/api/messages/log?from=2027-03-02&channel=wecomApp'))).items).toEqual([]);
    // Not sent before it expired: given up, and the log says so.
    w.clock.advance(61_000);
    await w.t.services.messages.sender({ clock: w.clock, instanceId: 'x' }).runOnce();
    const expired = await ok(await admin.get('/api/messages/log?from=2027-03-02'));
    expect(expired.items).toEqual([expect.objectContaining({ status: 'expired', lastError: expect.objectContaining({ code: 'EXPIRED' }) })]);
    expect(w.robots.of('wecom:wk-all')).toEqual([]);
  });
});
