// A tenant wired for messages, against fakes of everything outside: WeCom and DingTalk (app messages, work
// notifications), their chat robots, a fake clock, and more app instances on the same database when a test needs
// several servers. The board comes from a hand-made source the test controls (what kpis.dailyBoard returns).
import type { Connection } from 'mongoose';
import { openConnection } from '../../server/db/connection.ts';
import { ensureIndexes, registerModels, type Models } from '../../server/db/models.ts';
import { buildApp } from '../../server/app.ts';
import type { Services } from '../../server/services.ts';
import type { DailyBoard } from '../../server/kpis/board-types.ts';
import type { BoardSource } from '../../server/messages/messages.service.ts';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { startFakeWecom, type FakeWecom } from './wecom-server.ts';
import { startFakeDingtalk, type FakeDingtalk } from './dingtalk-server.ts';
import { startFakeRobots, type FakeRobots } from './robot-server.ts';
import { addDingtalkWorkNotices, addWecomAppMessages, type MessageInbox } from './message-endpoints.ts';
import { FakeClock } from './fake-clock.ts';

export const PUBLIC_URL = 'https://visits.example.com';
export const WECOM_AGENT = '1000002';
export const DINGTALK_AGENT = '300001';
export const DING_SECRET = 'SECb2f1c7e0a9d4431e8f0c6a5b3d2e1f0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4';
/** Host userids of the seeded users. */
export const HOST_IDS = { admin: 'it-admin', manager: 'wang', rep: 'zhangwei', rep2: 'liuyang' } as const;

export interface Instance { services: Services; models: Models; close(): Promise<void> }

export interface World {
  t: TestApp;
  code: string;
  tenantId: string;
  users: Record<string, string>;
  wecom: FakeWecom;
  dingtalk: FakeDingtalk;
  robots: FakeRobots;
  wecomInbox: MessageInbox;
  dingInbox: MessageInbox;
  clock: FakeClock;
  /** What the board source answers; the dates it was asked for. */
  boards: { next: (date: string) => DailyBoard; asked: string[] };
  board: BoardSource;
  /** Another server instance on the same database (its own services, token caches and HTTP clients). */
  instance(): Promise<Instance>;
  close(): Promise<void>;
}

export async function messagingWorld(opts: { code?: string; hostTimeoutMs?: number } = {}): Promise<World> {
  const code = opts.code ?? 'acme';
  const wecom = await startFakeWecom();
  const dingtalk = await startFakeDingtalk();
  const robots = await startFakeRobots();
  const clock = new FakeClock('2027-03-01 00:00');
  robots.now = () => clock.now().getTime();
  const hostSecrets = {
    [code]: {
      wecom: { secret: wecom.secret },
      dingtalk: { appSecret: dingtalk.appSecret },
      robots: {
        'team-wecom': { host: 'wecom' as const, webhook: robots.wecomRobot('wk-team') },
        'team-ding': { host: 'dingtalk' as const, webhook: robots.dingtalkRobot('dt-team', DING_SECRET), secret: DING_SECRET },
        'all-hands': { host: 'wecom' as const, webhook: robots.wecomRobot('wk-all') },
      },
    },
  };
  const t = await createTestApp({ wecomApiBase: wecom.url, dingtalkOapiBase: dingtalk.url, hostSecrets, hostTimeoutMs: opts.hostTimeoutMs ?? 400, publicUrl: PUBLIC_URL });
  const { tenantId, users } = await t.seedTenant(code);
  await t.models.Tenant.updateOne({ code }, { $set: {
    host: 'wecom',
    hosts: {
      wecom: { corpId: wecom.corpId, agentId: WECOM_AGENT, autoProvision: false },
      dingtalk: { corpId: 'ding-corp-1', agentId: DINGTALK_AGENT, clientId: dingtalk.appKey, autoProvision: false },
    },
  } });
  for (const [username, hostUserId] of Object.entries(HOST_IDS)) await t.models.User.updateOne({ tenantId, username }, { $set: { hostUserId } });
  const wecomInbox = addWecomAppMessages(wecom, WECOM_AGENT);
  const dingInbox = addDingtalkWorkNotices(dingtalk, DINGTALK_AGENT);
  wecomInbox.now = () => clock.now().getTime();
  dingInbox.now = () => clock.now().getTime();

  const boards: World['boards'] = { next: () => { throw new Error('no board prepared'); }, asked: [] };
  const board: BoardSource = {
    async dailyBoard(_tenantId, date) {
      boards.asked.push(date);
      return boards.next(date);
    },
  };
  const extra: Connection[] = [];

  return {
    t, code, tenantId, users, wecom, dingtalk, robots, wecomInbox, dingInbox, clock, boards, board,
    async instance() {
      const conn = await openConnection(t.config.mongoUri, t.config.mongoDb);
      extra.push(conn);
      const models = registerModels(conn);
      await ensureIndexes(models);
      const { services } = buildApp({ config: t.config, conn, models });
      return { services, models, close: () => conn.close() };
    },
    async close() {
      for (const c of extra) await c.close().catch(() => undefined);
      await t.close();
      await wecom.close();
      await dingtalk.close();
      await robots.close();
    },
  };
}
