// Users, roles, reporting lines and sessions.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import { newToken, sha256Hex } from '../lib/ids.ts';
import { op } from '../db/trusted.ts';
import type { Role, UserDoc } from './user.model.ts';
import type { Actor } from '../versioning/versioned.service.ts';
import { systemClock, type Clock } from '../lib/clock.ts';

export function userView(u: UserDoc) {
  return { id: u._id, username: u.username, name: u.name, role: u.role, managerId: u.managerId ?? null, active: u.active };
}

/** What the people screen shows: the user plus the host account link and whether the directory sync disabled them. */
export function directoryView(u: UserDoc & { leftHostAt?: Date | null }) {
  return { ...userView(u), hostUserId: u.hostUserId ?? null, leftHostAt: u.leftHostAt ?? null };
}

/** Users listing a device among the ones they signed in with (indexed on tenantId + deviceIds). */
export function signedInWithFilter(tenantId: Types.ObjectId, deviceId: string): Record<string, unknown> {
  return { tenantId, deviceIds: deviceId, active: true };
}

export function usersService(models: Models, sessionTtlHours: number, clock: Clock = systemClock) {
  async function assertManagerInTenant(tenantId: Types.ObjectId, managerId: string | null | undefined): Promise<void> {
    if (!managerId) return;
    const manager = await models.User.findOne({ tenantId, _id: managerId }).lean();
    if (!manager) throw new AppError('VALIDATION_FAILED', [fieldError('/managerId', 'NOT_FOUND', '上级不存在', 'Manager not found')]);
  }

  const activeAdmins = (tenantId: Types.ObjectId) => models.User.countDocuments({ tenantId, role: 'admin', active: true });
  const lastAdmin = (input: { role?: Role; active?: boolean }) => new AppError('LAST_ADMIN', [
    fieldError(input.role !== undefined && input.role !== 'admin' ? '/role' : '/active', 'LAST_ADMIN', '企业至少需要一位在职的管理员', 'A tenant needs at least one active administrator'),
  ]);

  return {
    async issueSession(tenantId: Types.ObjectId, userId: Types.ObjectId): Promise<{ token: string; expiresAt: Date }> {
      const token = newToken();
      const now = clock.now();
      const expiresAt = new Date(now.getTime() + sessionTtlHours * 3_600_000);
      await models.Session.create({ tokenHash: sha256Hex(token), tenantId, userId, createdAt: now, expiresAt });
      return { token, expiresAt };
    },

    async endSession(token: string): Promise<void> {
      await models.Session.deleteOne({ tokenHash: sha256Hex(token) });
    },

    async devLogin(tenantCode: string, username: string) {
      const tenant = await models.Tenant.findOne({ code: tenantCode }).lean();
      if (!tenant) throw new AppError('LOGIN_FAILED');
      const user = await models.User.findOne({ tenantId: tenant._id, username, active: true }).lean<UserDoc>();
      if (!user) throw new AppError('LOGIN_FAILED');
      const session = await this.issueSession(tenant._id, user._id);
      return { ...session, user: userView(user), tenant: { id: tenant._id, code: tenant.code, name: tenant.name } };
    },

    /** The active users of a tenant for the development login picker: reps first, then managers, then admins. */
    async devUsers(tenantCode: string): Promise<{ username: string; name: string; role: Role }[]> {
      const tenant = await models.Tenant.findOne({ code: tenantCode }).lean();
      if (!tenant) throw notFound({ zh: '企业', en: 'Tenant' }, '/query/tenant');
      const users = await models.User.find({ tenantId: tenant._id, active: true }, { username: 1, name: 1, role: 1 }).limit(500).lean<UserDoc[]>();
      const order: Role[] = ['rep', 'manager', 'admin'];
      return users
        .map((u) => ({ username: u.username, name: u.name, role: u.role as Role }))
        .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role) || a.username.localeCompare(b.username));
    },

    async me(actor: Actor) {
      const user = await models.User.findOne({ tenantId: actor.tenantId, _id: actor.userId }).lean<UserDoc>();
      if (!user) throw new AppError('UNAUTHENTICATED');
      const tenant = await models.Tenant.findOne({ _id: actor.tenantId }).lean();
      return { user: userView(user), tenant: tenant ? { id: tenant._id, code: tenant.code, name: tenant.name } : null };
    },

    /** An active user of the tenant, or null: lets other domains check the people they reference (e.g. an assigned rep). */
    /** Active users who signed in with this device id through the host (user.deviceIds keeps their last few). */
    async signedInWith(tenantId: Types.ObjectId, deviceId: string): Promise<string[]> {
      const rows = await models.User.find(signedInWithFilter(tenantId, deviceId), { _id: 1 }).limit(10).lean<{ _id: Types.ObjectId }[]>();
      return rows.map((u) => String(u._id));
    },

    async findActive(tenantId: Types.ObjectId, id: string): Promise<ReturnType<typeof userView> | null> {
      const user = await models.User.findOne({ tenantId, _id: id, active: true }).lean<UserDoc>();
      return user ? userView(user) : null;
    },

    /** Names by user id (active or not: history names people who left); unknown ids are left out. */
    async namesOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, string>> {
      if (ids.length === 0) return new Map();
      const found = await models.User.find({ tenantId, _id: op({ $in: ids }) }, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>();
      return new Map(found.map((u) => [String(u._id), u.name]));
    },

    /** A manager's team: the users whose manager they are (plans and appeals share this rule with the visits' scope). */
    async directReports(actor: Actor): Promise<Types.ObjectId[]> {
      const team = await models.User.find({ tenantId: actor.tenantId, managerId: actor.userId }, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>();
      return team.map((u) => u._id);
    },

    async list(actor: Actor): Promise<ReturnType<typeof directoryView>[]> {
      const users = await models.User.find({ tenantId: actor.tenantId }).sort({ role: 1, username: 1 }).limit(5000).lean<UserDoc[]>();
      return users.map(directoryView);
    },

    async create(actor: Actor, input: { username: string; name: string; role: Role; managerId?: string }) {
      await assertManagerInTenant(actor.tenantId, input.managerId);
      try {
        const created = await models.User.create({ tenantId: actor.tenantId, ...input, managerId: input.managerId ?? null });
        return userView(created.toObject() as UserDoc);
      } catch (err) {
        if ((err as { code?: number }).code === 11000) {
          throw new AppError('CONFLICT', [fieldError('/username', 'DUPLICATE', '用户名已存在', 'Username already exists')]);
        }
        throw err;
      }
    },

    async update(actor: Actor, id: string, input: { name?: string; role?: Role; managerId?: string | null; active?: boolean }) {
      if (input.managerId === id) throw new AppError('VALIDATION_FAILED', [fieldError('/managerId', 'SELF_MANAGER', '不能把自己设为上级', 'A user cannot manage themselves')]);
      await assertManagerInTenant(actor.tenantId, input.managerId);
      const before = await models.User.findOne({ tenantId: actor.tenantId, _id: id }).lean<UserDoc>();
      if (!before) throw notFound({ zh: '用户', en: 'User' }, '/params/id');
      const removesAdmin = before.role === 'admin' && before.active && ((input.role !== undefined && input.role !== 'admin') || input.active === false);
      if (removesAdmin && (await activeAdmins(actor.tenantId)) <= 1) throw lastAdmin(input);
      const updated = await models.User.findOneAndUpdate({ tenantId: actor.tenantId, _id: id }, { $set: input }, { returnDocument: 'after' }).lean<UserDoc>();
      if (!updated) throw notFound({ zh: '用户', en: 'User' }, '/params/id');
      // Two admins demoting each other at once could both pass the check above: the later look puts one back.
      if (removesAdmin && (await activeAdmins(actor.tenantId)) === 0) {
        await models.User.updateOne({ tenantId: actor.tenantId, _id: id }, { $set: { role: before.role, active: before.active } });
        throw lastAdmin(input);
      }
      return directoryView(updated);
    },
  };
}

export type UsersService = ReturnType<typeof usersService>;
