// Directory sync through the real app against fake hosts: departments are stored, people become users with roles
// and managers from the org chart, admin-set roles survive, leavers are deactivated (never admins) and come back,
// a second sync changes nothing, and an empty directory changes nothing either.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { as } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { connectTenant, hostTestApp, type HostTestApp } from '../helpers/hosts.ts';

describe('directory sync', () => {
  let h: HostTestApp;
  let tenantId: string;
  let admin: ReturnType<typeof as>;
  const sync = (body: object = {}) => admin.post('/api/hosts/directory-sync').send(body);
  const byHostId = async () => new Map((await h.t.models.User.find({ tenantId }).lean()).filter((u) => u.hostUserId).map((u) => [u.hostUserId as string, u]));
  const snapshot = async () => JSON.stringify({
    users: await h.t.models.User.find({ tenantId }).sort({ _id: 1 }).lean(),
    departments: await h.t.models.Department.find({ tenantId }).sort({ _id: 1 }).lean(),
  });

  beforeAll(async () => {
    h = await hostTestApp(['acme', 'ding']);
    ({ tenantId } = await h.t.seedTenant('acme'));
    await connectTenant(h, 'acme');
    // The seeded admin is also in WeCom; the seeded manager is linked and was made a manager by an admin.
    await h.t.models.User.updateOne({ tenantId, username: 'admin' }, { $set: { hostUserId: 'it-admin' } });
    await h.t.models.User.updateOne({ tenantId, username: 'manager' }, { $set: { hostUserId: 'wang' } });
    h.wecom.addDept({ id: 1, name: '某某食品', parentid: 0, department_leader: ['ceo'] })
      .addDept({ id: 2, name: '华东大区', parentid: 1, department_leader: ['east'] })
      .addDept({ id: 3, name: '上海一组', parentid: 2, department_leader: ['wang'] })
      .addDept({ id: 4, name: '上海二组', parentid: 2 })
      .addUser({ userid: 'ceo', name: '赵总', department: [1] })
      .addUser({ userid: 'east', name: '钱总监', department: [2] })
      .addUser({ userid: 'wang', name: '王组长', department: [3] })
      .addUser({ userid: 'sun', name: '孙一', department: [3] })
      .addUser({ userid: 'li', name: '李二', department: [4, 3], main_department: 4 })
      .addUser({ userid: 'it-admin', name: '系统管理员', department: [1] });
    admin = as(h.t.server, await h.t.login('acme', 'admin'));
  });
  afterAll(async () => { await h.close(); });

  it('creates departments and users with roles and managers from the org chart', async () => {
    const res = await sync();
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      host: 'wecom',
      departments: { total: 4, created: 4, updated: 0, removed: 0 },
      users: { total: 6, created: 4, updated: 2, deactivated: 0, reactivated: 0 },
    });
    const depts = await h.t.models.Department.find({ tenantId }).lean();
    expect(depts.map((d) => [d.hostDeptId, d.name, d.parentHostDeptId, d.leaderHostUserIds]).sort()).toEqual([
      ['1', '某某食品', null, ['ceo']], ['2', '华东大区', '1', ['east']], ['3', '上海一组', '2', ['wang']], ['4', '上海二组', '2', []],
    ]);
    const u = await byHostId();
    const id = (hostId: string) => String(u.get(hostId)?._id);
    expect(u.get('ceo')).toMatchObject({ username: 'ceo', name: '赵总', role: 'manager', managerId: null, active: true });
    expect(u.get('east')).toMatchObject({ role: 'manager' });
    expect(String(u.get('east')?.managerId)).toBe(id('ceo'));
    expect(u.get('sun')).toMatchObject({ role: 'rep', name: '孙一' });
    expect(String(u.get('sun')?.managerId)).toBe(id('wang'));
    // li's main department (4) has no leader: the parent's leader manages.
    expect(String(u.get('li')?.managerId)).toBe(id('east'));
    // Existing users keep their local username and role; their reporting line follows the chart.
    expect(u.get('wang')).toMatchObject({ username: 'manager', role: 'manager', name: '王组长' });
    expect(String(u.get('wang')?.managerId)).toBe(id('east'));
    expect(u.get('it-admin')).toMatchObject({ username: 'admin', role: 'admin' });
  });

  it('a second sync with nothing new changes nothing', async () => {
    const before = await snapshot();
    const res = await sync();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      host: 'wecom',
      departments: { total: 4, created: 0, updated: 0, removed: 0 },
      users: { total: 6, created: 0, updated: 0, deactivated: 0, reactivated: 0 },
    });
    expect(await snapshot()).toBe(before);
  });

  it('an admin-set role survives a sync', async () => {
    const sun = (await byHostId()).get('sun')!;
    expect((await admin.patch(`/api/users/${String(sun._id)}`).send({ role: 'manager' })).status).toBe(200);
    await sync();
    expect((await byHostId()).get('sun')?.role).toBe('manager');
  });

  it('leavers are deactivated (admins never), changes are applied, and a returner is reactivated', async () => {
    const sun = h.wecom.users.get('sun')!;
    const itAdmin = h.wecom.users.get('it-admin')!;
    h.wecom.users.delete('sun');
    h.wecom.users.delete('it-admin');
    h.wecom.departments.delete(4);
    h.wecom.addUser({ userid: 'li', name: '李二', department: [3] });
    h.wecom.addDept({ id: 3, name: '上海一组（新）', parentid: 2, department_leader: ['wang'] });
    const res = await sync();
    expect(res.body).toEqual({
      host: 'wecom',
      departments: { total: 3, created: 0, updated: 1, removed: 1 },
      users: { total: 4, created: 0, updated: 1, deactivated: 1, reactivated: 0 },
    });
    let u = await byHostId();
    expect(u.get('sun')).toMatchObject({ active: false });
    expect(u.get('sun')?.leftHostAt).toBeInstanceOf(Date);
    expect(u.get('it-admin')).toMatchObject({ active: true, role: 'admin' });
    expect(String(u.get('li')?.managerId)).toBe(String(u.get('wang')?._id));
    // A deactivated user cannot log in with the host either.
    const login = await request(h.t.server).post('/api/auth/host-login').send({ tenant: 'acme', host: 'wecom', code: h.wecom.issueCode({ userId: 'sun' }) });
    expectError(login, 403, 'USER_DISABLED');

    h.wecom.addUser(sun).addUser(itAdmin);
    const back = await sync();
    expect(back.body.users).toMatchObject({ created: 0, reactivated: 1, deactivated: 0 });
    u = await byHostId();
    expect(u.get('sun')).toMatchObject({ active: true });
    expect(u.get('sun')?.leftHostAt).toBeUndefined();
  });

  it('a user an admin disabled stays disabled', async () => {
    const east = (await byHostId()).get('east')!;
    await admin.patch(`/api/users/${String(east._id)}`).send({ active: false });
    await sync();
    expect((await byHostId()).get('east')?.active).toBe(false);
  });

  it('an empty directory is refused and changes nothing', async () => {
    const saved = new Map(h.wecom.users);
    h.wecom.users.clear();
    const before = await snapshot();
    try {
      const res = await sync();
      expect(res.status).toBe(502);
      expect(res.body.error.code).toBe('HOST_DIRECTORY_EMPTY');
      expect(await snapshot()).toBe(before);
    } finally {
      for (const [k, v] of saved) h.wecom.users.set(k, v);
    }
  });

  it('syncs a DingTalk org too (host chosen in the body), with paging', async () => {
    const { tenantId: dingId } = await h.t.seedTenant('ding');
    await connectTenant(h, 'ding');
    await h.t.models.Tenant.updateOne({ code: 'ding' }, { $set: { host: 'dingtalk' } });
    h.dingtalk.addDept({ dept_id: 1, name: '钉钉公司', dept_manager_userid_list: ['boss'] })
      .addDept({ dept_id: 20, name: '销售部', parent_id: 1, dept_manager_userid_list: ['head'] })
      .addUser({ userid: 'boss', name: '老板', dept_id_list: [1] })
      .addUser({ userid: 'head', name: '部长', dept_id_list: [20] })
      .addUser({ userid: 'a1', name: '甲', dept_id_list: [20] })
      .addUser({ userid: 'a2', name: '乙', dept_id_list: [20] })
      .addUser({ userid: 'a3', name: '丙', dept_id_list: [20] });
    const dingAdmin = as(h.t.server, await h.t.login('ding', 'admin'));
    const res = await dingAdmin.post('/api/hosts/directory-sync').send({ host: 'dingtalk' });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ host: 'dingtalk', departments: { total: 2, created: 2 }, users: { total: 5, created: 5 } });
    const users = await h.t.models.User.find({ tenantId: dingId }).lean();
    const head = users.find((x) => x.hostUserId === 'head')!;
    expect(head.role).toBe('manager');
    expect(users.filter((x) => ['a1', 'a2', 'a3'].includes(x.hostUserId ?? '')).map((x) => String(x.managerId))).toEqual([String(head._id), String(head._id), String(head._id)]);
    // acme's users are untouched by another tenant's sync.
    expect(await h.t.models.User.countDocuments({ tenantId, hostUserId: 'a1' })).toBe(0);
    // An empty body picks the tenant's host.
    expect((await dingAdmin.post('/api/hosts/directory-sync').send({})).body.host).toBe('dingtalk');
  });

  it('is admin-only, and a tenant without a host is 409', async () => {
    expectError(await as(h.t.server, await h.t.login('acme', 'manager')).post('/api/hosts/directory-sync').send({}), 403, 'FORBIDDEN');
    await h.t.seedTenant('plain');
    expectError(await as(h.t.server, await h.t.login('plain', 'admin')).post('/api/hosts/directory-sync').send({}), 409, 'HOST_NOT_CONFIGURED');
  });
});
