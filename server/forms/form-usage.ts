// Which visits pinned which version of a form, and which customers the form reaches: read-only reporting queries
// over visits and customers, kept here so the forms service reads like the story it tells.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import type { CustomerClass } from '../customers/customer-types.ts';

export interface VersionVisitStats { version: number; visits: number; customers: number; firstVisitAt: Date | null; lastVisitAt: Date | null }
export interface CustomerGroup { type: string; class: string; count: number }
export interface CustomerSample { id: string; name: string; type: string; class: string }

export function formUsageRepo(models: Models) {
  return {
    /** Visit counts per pinned version; "when" is the server's receipt of the visit start. */
    async visitStats(tenantId: Types.ObjectId, formId: Types.ObjectId): Promise<VersionVisitStats[]> {
      const rows = await models.Visit.aggregate<{ _id: number; visits: number; customers: number; first: Date | null; last: Date | null }>([
        { $match: { tenantId, 'form.formId': formId } },
        { $group: { _id: '$form.version', visits: { $sum: 1 }, customers: { $addToSet: '$customerId' }, first: { $min: '$start.receivedAt' }, last: { $max: '$start.receivedAt' } } },
        { $project: { visits: 1, customers: { $size: '$customers' }, first: 1, last: 1 } },
        { $sort: { _id: 1 } },
      ]);
      return rows.map((r) => ({ version: r._id, visits: r.visits, customers: r.customers, firstVisitAt: r.first ?? null, lastVisitAt: r.last ?? null }));
    },

    /** The tenant's customers counted by type and class (the inputs of form choice). */
    async customerGroups(tenantId: Types.ObjectId): Promise<CustomerGroup[]> {
      const rows = await models.Customer.aggregate<{ _id: { type: string; class: string }; count: number }>([
        { $match: { tenantId } },
        { $group: { _id: { type: '$type', class: '$class' }, count: { $sum: 1 } } },
      ]);
      return rows.map((r) => ({ type: r._id.type, class: r._id.class, count: r.count }));
    },

    /** A few customers of the given type/class pairs, by name. */
    async sampleCustomers(tenantId: Types.ObjectId, groups: readonly { type: string; class: string }[], limit: number): Promise<CustomerSample[]> {
      if (groups.length === 0) return [];
      const docs = await models.Customer.find(
        { tenantId, $or: groups.map((g) => ({ type: g.type, class: g.class as CustomerClass })) },
        { name: 1, type: 1, class: 1 },
      ).sort({ name: 1 }).limit(limit).lean<{ _id: Types.ObjectId; name: string; type: string; class: string }[]>();
      return docs.map((d) => ({ id: String(d._id), name: d.name, type: d.type, class: d.class }));
    },
  };
}

export type FormUsageRepo = ReturnType<typeof formUsageRepo>;
