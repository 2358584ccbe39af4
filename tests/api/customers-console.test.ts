// What the console's customer and people screens need, on a real database: list filters including "not visited
// for N days" with each customer's last visit, the location check built from visits made through the API, users
// with their host link, role changes (admin only, never the last admin), and the synced departments.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { fieldTeam, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const DAY = 86_400_000;
const HUALIAN = { lng: 121.4737, lat: 31.2304 };
const OLD_SHOP = { lng: 121.4800, lat: 31.2400 };
const WRONG_PIN = { lng: 121.5000, lat: 31.2200 };
/** About 500 m north of WRONG_PIN: where the store really is. */
const REAL_DOOR = { lng: 121.5000, lat: 31.2245 };

type Manager = ReturnType<typeof as>;
interface Listed { id: string; name: string; type: string; class: string; assignedReps: string[]; lastVisitAt: string | null }

describe('customers and people for the console', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let manager: Manager;
  let admin: Manager;
  let rep: Client;
  let repApi: Manager;
  const ids = { hualian: '', oldShop: '', clinic: '', pharmacy: '', wrongPin: '' };
  let recentVisitAt: Date;
  let tenantId: Types.ObjectId;

  async function customer(name: string, type: string, cls: string, p: { lng: number; lat: number }, repId?: string): Promise<string> {
    const created = await ok(await manager.post('/api/customers').send({
      name, address: `${name}地址`, type, class: cls, location: { ...p, system: 'GCJ02' },
      contacts: [{ name: '王店长' }, { name: '李采购' }, { name: '赵老板' }],
    }), 201);
    if (repId) await ok(await manager.post(`/api/customers/${String(created.id)}/claim`).send({ repId }));
    return String(created.id);
  }

  async function visit(customerId: string, type: string, cls: string, checkInAt: Date, at: { lng: number; lat: number }) {
    const qr = String((await ok(await manager.get(`/api/customers/${customerId}/qr`))).payload);
    return runVisit(rep, { qr, store: at, checkInAt, answers: sampleAnswers(FMCG, type, cls, shanghaiDate(checkInAt)) });
  }

  const list = async (query: string, client: Manager = manager) => (await ok(await client.get(`/api/customers${query}`))) as { items: Listed[]; total: number };
  const names = (r: { items: Listed[] }) => r.items.map((c) => c.name).sort();

  beforeAll(async () => {
    t = await createTestApp();
    ({ users, manager, rep } = await fieldTeam(t, 'cc'));
    admin = as(t.server, await t.login('cc', 'admin'));
    tenantId = (await t.models.Tenant.findOne({ code: 'cc' }).lean())!._id;
    repApi = as(t.server, rep.token);
    ids.hualian = await customer('华联超市', '商超', 'A', HUALIAN, users.rep);
    ids.oldShop = await customer('老街便利店', '便利店', 'B', OLD_SHOP, users.rep);
    ids.clinic = await customer('社区诊所', '诊所', 'C', HUALIAN);
    ids.pharmacy = await customer('益丰药房', '药店', 'C', HUALIAN, users.rep2);
    ids.wrongPin = await customer('永辉超市（坐标错）', '商超', 'B', WRONG_PIN, users.rep);
    // 老街便利店 after a claim change: held by rep2 now, visited by rep 40 days ago while rep held it.
    recentVisitAt = new Date(Date.now() - 2 * DAY);
    await visit(ids.hualian, '商超', 'A', recentVisitAt, HUALIAN);
    await visit(ids.oldShop, '便利店', 'B', new Date(Date.now() - 40 * DAY), OLD_SHOP);
    for (const daysAgo of [9, 6, 3]) await visit(ids.wrongPin, '商超', 'B', new Date(Date.now() - daysAgo * DAY), REAL_DOOR);
    await ok(await manager.post(`/api/customers/${ids.oldShop}/release`).send({ repId: users.rep }));
    await ok(await manager.post(`/api/customers/${ids.oldShop}/claim`).send({ repId: users.rep2 }));
  }, 120_000);
  afterAll(async () => { await t.close(); });

  describe('list filters', () => {
    it('filters by type, class and holder, and carries each customer\'s last visit', async () => {
      expect(names(await list('?type=诊所'))).toEqual(['社区诊所']);
      expect(names(await list('?class=B'))).toEqual(['永辉超市（坐标错）', '老街便利店']);
      expect(names(await list(`?repId=${users.rep2}`))).toEqual(['益丰药房', '老街便利店']);
      const all = await list('');
      const hualian = all.items.find((c) => c.id === ids.hualian)!;
      expect(new Date(hualian.lastVisitAt!).getTime()).toBe(recentVisitAt.getTime());
      expect(all.items.find((c) => c.id === ids.clinic)!.lastVisitAt).toBeNull();
      // The last of three visits, not the first.
      const wrong = all.items.find((c) => c.id === ids.wrongPin)!;
      expect(Date.now() - new Date(wrong.lastVisitAt!).getTime()).toBeLessThan(4 * DAY);
    });

    it('"not visited for N days" keeps the never-visited and those whose last visit is older, whoever visited', async () => {
      const stale = await list('?notVisitedDays=30');
      expect(names(stale)).toEqual(['益丰药房', '社区诊所', '老街便利店']);
      expect(stale.total).toBe(3);
      expect(names(await list('?notVisitedDays=60'))).toEqual(['益丰药房', '社区诊所']);
      expect(names(await list('?notVisitedDays=1'))).toEqual(['华联超市', '永辉超市（坐标错）', '益丰药房', '社区诊所', '老街便利店']);
      expect(names(await list('?notVisitedDays=30&class=B'))).toEqual(['老街便利店']);
      expect(names(await list(`?notVisitedDays=30&repId=${users.rep2}`))).toEqual(['益丰药房', '老街便利店']);
    });

    it('pages the filtered list: total counts all matches', async () => {
      const page = await list('?notVisitedDays=30&limit=2&offset=0');
      const rest = await list('?notVisitedDays=30&limit=2&offset=2');
      expect(page.items).toHaveLength(2);
      expect(rest.items).toHaveLength(1);
      expect(page.total).toBe(3);
      expect(new Set([...page.items, ...rest.items].map((c) => c.id)).size).toBe(3);
    });

    it('a rep sees only their own customers under the same filter', async () => {
      expect(names(await list('?notVisitedDays=30', repApi))).toEqual([]);
      expect(names(await list('?notVisitedDays=1', repApi))).toEqual(['华联超市', '永辉超市（坐标错）']);
    });

    it('refuses a day count that is not a whole number from 1', async () => {
      for (const bad of ['0', '-3', '1.5', 'abc', '99999']) {
        expectError(await manager.get(`/api/customers?notVisitedDays=${bad}`), 400, 'VALIDATION_FAILED', { field: '/query/notVisitedDays' });
      }
    });
  });

  describe('location check', () => {
    it('shows each visit\'s distance from the stored point, inside the default fence', async () => {
      const res = await ok(await manager.get(`/api/customers/${ids.hualian}/location-check`));
      expect(res).toMatchObject({ store: HUALIAN, fenceRadiusM: 200, fenceSource: 'template', polygon: null, customer: { id: ids.hualian, name: '华联超市' } });
      const visits = res.visits as { distanceM: number; inside: boolean; repName: string; accuracyM: number; at: string; startMethod: string }[];
      expect(visits).toHaveLength(1);
      // runVisit's burst sits about 10 m from the door.
      expect(visits[0]!.distanceM).toBeGreaterThan(3);
      expect(visits[0]!.distanceM).toBeLessThan(25);
      expect(visits[0]).toMatchObject({ inside: true, repName: '张伟', accuracyM: 12, startMethod: 'qr' });
      expect(res.summary).toMatchObject({ visits: 1, inside: 1, outside: 0, verdict: 'TOO_FEW' });
    });

    it('suspects a wrong stored point when recent visits agree ~500 m away, and suggests their median', async () => {
      const res = await ok(await manager.get(`/api/customers/${ids.wrongPin}/location-check`));
      const visits = res.visits as { distanceM: number; inside: boolean; at: string }[];
      expect(visits).toHaveLength(3);
      for (const v of visits) {
        expect(v.inside).toBe(false);
        expect(v.distanceM).toBeGreaterThan(480);
        expect(v.distanceM).toBeLessThan(530);
      }
      // Newest first.
      expect(new Date(visits[0]!.at).getTime()).toBeGreaterThan(new Date(visits[2]!.at).getTime());
      const summary = res.summary as { verdict: string; suggestedPoint: { lng: number; lat: number }; medianDistanceM: number; hint_zh: string };
      expect(summary.verdict).toBe('POINT_SUSPECT');
      expect(Math.abs(summary.suggestedPoint.lat - REAL_DOOR.lat)).toBeLessThan(0.0002);
      expect(Math.abs(summary.suggestedPoint.lng - REAL_DOOR.lng)).toBeLessThan(0.0002);
      expect(summary.hint_zh).toMatch(/客户位置可能有误/);
    });

    it('uses the customer\'s own fence radius once set: the same visits are then inside', async () => {
      await ok(await manager.patch(`/api/customers/${ids.wrongPin}`).send({ fenceRadiusM: 800 }));
      const res = await ok(await manager.get(`/api/customers/${ids.wrongPin}/location-check`));
      expect(res).toMatchObject({ fenceRadiusM: 800, fenceSource: 'customer', summary: { inside: 3, verdict: 'CONSISTENT' } });
      await ok(await manager.patch(`/api/customers/${ids.wrongPin}`).send({ fenceRadiusM: null }));
    });

    it('measures from a drawn outline once set: visits inside it count as inside, and the outline is shown as drawn', async () => {
      const outline = [{ lng: 121.4990, lat: 31.2235 }, { lng: 121.5010, lat: 31.2235 }, { lng: 121.5010, lat: 31.2255 }, { lng: 121.4990, lat: 31.2255 }];
      await ok(await manager.patch(`/api/customers/${ids.wrongPin}`).send({ fence: { system: 'GCJ02', polygon: outline } }));
      const res = await ok(await manager.get(`/api/customers/${ids.wrongPin}/location-check`));
      expect(res).toMatchObject({ store: WRONG_PIN, polygon: outline, fenceRadiusM: 50, fenceSource: 'template', summary: { inside: 3, verdict: 'CONSISTENT' } });
      await ok(await manager.patch(`/api/customers/${ids.wrongPin}`).send({ fence: null }));
    });

    it('a manager of another team sees only the team\'s visits: none of this team\'s check-ins or rep names', async () => {
      await ok(await admin.post('/api/users').send({ username: 'zhao.manager', name: '赵经理', role: 'manager' }), 201);
      const other = as(t.server, await t.login('cc', 'zhao.manager'));
      const res = await ok(await other.get(`/api/customers/${ids.wrongPin}/location-check`)) as { visits: unknown[]; summary: { visits: number; verdict: string } };
      expect(res.visits).toEqual([]);
      expect(res.summary).toMatchObject({ visits: 0, verdict: 'NO_VISITS' });
      expect(JSON.stringify(res)).not.toContain('张伟');
      // The team's own manager still sees all three.
      expect((await ok(await manager.get(`/api/customers/${ids.wrongPin}/location-check`)) as { visits: unknown[] }).visits).toHaveLength(3);
    });

    it('says there is nothing to compare for a never-visited customer; reps may not look; unknown ids are 404', async () => {
      const res = await ok(await manager.get(`/api/customers/${ids.clinic}/location-check`));
      expect(res).toMatchObject({ visits: [], summary: { verdict: 'NO_VISITS', medianDistanceM: null } });
      expectError(await repApi.get(`/api/customers/${ids.hualian}/location-check`), 403, 'FORBIDDEN');
      expectError(await manager.get(`/api/customers/${String(new Types.ObjectId())}/location-check`), 404, 'NOT_FOUND');
    });
  });

  describe('people', () => {
    it('lists users with role, manager, active flag and host link', async () => {
      await t.models.User.updateOne({ tenantId, _id: users.rep }, { $set: { hostUserId: 'zhangwei' } });
      const res = await ok(await manager.get('/api/users'));
      const items = res.items as { id: string; username: string; role: string; managerId: string | null; active: boolean; hostUserId: string | null }[];
      expect(items.find((u) => u.username === 'rep')).toMatchObject({ role: 'rep', managerId: users.manager, active: true, hostUserId: 'zhangwei' });
      expect(items.find((u) => u.username === 'admin')).toMatchObject({ role: 'admin', hostUserId: null });
    });

    it('an admin changes a role; a manager cannot, not even to make someone admin', async () => {
      expectError(await manager.patch(`/api/users/${users.rep2}`).send({ role: 'admin' }), 403, 'FORBIDDEN');
      expectError(await manager.patch(`/api/users/${users.rep2}`).send({ role: 'manager' }), 403, 'FORBIDDEN');
      expectError(await repApi.patch(`/api/users/${users.rep2}`).send({ role: 'manager' }), 403, 'FORBIDDEN');
      const changed = await ok(await admin.patch(`/api/users/${users.rep2}`).send({ role: 'manager' }));
      expect(changed).toMatchObject({ role: 'manager' });
      const stored = await t.models.User.findOne({ tenantId, _id: users.rep2 }).lean();
      expect(stored?.role).toBe('manager');
      await ok(await admin.patch(`/api/users/${users.rep2}`).send({ role: 'rep' }));
    });

    it('never demotes or disables the last active admin; with a second admin it may', async () => {
      expectError(await admin.patch(`/api/users/${users.admin}`).send({ role: 'manager' }), 409, 'LAST_ADMIN', { field: '/role', code: 'LAST_ADMIN' });
      expectError(await admin.patch(`/api/users/${users.admin}`).send({ active: false }), 409, 'LAST_ADMIN', { field: '/active' });
      const after = await t.models.User.findOne({ tenantId: tenantId, _id: users.admin }).lean();
      expect(after).toMatchObject({ role: 'admin', active: true });

      const second = await ok(await admin.post('/api/users').send({ username: 'admin2', name: '副管理员', role: 'admin' }), 201);
      await ok(await admin.patch(`/api/users/${String(second.id)}`).send({ role: 'manager' }));
      expect((await t.models.User.findOne({ tenantId: tenantId, _id: second.id }).lean())?.role).toBe('manager');
      // A disabled admin does not count: demoting the only active one is still refused.
      await ok(await admin.patch(`/api/users/${String(second.id)}`).send({ role: 'admin', active: false }));
      expectError(await admin.patch(`/api/users/${users.admin}`).send({ role: 'rep' }), 409, 'LAST_ADMIN');
    });

    it('lists the synced departments with their leaders as users, for managers and admins only', async () => {
      await t.models.User.updateOne({ tenantId, _id: users.manager }, { $set: { hostUserId: 'wangjl' } });
      await t.models.Department.create({ tenantId, host: 'wecom', hostDeptId: '2', name: '华东销售部', parentHostDeptId: '1', leaderHostUserIds: ['wangjl', 'gone'] });
      await t.models.Department.create({ tenantId, host: 'wecom', hostDeptId: '1', name: '总公司', parentHostDeptId: null, leaderHostUserIds: [] });
      const res = await ok(await manager.get('/api/hosts/departments'));
      expect(res.items).toEqual([
        { id: expect.any(String), host: 'wecom', hostDeptId: '1', name: '总公司', parentHostDeptId: null, leaders: [] },
        {
          id: expect.any(String), host: 'wecom', hostDeptId: '2', name: '华东销售部', parentHostDeptId: '1',
          leaders: [{ hostUserId: 'wangjl', userId: users.manager, name: '王经理', active: true }, { hostUserId: 'gone', userId: null, name: null, active: false }],
        },
      ]);
      expectError(await repApi.get('/api/hosts/departments'), 403, 'FORBIDDEN');
    });
  });
});
