// The WeCom client against a fake WeCom that follows the documented contracts: one token for many concurrent calls,
// refresh-and-retry once on an expired token, host errcodes mapped to our catalog (errcode kept in the details),
// timeouts, tickets, legacy getuserinfo fields, and media/get refusing JSON error bodies.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { wecomClient, type WecomClient } from '../../../server/hosts/wecom/wecom.client.ts';
import { hostHttp } from '../../../server/hosts/common/host-http.ts';
import { TokenCache } from '../../../server/hosts/common/token-cache.ts';
import { AppError } from '../../../server/http/errors.ts';
import { startFakeWecom, type FakeWecom } from '../../fakes/wecom-server.ts';

const JPEG = Buffer.from('/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAgGBgcGBQgHBwcJCQgKDBQNDAsLDBkSEw8UHRofHh0aHBwgJC4nICIsIxwcKDcpLDAxNDQ0Hyc5PTgyPC4zNDL/wAALCAABAAEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAACf/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AKp//2Q==', 'base64');

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e, 'expected a failure').toBeInstanceOf(AppError);
  return e as AppError;
}

describe('WeCom client', () => {
  let fake: FakeWecom;
  let client: WecomClient;
  const make = (opts: { secret?: string; timeoutMs?: number } = {}) => wecomClient(
    { corpId: fake.corpId, agentId: '1000002', secret: opts.secret ?? fake.secret },
    { http: hostHttp(fake.url, opts.timeoutMs ?? 2000), tokens: new TokenCache(), mediaMaxBytes: 1024 * 1024 },
  );

  beforeAll(async () => {
    fake = await startFakeWecom();
    fake.addDept({ id: 1, name: '总部', parentid: 0, department_leader: ['boss'] })
      .addDept({ id: 2, name: '华东销售部', parentid: 1, department_leader: ['lead'] })
      .addUser({ userid: 'boss', name: '赵总', department: [1] })
      .addUser({ userid: 'lead', name: '钱经理', department: [2, 1], main_department: 2 })
      .addUser({ userid: 'rep1', name: '孙业务', department: [2] });
    fake.media.set('MEDIA_OK', { contentType: 'image/jpeg', bytes: JPEG });
  });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => {
    fake.ipBlocked = false;
    fake.delay('/cgi-bin/user/get', 0);
    client = make();
    fake.resetCounts();
  });

  it('20 concurrent calls fetch one token', async () => {
    const users = await Promise.all(Array.from({ length: 20 }, () => client.user('rep1')));
    expect(users.every((u) => u.name === '孙业务')).toBe(true);
    expect(fake.calls('/cgi-bin/gettoken')).toBe(1);
    expect(fake.calls('/cgi-bin/user/get')).toBe(20);
  });

  it.each([42001, 40014] as const)('an expired token (%i) is refreshed once and the call retried', async (code) => {
    await client.user('rep1');
    fake.expireTokens(code);
    const user = await client.user('boss');
    expect(user).toEqual({ id: 'boss', name: '赵总', departmentIds: ['1'], mainDepartmentId: '1' });
    expect(fake.calls('/cgi-bin/gettoken')).toBe(2);
    expect(fake.calls('/cgi-bin/user/get')).toBe(3);
  });

  it('20 concurrent calls that meet an expired token share one refresh', async () => {
    await client.user('rep1');
    fake.expireTokens();
    await Promise.all(Array.from({ length: 20 }, () => client.user('rep1')));
    expect(fake.calls('/cgi-bin/gettoken')).toBe(2);
  });

  it('a token refused again after the refresh is not retried forever', async () => {
    await client.user('rep1');
    fake.script('/cgi-bin/user/get', { json: { errcode: 42001, errmsg: 'access_token expired' } }, { json: { errcode: 42001, errmsg: 'access_token expired' } }, { json: { errcode: 42001, errmsg: 'x' } });
    const err = await appError(client.user('rep1'));
    expect(err.code).toBe('HOST_UNAVAILABLE');
    expect(fake.calls('/cgi-bin/user/get')).toBe(3); // the warm-up call, then the call and one retry
    expect(fake.calls('/cgi-bin/gettoken')).toBe(2);
  });

  it('maps host refusals to catalog codes and keeps errcode/errmsg in the details', async () => {
    fake.script('/cgi-bin/user/get', { json: { errcode: 45009, errmsg: 'api freq out of limit' } }, { json: { errcode: -1, errmsg: 'system busy' } });
    const limited = await appError(client.user('rep1'));
    expect(limited.code).toBe('HOST_RATE_LIMITED');
    expect(limited.status).toBe(503);
    expect(limited.details[0]).toMatchObject({ code: 'WECOM_45009' });
    expect(limited.details[0]?.message_en).toContain('api freq out of limit');
    expect((await appError(client.user('rep1'))).code).toBe('HOST_RATE_LIMITED');

    fake.ipBlocked = true;
    const ip = await appError(make().user('rep1'));
    expect(ip.code).toBe('HOST_IP_NOT_ALLOWED');
    expect(ip.details[0]?.message_en).toContain('203.0.113.7');
  });

  it('a wrong secret is HOST_CREDENTIALS_INVALID, not retried', async () => {
    const err = await appError(make({ secret: 'wrong' }).user('rep1'));
    expect(err.code).toBe('HOST_CREDENTIALS_INVALID');
    expect(err.details[0]?.code).toBe('WECOM_40001');
    expect(fake.calls('/cgi-bin/gettoken')).toBe(1);
    expect(fake.calls('/cgi-bin/user/get')).toBe(0);
  });

  it('a slow host times out as HOST_UNAVAILABLE', async () => {
    fake.delay('/cgi-bin/user/get', 1500);
    const started = Date.now();
    const err = await appError(make({ timeoutMs: 200 }).user('rep1'));
    expect(err.code).toBe('HOST_UNAVAILABLE');
    expect(err.details[0]?.code).toBe('WECOM_TRANSPORT');
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('login codes: userid, single use (40029), legacy UserId/DeviceId, and non-members', async () => {
    const code = fake.issueCode({ userId: 'rep1' });
    expect(await client.userFromCode(code)).toEqual({ userId: 'rep1' });
    const reused = await appError(client.userFromCode(code));
    expect(reused.code).toBe('HOST_AUTH_CODE_INVALID');
    expect(reused.details[0]?.code).toBe('WECOM_40029');
    expect(await client.userFromCode(fake.issueCode({ userId: 'lead', legacy: true, deviceId: 'dev-legacy' }))).toEqual({ userId: 'lead', deviceId: 'dev-legacy' });
    expect((await appError(client.userFromCode(fake.issueCode({ openid: 'o-123' })))).code).toBe('HOST_USER_NOT_LINKED');
  });

  it('tickets: corp and agent_config tickets, each fetched once for many signatures', async () => {
    const corp = await Promise.all(Array.from({ length: 20 }, () => client.jsapiTicket('corp')));
    const agent = await Promise.all(Array.from({ length: 5 }, () => client.jsapiTicket('agent')));
    expect(new Set(corp)).toEqual(new Set([fake.corpTicket]));
    expect(new Set(agent)).toEqual(new Set([fake.agentTicket]));
    expect(fake.calls('/cgi-bin/get_jsapi_ticket')).toBe(1);
    expect(fake.calls('/cgi-bin/ticket/get')).toBe(1);
    expect(fake.log.find((r) => r.path === '/cgi-bin/ticket/get')?.query.get('type')).toBe('agent_config');
    expect(fake.calls('/cgi-bin/gettoken')).toBe(1);
  });

  it('directory: departments with leaders, users with their main department', async () => {
    const dir = await client.directory();
    expect(dir.departments.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: '1', name: '总部', parentId: null, leaderIds: ['boss'] },
      { id: '2', name: '华东销售部', parentId: '1', leaderIds: ['lead'] },
    ]);
    const lead = dir.users.find((u) => u.id === 'lead');
    expect(lead).toEqual({ id: 'lead', name: '钱经理', departmentIds: ['2', '1'], mainDepartmentId: '2' });
    expect(dir.users.map((u) => u.id).sort()).toEqual(['boss', 'lead', 'rep1']);
  });

  it('media: bytes for an image, HOST_MEDIA_INVALID for a JSON error body, retry on an expired token', async () => {
    expect((await client.media('MEDIA_OK')).equals(JPEG)).toBe(true);
    const missing = await appError(client.media('NO_SUCH_MEDIA'));
    expect(missing.code).toBe('HOST_MEDIA_INVALID');
    expect(missing.details[0]?.code).toBe('WECOM_40007');
    fake.script('/cgi-bin/media/get', { json: { errmsg: 'weird' } });
    expect((await appError(client.media('MEDIA_OK'))).code).toBe('HOST_MEDIA_INVALID');
    fake.expireTokens();
    expect((await client.media('MEDIA_OK')).length).toBe(JPEG.length);
  });

  it('media larger than the photo limit is refused while downloading', async () => {
    fake.media.set('HUGE', { contentType: 'image/jpeg', bytes: Buffer.alloc(2 * 1024 * 1024, 1) });
    expect((await appError(client.media('HUGE'))).code).toBe('PHOTO_TOO_LARGE');
  });
});
