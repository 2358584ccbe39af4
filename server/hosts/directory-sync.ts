// Mirrors a tenant's host directory: departments into Department, people into users (linked by hostUserId).
// New people become reps (managers if they lead a department); existing users keep the role an admin gave them;
// reporting lines follow the org chart; people who left the host are deactivated (admins never). Writes only what
// changed, so a second sync with nothing new changes nothing. Callable from the route and from a scheduled job.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { AppError } from '../http/errors.ts';
import type { Clock } from '../lib/clock.ts';
import type { UserDoc } from '../users/user.model.ts';
import type { HostUsersRepo } from '../users/host-users.ts';
import type { HostDepartment, HostDirectory } from './common/directory.ts';
import type { HostName } from './common/host-http.ts';
import type { DepartmentDoc } from './department.model.ts';
import { leadersOf, managerOf, type OrgDept } from './org-chart.ts';

export interface SyncResult {
  host: HostName;
  departments: { total: number; created: number; updated: number; removed: number };
  users: { total: number; created: number; updated: number; deactivated: number; reactivated: number };
}

const sameList = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((v, i) => v === b[i]);
const idText = (v: unknown) => (v === null || v === undefined ? '' : String(v));

async function storeDepartments(models: Models, tenantId: Types.ObjectId, host: HostName, depts: HostDepartment[]): Promise<SyncResult['departments']> {
  const counts = { total: depts.length, created: 0, updated: 0, removed: 0 };
  const existing = new Map((await models.Department.find({ tenantId, host }).lean<DepartmentDoc[]>()).map((d) => [d.hostDeptId, d]));
  for (const d of depts) {
    const want = { name: d.name, parentHostDeptId: d.parentId, leaderHostUserIds: d.leaderIds };
    const had = existing.get(d.id);
    existing.delete(d.id);
    if (!had) {
      try {
        await models.Department.create({ tenantId, host, hostDeptId: d.id, ...want });
        counts.created += 1;
      } catch (err) {
        if ((err as { code?: number }).code !== 11000) throw err; // a concurrent sync created it
      }
    } else if (had.name !== want.name || had.parentHostDeptId !== want.parentHostDeptId || !sameList(had.leaderHostUserIds, want.leaderHostUserIds)) {
      await models.Department.updateOne({ tenantId, _id: had._id }, { $set: want });
      counts.updated += 1;
    }
  }
  const gone = [...existing.values()].map((d) => d._id);
  if (gone.length > 0) counts.removed = (await models.Department.deleteMany({ tenantId, _id: op({ $in: gone }) })).deletedCount;
  return counts;
}

async function storeUsers(users: HostUsersRepo, tenantId: Types.ObjectId, host: HostName, dir: HostDirectory, now: Date): Promise<SyncResult['users']> {
  const counts = { total: dir.users.length, created: 0, updated: 0, deactivated: 0, reactivated: 0 };
  const byHostId = new Map((await users.linked(tenantId)).map((u) => [u.hostUserId as string, u]));
  const leaders = leadersOf(dir.departments.map((d) => ({ id: d.id, parentId: d.parentId, leaderIds: d.leaderIds })));

  // 1. Everyone in the directory exists (managers are set in step 2, once every id is known).
  const created = new Set<string>();
  for (const hu of dir.users) {
    if (byHostId.has(hu.id)) continue;
    byHostId.set(hu.id, await users.create(tenantId, { hostUserId: hu.id, host, name: hu.name, role: leaders.has(hu.id) ? 'manager' : 'rep', managerId: null }));
    created.add(hu.id);
  }
  counts.created = created.size;

  // 2. Names, reporting lines and returns from leave, written only where they differ.
  const depts = new Map<string, OrgDept>(dir.departments.map((d) => [d.id, d]));
  const inDirectory = new Set(dir.users.map((u) => u.id));
  for (const hu of dir.users) {
    const user = byHostId.get(hu.id) as UserDoc & { leftHostAt?: Date };
    const managerHostId = managerOf(hu.id, hu.mainDepartmentId, depts, (id) => inDirectory.has(id));
    const managerId = managerHostId ? (byHostId.get(managerHostId)?._id ?? null) : null;
    const set: Record<string, unknown> = {};
    const unset: string[] = [];
    if (user.name !== hu.name) set.name = hu.name;
    if (idText(user.managerId) !== idText(managerId)) set.managerId = managerId;
    // Only the sync's own deactivation is undone; an admin's stays.
    if (user.leftHostAt) {
      unset.push('leftHostAt');
      if (!user.active) { set.active = true; counts.reactivated += 1; }
    }
    if (Object.keys(set).length > 0 || unset.length > 0) {
      await users.update(tenantId, user._id, set, unset);
      if (!created.has(hu.id)) counts.updated += 1;
    }
  }

  // 3. Whoever left the host directory can no longer log in (admins are kept so nobody locks the tenant out).
  for (const [hostUserId, user] of byHostId) {
    if (inDirectory.has(hostUserId) || !user.active || user.role === 'admin') continue;
    await users.update(tenantId, user._id, { active: false, leftHostAt: now });
    counts.deactivated += 1;
  }
  return counts;
}

export async function syncDirectory(
  deps: { models: Models; users: HostUsersRepo; clock: Clock },
  tenantId: Types.ObjectId,
  host: HostName,
  dir: HostDirectory,
): Promise<SyncResult> {
  // An empty answer is far more likely a wrong visible range than a company with nobody left: refuse to deactivate all.
  if (dir.users.length === 0) throw new AppError('HOST_DIRECTORY_EMPTY');
  const now = deps.clock.now();
  const departments = await storeDepartments(deps.models, tenantId, host, dir.departments);
  const users = await storeUsers(deps.users, tenantId, host, dir, now);
  return { host, departments, users };
}
