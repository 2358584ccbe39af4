// A mongoose plugin that refuses any query on a tenant-owned collection whose filter lacks tenantId.
// It is the safety net behind "every query is scoped to the tenant": a forgotten scope fails loudly in tests.
import type { Aggregate, Schema } from 'mongoose';

const QUERY_OPS = [
  'find', 'findOne', 'findOneAndUpdate', 'findOneAndDelete', 'findOneAndReplace', 'countDocuments',
  'updateOne', 'updateMany', 'deleteOne', 'deleteMany', 'replaceOne', 'distinct',
] as const;

export function tenantScoped(schema: Schema): void {
  for (const op of QUERY_OPS) {
    schema.pre(op, function requireTenant(this: { getFilter(): Record<string, unknown> }) {
      if (this.getFilter().tenantId === undefined) {
        throw new Error(`unscoped ${op}: every query on this collection must filter by tenantId`);
      }
    });
  }
  schema.pre('aggregate', function requireTenantStage(this: Aggregate<unknown>) {
    const first = this.pipeline()[0] as unknown as { $match?: Record<string, unknown> } | undefined;
    if (first?.$match?.tenantId === undefined) throw new Error('unscoped aggregate: the first stage must $match tenantId');
  });
}
