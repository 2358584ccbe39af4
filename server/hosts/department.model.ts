// A department of a tenant's host directory (WeCom 部门 / DingTalk 部门), as last synced. Managers derive from it.
import { Schema, Types } from 'mongoose';
import { tenantScoped } from '../db/tenant-scope.ts';

export const departmentSchema = new Schema(
  {
    tenantId: { type: Types.ObjectId, required: true },
    host: { type: String, enum: ['wecom', 'dingtalk'], required: true },
    hostDeptId: { type: String, required: true },
    name: { type: String, required: true },
    parentHostDeptId: { type: String, default: null },
    leaderHostUserIds: { type: [String], default: [] },
  },
  { timestamps: true },
);
departmentSchema.index({ tenantId: 1, host: 1, hostDeptId: 1 }, { unique: true });
departmentSchema.plugin(tenantScoped);

export interface DepartmentDoc {
  _id: Types.ObjectId;
  tenantId: Types.ObjectId;
  host: 'wecom' | 'dingtalk';
  hostDeptId: string;
  name: string;
  parentHostDeptId: string | null;
  leaderHostUserIds: string[];
}
