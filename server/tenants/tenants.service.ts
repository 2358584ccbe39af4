// Tenant provisioning: a tenant, its first users, and its copy of the built-in templates. Idempotent.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import type { TemplatesService } from '../templates/templates.service.ts';
import type { Role } from '../users/user.model.ts';

export interface TenantSeed {
  code: string;
  name: string;
  host?: 'wecom' | 'dingtalk' | 'none';
  users: { username: string; name: string; role: Role; manager?: string }[];
}

export function tenantsService(models: Models, templates: TemplatesService) {
  return {
    /** Every tenant's id (background workers go tenant by tenant: each query stays tenant-scoped). */
    async ids(): Promise<Types.ObjectId[]> {
      return (await models.Tenant.find({}, { _id: 1 }).lean<{ _id: Types.ObjectId }[]>()).map((t) => t._id);
    },

    async provision(seed: TenantSeed): Promise<{ tenantId: Types.ObjectId; templates: number }> {
      const tenant = await models.Tenant.findOneAndUpdate(
        { code: seed.code },
        { $setOnInsert: { code: seed.code, name: seed.name, host: seed.host ?? 'none' } },
        { upsert: true, returnDocument: 'after' },
      ).lean();
      const tenantId = tenant._id;
      // Managers first so reps can point at them.
      const ordered = [...seed.users].sort((a, b) => Number(Boolean(a.manager)) - Number(Boolean(b.manager)));
      for (const u of ordered) {
        const manager = u.manager ? await models.User.findOne({ tenantId, username: u.manager }).lean() : null;
        await models.User.updateOne(
          { tenantId, username: u.username },
          { $setOnInsert: { tenantId, username: u.username, name: u.name, role: u.role, managerId: manager?._id ?? null, active: true } },
          { upsert: true },
        );
      }
      const count = await templates.loadBuiltIns(tenantId);
      return { tenantId, templates: count };
    },
  };
}
