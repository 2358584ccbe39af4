// Users of a tenant, their role and reporting line; sessions are opaque tokens stored only as hashes.
import { Schema, Types, type InferSchemaType } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const ROLES = ['admin', 'manager', 'rep'] as const;
export type Role = (typeof ROLES)[number];

export const userSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    username: { type: String, required: true },
    name: { type: String, required: true },
    role: { type: String, enum: ROLES, required: true },
    /** Direct manager (汇报对象). */
    managerId: { type: Types.ObjectId, default: null },
    /** The user's id in WeCom/DingTalk, once linked. */
    hostUserId: { type: String },
    /** Device ids the host (or the app) reported at login, newest last; a few only. */
    deviceIds: { type: [String], default: undefined },
    lastDeviceId: { type: String },
    /** Set when a directory sync deactivated the user because they left the host directory. */
    leftHostAt: { type: Date },
    active: { type: Boolean, default: true },
  },
  { timestamps: true },
);
userSchema.index({ tenantId: 1, username: 1 }, { unique: true });
userSchema.index({ tenantId: 1, managerId: 1 });
userSchema.index({ tenantId: 1, hostUserId: 1 });
// whose phone a device id is (the proxy check-in rule), multikey on the last few device ids;
userSchema.index({ tenantId: 1, deviceIds: 1 });
userSchema.plugin(tenantScoped);

export const sessionSchema = new Schema({
  tokenHash: { type: String, required: true, unique: true },
  tenantId: { type: Types.ObjectId, required: true },
  userId: { type: Types.ObjectId, required: true },
  expiresAt: { type: Date, required: true },
  createdAt: { type: Date, required: true },
});
sessionSchema.index({ tenantId: 1, userId: 1 });
// Expired sessions are refused at once (auth.ts) and removed by MongoDB soon after.
sessionSchema.index({ expiresAt: 1 }, { expireAfterSeconds: 0 });

export type UserDoc = InferSchemaType<typeof userSchema> & { _id: Types.ObjectId };
