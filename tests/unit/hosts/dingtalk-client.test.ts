// The DingTalk client against a fake oapi server: token caching and refresh (including errcode 88 + sub_code),
// login codes with device_id (second use → 40078), the paged directory, and image downloads only from allowed hosts.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import axios from 'axios';
import { dingtalkClient, type DingtalkClient } from '../../../server/hosts/dingtalk/dingtalk.client.ts';
import { hostHttp } from '../../../server/hosts/common/host-http.ts';
import { TokenCache } from '../../../server/hosts/common/token-cache.ts';
import { AppError } from '../../../server/http/errors.ts';
import { startFakeDingtalk, type FakeDingtalk } from '../../fakes/dingtalk-server.ts';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8DwHwAFBQIAX8jx0gAAAABJRU5ErkJggg==', 'base64');

async function appError(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(() => null, (err: unknown) => err);
  expect(e, 'expected a failure').toBeInstanceOf(AppError);
  return e as AppError;
}

describe('DingTalk client', () => {
  let fake: FakeDingtalk;
  let client: DingtalkClient;
  const make = (opts: { secret?: string; mediaHosts?: string[]; timeoutMs?: number } = {}) => dingtalkClient(
    { corpId: 'ding-corp', agentId: '300001', clientId: fake.appKey, appSecret: opts.secret ?? fake.appSecret },
    { http: hostHttp(fake.url, opts.timeoutMs ?? 2000), media: axios.create({ timeout: 2000 }), tokens: new TokenCache(), mediaMaxBytes: 1024 * 1024, mediaHosts: opts.mediaHosts ?? [fake.url] },
  );

  beforeAll(async () => {
    fake = await startFakeDingtalk();
    fake.addDept({ dept_id: 1, name: '某某公司', dept_manager_userid_list: ['ceo'] })
      .addDept({ dept_id: 10, name: '销售一部', parent_id: 1, dept_manager_userid_list: ['m1'] })
      .addDept({ dept_id: 11, name: '销售一组', parent_id: 10 })
      .addUser({ userid: 'ceo', name: '周总', dept_id_list: [1] })
      .addUser({ userid: 'm1', name: '吴经理', dept_id_list: [10] })
      .addUser({ userid: 'r1', name: '郑一', dept_id_list: [11] })
      .addUser({ userid: 'r2', name: '王二', dept_id_list: [11] })
      .addUser({ userid: 'r3', name: '冯三', dept_id_list: [11, 10] });
    fake.images.set('photo.png', { contentType: 'image/png', bytes: PNG });
  });
  afterAll(async () => { await fake.close(); });
  beforeEach(() => {
    fake.ipBlocked = false;
    client = make();
    fake.resetCounts();
  });

  it('20 concurrent calls fetch one token', async () => {
    await Promise.all(Array.from({ length: 20 }, () => client.user('r1')));
    expect(fake.calls('/gettoken')).toBe(1);
    expect(fake.calls('/topapi/v2/user/get')).toBe(20);
  });

  it.each([
    ['40014', { errcode: 40014 }],
    ['42001', { errcode: 42001 }],
    ['88 with sub_code 40014', { errcode: 88, subCode: '40014' }],
  ])('a refused token (%s) is refreshed once and the call retried', async (_label, refusal) => {
    await client.user('r1');
    fake.expireTokens(refusal);
    expect(await client.user('m1')).toEqual({ id: 'm1', name: '吴经理', departmentIds: ['10'], mainDepartmentId: '10' });
    expect(fake.calls('/gettoken')).toBe(2);
  });

  it('errcode 88 for a missing permission is not a token problem: no refresh', async () => {
    await client.user('r1');
    fake.script('/topapi/v2/user/get', { json: { errcode: 88, errmsg: 'ding talk error[subcode=60011]', sub_code: '60011', sub_msg: '没有调用该接口的权限' } });
    const err = await appError(client.user('r1'));
    expect(err.code).toBe('HOST_UNAVAILABLE');
    expect(err.details[0]?.message_en).toContain('sub_code 60011');
    expect(fake.calls('/gettoken')).toBe(1);
  });

  it('login codes give userid and device_id; a second use is HOST_AUTH_CODE_INVALID (40078)', async () => {
    const code = fake.issueCode('r1', 'dev-abc');
    expect(await client.userFromCode(code)).toEqual({ userId: 'r1', deviceId: 'dev-abc' });
    const reused = await appError(client.userFromCode(code));
    expect(reused.code).toBe('HOST_AUTH_CODE_INVALID');
    expect(reused.details[0]?.code).toBe('DINGTALK_40078');
    expect(fake.log.find((r) => r.path === '/topapi/v2/user/getuserinfo')?.body).toEqual({ code });
  });

  it('maps IP, busy and credential refusals', async () => {
    fake.script('/topapi/v2/user/get', { json: { errcode: -1, errmsg: '系统繁忙' } });
    expect((await appError(client.user('r1'))).code).toBe('HOST_RATE_LIMITED');
    expect((await appError(make({ secret: 'nope' }).user('r1'))).code).toBe('HOST_CREDENTIALS_INVALID');
    fake.ipBlocked = true;
    expect((await appError(make().user('r1'))).code).toBe('HOST_IP_NOT_ALLOWED');
  });

  it('a slow host times out as HOST_UNAVAILABLE', async () => {
    fake.delay('/topapi/v2/user/get', 1000);
    try {
      expect((await appError(make({ timeoutMs: 150 }).user('r1'))).code).toBe('HOST_UNAVAILABLE');
    } finally {
      fake.delay('/topapi/v2/user/get', 0);
    }
  });

  it('the ticket is fetched once for many signatures', async () => {
    const tickets = await Promise.all(Array.from({ length: 10 }, () => client.jsapiTicket()));
    expect(new Set(tickets)).toEqual(new Set([fake.ticket]));
    expect(fake.calls('/get_jsapi_ticket')).toBe(1);
  });

  it('directory: walks the department tree, pages through users, keeps leaders', async () => {
    const dir = await client.directory();
    expect(dir.departments.map((d) => [d.id, d.parentId, d.leaderIds]).sort()).toEqual([['1', null, ['ceo']], ['10', '1', ['m1']], ['11', '10', []]]);
    expect(dir.users.map((u) => u.id).sort()).toEqual(['ceo', 'm1', 'r1', 'r2', 'r3']);
    expect(dir.users.find((u) => u.id === 'r3')).toMatchObject({ departmentIds: ['11', '10'], mainDepartmentId: '11' });
    expect(fake.calls('/topapi/v2/user/list')).toBeGreaterThan(3); // 3 users in dept 11 at 2 per page
  });

  it('media: downloads from an allowed host; refuses other hosts without a request, and JSON bodies', async () => {
    expect((await client.media(fake.imageUrl('photo.png'))).equals(PNG)).toBe(true);
    const before = fake.calls('/media/photo.png');
    const other = await appError(make({ mediaHosts: ['static-legacy.dingtalk.com'] }).media(fake.imageUrl('photo.png')));
    expect(other.code).toBe('VALIDATION_FAILED');
    expect(other.details[0]).toMatchObject({ field: '/url', code: 'URL_HOST_NOT_ALLOWED' });
    expect(fake.calls('/media/photo.png')).toBe(before);
    expect((await appError(client.media('http://169.254.169.254/latest/meta-data'))).details[0]?.code).toBe('URL_HOST_NOT_ALLOWED');
    expect((await appError(client.media(`${fake.url.replace('127.0.0.1', 'user:pw@127.0.0.1')}/media/photo.png`))).details[0]?.code).toBe('URL_HOST_NOT_ALLOWED');
    expect((await appError(client.media(fake.imageUrl('missing.png')))).code).toBe('HOST_MEDIA_INVALID');
    fake.script('/media/photo.png', { json: { errcode: 40007, errmsg: 'invalid media' } });
    expect((await appError(client.media(fake.imageUrl('photo.png')))).code).toBe('HOST_MEDIA_INVALID');
  });

  it('a bare allowed host means https only', async () => {
    const host = new URL(fake.url).host;
    expect((await appError(make({ mediaHosts: [host] }).media(fake.imageUrl('photo.png')))).details[0]?.code).toBe('URL_HOST_NOT_ALLOWED');
  });
});
