// Host login, bootstrap and JS-API signatures through the real app, against fake WeCom/DingTalk servers: a one-time
// code becomes a session for the linked user (or an auto-provisioned rep), codes work once, disabled users are
// refused, device ids are recorded, the bootstrap carries no secret, and signatures verify against the host ticket.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { as } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { connectTenant, DINGTALK_AGENT, hostTestApp, PAGE_ORIGIN, WECOM_AGENT, type HostTestApp } from '../helpers/hosts.ts';

const sha1 = (s: string) => createHash('sha1').update(s).digest('hex');

describe('host login, bootstrap and signatures', () => {
  let h: HostTestApp;
  let users: Record<string, string>;
  let tenantId: string;
  const post = (body: object) => request(h.t.server).post('/api/auth/host-login').send(body);
  const userDoc = (username: string) => h.t.models.User.findOne({ tenantId, username }).lean();

  beforeAll(async () => {
    h = await hostTestApp(['acme', 'other']);
    ({ users, tenantId } = await h.t.seedTenant('acme'));
    await h.t.seedTenant('other');
    await h.t.seedTenant('plain');
    await h.t.seedTenant('nosecret');
    await connectTenant(h, 'acme', { wecom: false, dingtalk: true });
    await connectTenant(h, 'nosecret');
    await h.t.models.Tenant.updateOne({ code: 'other' }, { $set: { host: 'wecom', corpId: 'ww-legacy-corp' } }); // old single-host fields only
    await h.t.models.User.updateOne({ tenantId, username: 'rep' }, { $set: { hostUserId: 'zhangwei' } });
    await h.t.models.User.updateOne({ tenantId, username: 'rep2' }, { $set: { hostUserId: 'liuyang', active: false } });
    await h.t.models.User.updateOne({ tenantId, username: 'manager' }, { $set: { hostUserId: 'dd-wang' } });
    h.wecom.addUser({ userid: 'zhangwei', name: '张伟', department: [1] }).addUser({ userid: 'newbie', name: '新同事', department: [1] });
    h.dingtalk.addUser({ userid: 'dd-wang', name: '王经理', dept_id_list: [1] }).addUser({ userid: 'dd-new', name: '钉钉新人', dept_id_list: [1] })
      .addUser({ userid: 'admin', name: '冒名者', dept_id_list: [1] });
  });
  afterAll(async () => { await h.close(); });

  describe('GET /api/hosts/bootstrap', () => {
    it('gives the public ids of both hosts and whether dev login is on, and no secret', async () => {
      const res = await request(h.t.server).get('/api/hosts/bootstrap?tenant=acme');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({
        tenant: { code: 'acme', name: '企业 acme' },
        wecom: { corpId: h.wecom.corpId, agentId: WECOM_AGENT },
        dingtalk: { corpId: 'ding-corp-1', agentId: DINGTALK_AGENT, clientId: h.dingtalk.appKey },
        devLogin: true,
      });
      expect(res.text).not.toContain(h.wecom.secret);
      expect(res.text).not.toContain(h.dingtalk.appSecret);
    });

    it('a tenant without host settings has nulls; the legacy corpId alone is not enough for an app', async () => {
      expect((await request(h.t.server).get('/api/hosts/bootstrap?tenant=plain')).body).toMatchObject({ wecom: null, dingtalk: null });
      expect((await request(h.t.server).get('/api/hosts/bootstrap?tenant=other')).body).toMatchObject({ wecom: null, dingtalk: null });
    });

    it('an unknown tenant is 404, a malformed code 400', async () => {
      expectError(await request(h.t.server).get('/api/hosts/bootstrap?tenant=nobody'), 404, 'NOT_FOUND');
      expectError(await request(h.t.server).get('/api/hosts/bootstrap?tenant=A%20B'), 400, 'VALIDATION_FAILED', { field: '/query/tenant' });
    });
  });

  describe('POST /api/auth/host-login (WeCom)', () => {
    it('logs a linked user in with the dev-login answer shape, records the app\'s device id', async () => {
      const res = await post({ tenant: 'acme', host: 'wecom', code: h.wecom.issueCode({ userId: 'zhangwei' }), deviceId: 'app-install-1' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      const dev = await request(h.t.server).post('/api/auth/dev-login').send({ tenant: 'acme', username: 'rep' });
      expect(Object.keys(res.body).sort()).toEqual(Object.keys(dev.body).sort());
      expect(res.body.user).toEqual(dev.body.user);
      expect(res.body.tenant).toEqual({ id: tenantId, code: 'acme', name: '企业 acme' });
      expect(new Date(res.body.expiresAt).getTime()).toBeGreaterThan(Date.now());
      const me = await as(h.t.server, res.body.token as string).get('/api/me');
      expect(me.body.user.id).toBe(users.rep);
      expect(await userDoc('rep')).toMatchObject({ lastDeviceId: 'app-install-1', deviceIds: ['app-install-1'] });
    });

    it('keeps the last 10 device ids, newest last; a device seen again moves to the end, listed once', async () => {
      const login = async (deviceId: string) => expect((await post({ tenant: 'acme', host: 'wecom', code: h.wecom.issueCode({ userId: 'zhangwei' }), deviceId })).status).toBe(200);
      for (let i = 1; i <= 11; i += 1) await login(`phone-${i}`);
      expect((await userDoc('rep'))?.deviceIds).toEqual(Array.from({ length: 10 }, (_, i) => `phone-${i + 2}`));
      await login('phone-5');
      await Promise.all([login('phone-7'), login('phone-7')]);
      expect(await userDoc('rep')).toMatchObject({
        lastDeviceId: 'phone-7', deviceIds: ['phone-2', 'phone-3', 'phone-4', 'phone-6', 'phone-8', 'phone-9', 'phone-10', 'phone-11', 'phone-5', 'phone-7'],
      });
    });

    it('a code works once: the second use is 401 HOST_AUTH_CODE_INVALID and opens no session', async () => {
      const code = h.wecom.issueCode({ userId: 'zhangwei' });
      expect((await post({ tenant: 'acme', host: 'wecom', code })).status).toBe(200);
      const sessions = await h.t.models.Session.countDocuments({});
      const again = expectError(await post({ tenant: 'acme', host: 'wecom', code }), 401, 'HOST_AUTH_CODE_INVALID');
      expect(again.details[0]?.code).toBe('WECOM_40029');
      expectError(await post({ tenant: 'acme', host: 'wecom', code: 'never-issued' }), 401, 'HOST_AUTH_CODE_INVALID');
      expect(await h.t.models.Session.countDocuments({})).toBe(sessions);
    });

    it('an unlinked member with auto-provisioning off is 403 HOST_USER_NOT_LINKED, and nobody is created', async () => {
      const before = await h.t.models.User.countDocuments({ tenantId });
      expectError(await post({ tenant: 'acme', host: 'wecom', code: h.wecom.issueCode({ userId: 'newbie' }) }), 403, 'HOST_USER_NOT_LINKED');
      expect(await h.t.models.User.countDocuments({ tenantId })).toBe(before);
    });

    it('a disabled user is refused with 403 USER_DISABLED', async () => {
      expectError(await post({ tenant: 'acme', host: 'wecom', code: h.wecom.issueCode({ userId: 'liuyang' }) }), 403, 'USER_DISABLED');
    });

    it('tenant mistakes: unknown tenant 401 LOGIN_FAILED, no secret 409 HOST_NOT_CONFIGURED, bad body 400', async () => {
      expectError(await post({ tenant: 'nobody', host: 'wecom', code: 'x' }), 401, 'LOGIN_FAILED');
      expectError(await post({ tenant: 'nosecret', host: 'wecom', code: h.wecom.issueCode({ userId: 'zhangwei' }) }), 409, 'HOST_NOT_CONFIGURED', { code: 'SECRET_MISSING' });
      expectError(await post({ tenant: 'plain', host: 'dingtalk', code: 'x' }), 409, 'HOST_NOT_CONFIGURED', { code: 'NOT_CONFIGURED' });
      expectError(await post({ tenant: 'acme', host: 'feishu', code: 'x' }), 400, 'VALIDATION_FAILED', { field: '/host' });
    });

    it('a host outage is a 5xx host error, not an internal error', async () => {
      h.wecom.ipBlocked = true;
      try {
        const res = await post({ tenant: 'acme', host: 'wecom', code: h.wecom.issueCode({ userId: 'zhangwei' }) });
        expect(res.status).toBe(502);
        expect(res.body.error.code).toBe('HOST_IP_NOT_ALLOWED');
        expect(res.body.error.details[0].code).toBe('WECOM_60020');
      } finally {
        h.wecom.ipBlocked = false;
      }
    });
  });

  describe('POST /api/auth/host-login (DingTalk)', () => {
    it('records the device id DingTalk reports, preferring it to the app\'s', async () => {
      const res = await post({ tenant: 'acme', host: 'dingtalk', code: h.dingtalk.issueCode('dd-wang', 'dd-device-9'), deviceId: 'app-claims-other' });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user.id).toBe(users.manager);
      expect(await userDoc('manager')).toMatchObject({ lastDeviceId: 'dd-device-9' });
      const code = h.dingtalk.issueCode('dd-wang');
      await post({ tenant: 'acme', host: 'dingtalk', code });
      expectError(await post({ tenant: 'acme', host: 'dingtalk', code }), 401, 'HOST_AUTH_CODE_INVALID', { code: 'DINGTALK_40078' });
    });

    it('auto-provisions a rep from the directory, once, even for concurrent first logins', async () => {
      const codes = [h.dingtalk.issueCode('dd-new', 'dev-1'), h.dingtalk.issueCode('dd-new', 'dev-1')];
      const [a, b] = await Promise.all(codes.map((code) => post({ tenant: 'acme', host: 'dingtalk', code })));
      expect(a!.status, JSON.stringify(a!.body)).toBe(200);
      expect(b!.status, JSON.stringify(b!.body)).toBe(200);
      expect(a!.body.user.id).toBe(b!.body.user.id);
      expect(a!.body.user).toMatchObject({ username: 'dd-new', name: '钉钉新人', role: 'rep', active: true });
      expect(await h.t.models.User.countDocuments({ tenantId, hostUserId: 'dd-new' })).toBe(1);
    });

    it('never links a host account to a local user by username', async () => {
      const res = await post({ tenant: 'acme', host: 'dingtalk', code: h.dingtalk.issueCode('admin') });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body.user.id).not.toBe(users.admin);
      expect(res.body.user).toMatchObject({ role: 'rep', name: '冒名者' });
      expect(res.body.user.username).toMatch(/^dingtalk-[0-9a-f]{12}$/);
      expect((await userDoc('admin'))?.hostUserId).toBeUndefined();
    });
  });

  describe('host replies that name nobody', () => {
    // Each reply is what the host answers to the code exchange; none may open a session, least of all the admin's.
    const dingtalkReplies: [string, unknown][] = [
      ['an empty result', { errcode: 0, errmsg: 'ok', result: {} }],
      ['a null userid', { errcode: 0, errmsg: 'ok', result: { userid: null, device_id: 'd1' } }],
      ['an empty userid', { errcode: 0, errmsg: 'ok', result: { userid: '' } }],
      ['a numeric userid', { errcode: 0, errmsg: 'ok', result: { userid: 0 } }],
      ['an object userid', { errcode: 0, errmsg: 'ok', result: { userid: { $ne: null } } }],
      ['no result at all', { errcode: 0, errmsg: 'ok' }],
      ['a null result', { errcode: 0, errmsg: 'ok', result: null }],
    ];
    const wecomReplies: [string, unknown][] = [
      ['a non-member\'s openid', { errcode: 0, errmsg: 'ok', openid: 'o-123' }],
      ['a null userid', { errcode: 0, errmsg: 'ok', userid: null }],
      ['an empty UserId (legacy)', { errcode: 0, errmsg: 'ok', UserId: '' }],
      ['an object userid', { errcode: 0, errmsg: 'ok', userid: { $gt: '' } }],
      ['nothing but errcode 0', { errcode: 0 }],
    ];
    const cases = [
      ...dingtalkReplies.map(([name, json]) => ({ name, json, host: 'dingtalk', path: '/topapi/v2/user/getuserinfo' })),
      ...wecomReplies.map(([name, json]) => ({ name, json, host: 'wecom', path: '/cgi-bin/auth/getuserinfo' })),
    ];

    it.each(cases)('$host: $name is 403 HOST_USER_NOT_LINKED, no session, no user', async ({ json, host, path }) => {
      const fake = host === 'wecom' ? h.wecom : h.dingtalk;
      const sessions = await h.t.models.Session.countDocuments({});
      const people = await h.t.models.User.countDocuments({ tenantId });
      fake.script(path, { json });
      const res = await post({ tenant: 'acme', host, code: 'any-code' });
      expectError(res, 403, 'HOST_USER_NOT_LINKED', { field: '/code' });
      expect(res.body.token).toBeUndefined();
      expect(await h.t.models.Session.countDocuments({})).toBe(sessions);
      expect(await h.t.models.User.countDocuments({ tenantId })).toBe(people);
    });
  });

  describe('POST /api/hosts/:host/jsapi-signature', () => {
    let rep: ReturnType<typeof as>;
    const page = `${PAGE_ORIGIN}/m/index.html?from=%E5%B7%A5%E4%BD%9C%E5%8F%B0#/visits/1`;

    beforeAll(async () => { rep = as(h.t.server, await h.t.login('acme', 'rep')); });

    it('WeCom corp and agent signatures verify against the host\'s tickets', async () => {
      for (const [kind, ticket] of [['corp', h.wecom.corpTicket], ['agent', h.wecom.agentTicket]] as const) {
        const res = await rep.post('/api/hosts/wecom/jsapi-signature').send({ url: page, kind });
        expect(res.status, JSON.stringify(res.body)).toBe(200);
        expect(Object.keys(res.body).sort()).toEqual(['agentId', 'corpId', 'nonceStr', 'signature', 'timestamp']);
        expect(res.body).toMatchObject({ corpId: h.wecom.corpId, agentId: WECOM_AGENT });
        expect(Math.abs(res.body.timestamp - Date.now() / 1000)).toBeLessThan(60);
        const plain = `jsapi_ticket=${ticket}&noncestr=${res.body.nonceStr}&timestamp=${res.body.timestamp}&url=${page.split('#')[0]}`;
        expect(res.body.signature).toBe(sha1(plain));
      }
    });

    it('DingTalk signs with its ticket and the decoded query', async () => {
      const res = await rep.post('/api/hosts/dingtalk/jsapi-signature').send({ url: page });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(res.body).toMatchObject({ corpId: 'ding-corp-1', agentId: DINGTALK_AGENT });
      const plain = `jsapi_ticket=${h.dingtalk.ticket}&noncestr=${res.body.nonceStr}&timestamp=${res.body.timestamp}&url=${PAGE_ORIGIN}/m/index.html?from=工作台`;
      expect(res.body.signature).toBe(sha1(plain));
    });

    it('refuses pages on other origins and non-http URLs, and needs a session', async () => {
      expectError(await rep.post('/api/hosts/wecom/jsapi-signature').send({ url: 'https://phish.example.net/m/', kind: 'corp' }), 400, 'VALIDATION_FAILED', { field: '/url', code: 'ORIGIN_NOT_ALLOWED' });
      expectError(await rep.post('/api/hosts/wecom/jsapi-signature').send({ url: 'javascript:alert(1)//x', kind: 'corp' }), 400, 'VALIDATION_FAILED', { field: '/url' });
      expectError(await rep.post('/api/hosts/wecom/jsapi-signature').send({ url: `${PAGE_ORIGIN}/${'a'.repeat(1100)}` }), 400, 'VALIDATION_FAILED', { field: '/url' });
      expectError(await rep.post('/api/hosts/lark/jsapi-signature').send({ url: page }), 400, 'VALIDATION_FAILED', { field: '/params/host' });
      expectError(await request(h.t.server).post('/api/hosts/wecom/jsapi-signature').send({ url: page }), 401, 'UNAUTHENTICATED');
    });

    it('a tenant without the host connected gets 409 HOST_NOT_CONFIGURED', async () => {
      const plainRep = as(h.t.server, await h.t.login('plain', 'rep'));
      expectError(await plainRep.post('/api/hosts/wecom/jsapi-signature').send({ url: page }), 409, 'HOST_NOT_CONFIGURED');
    });
  });
});
