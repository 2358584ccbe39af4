// Users linked to a host account (the WeCom/DingTalk userid in `hostUserId`): lookup, provisioning with a free
// username, the device ids seen at login, and the field updates a directory sync makes.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { AppError, fieldError } from '../http/errors.ts';
import { sha256Hex } from '../lib/ids.ts';
import type { Role, UserDoc } from './user.model.ts';

const DEVICES_KEPT = 10;

/** A username the dev login and admin screens accept (^[a-zA-Z0-9_.-]{2,40}$), derived from the host userid. */
export function usernameFromHostId(hostUserId: string): string {
  const cleaned = hostUserId.replace(/[^a-zA-Z0-9_.-]/g, '_').slice(0, 40);
  return cleaned.length >= 2 ? cleaned : `u_${cleaned}`;
}

export interface NewHostUser { hostUserId: string; host: string; name: string; role: Role; managerId: Types.ObjectId | null }

export function hostUsersRepo(models: Models) {
  /** Never matches on an absent id: `{ hostUserId: undefined }` would match every local user, the admin first. */
  const findLinked = async (tenantId: Types.ObjectId, hostUserId: string): Promise<UserDoc | null> => {
    if (typeof hostUserId !== 'string' || hostUserId === '') return null;
    return models.User.findOne({ tenantId, hostUserId }).lean<UserDoc>();
  };

  return {
    findLinked,

    /** Every user linked to a host account, active or not. */
    linked: (tenantId: Types.ObjectId) => models.User.find({ tenantId, hostUserId: op({ $exists: true }) }).lean<UserDoc[]>(),

    /**
     * Creates the user; a concurrent creation of the same host user returns that one. The host userid becomes the
     * username unless a local user already has it (never link by username: that could hand over a local admin).
     */
    async create(tenantId: Types.ObjectId, input: NewHostUser): Promise<UserDoc> {
      const candidates = [usernameFromHostId(input.hostUserId), `${input.host}-${sha256Hex(input.hostUserId).slice(0, 12)}`];
      for (const username of candidates) {
        try {
          const created = await models.User.create({ tenantId, username, name: input.name, role: input.role, managerId: input.managerId, hostUserId: input.hostUserId, active: true });
          return created.toObject() as UserDoc;
        } catch (err) {
          if ((err as { code?: number }).code !== 11000) throw err;
          const raced = await findLinked(tenantId, input.hostUserId);
          if (raced) return raced;
        }
      }
      throw new AppError('CONFLICT', [fieldError('/username', 'DUPLICATE', '无法为该账号分配用户名', 'No free username for this host account')]);
    },

    async update(tenantId: Types.ObjectId, id: Types.ObjectId, set: Record<string, unknown>, unset: string[] = []): Promise<void> {
      const update: Record<string, unknown> = {};
      if (Object.keys(set).length > 0) update.$set = set;
      if (unset.length > 0) update.$unset = Object.fromEntries(unset.map((k) => [k, 1]));
      if (Object.keys(update).length > 0) await models.User.updateOne({ tenantId, _id: id }, update);
    },

    /**
     * Keeps the last few device ids, newest last: a device seen again moves to the end. The push skips an id a
     * concurrent login of the same device has just pushed, so none is listed twice.
     */
    async recordDevice(tenantId: Types.ObjectId, user: UserDoc, deviceId: string): Promise<void> {
      const filter = { tenantId, _id: user._id };
      await models.User.updateOne(filter, { $pull: { deviceIds: deviceId } });
      await models.User.updateOne(
        { ...filter, deviceIds: op({ $ne: deviceId }) },
        { $push: { deviceIds: { $each: [deviceId], $slice: -DEVICES_KEPT } }, $set: { lastDeviceId: deviceId } },
      );
    },
  };
}

export type HostUsersRepo = ReturnType<typeof hostUsersRepo>;
