// Every plan query, each scoped to the tenant. Every change is one update conditional on `revision`.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { PlanDoc, PlanHistoryEntry, PlanItem, PlanStatus } from './plan.model.ts';
import { retryTransient } from '../db/transient.ts';

export interface PlanListFilter {
  month: string;
  status?: PlanStatus;
  /** Only these reps' plans; undefined means every rep of the tenant. */
  repIds?: readonly Types.ObjectId[];
}

const LIST_PROJECTION = { history: 0 } as const;

/** Plans of a month, of some reps, in one status (the list screens). */
export function planListFilter(tenantId: Types.ObjectId, filter: PlanListFilter): Record<string, unknown> {
  const q: Record<string, unknown> = { tenantId, month: filter.month };
  if (filter.repIds) q.repId = op({ $in: [...filter.repIds] });
  if (filter.status) q.status = filter.status;
  return q;
}

export function planRepo(models: Models) {
  const { Plan } = models;

  return {
    async findById(tenantId: Types.ObjectId, id: string): Promise<PlanDoc | null> {
      return Plan.findOne({ tenantId, _id: id }).lean<PlanDoc>();
    },

    async findOfMonth(tenantId: Types.ObjectId, repId: Types.ObjectId, month: string): Promise<PlanDoc | null> {
      return Plan.findOne({ tenantId, repId, month }).lean<PlanDoc>();
    },

    /** Inserts a new plan; a concurrent insert of the same rep and month fails with a duplicate key (11000). */
    async insert(plan: Omit<PlanDoc, '_id' | 'createdAt' | 'updatedAt'>): Promise<PlanDoc> {
      const created = await retryTransient(() => Plan.create(plan));
      return created.toObject() as unknown as PlanDoc;
    },

    /** Plans of a month without their history, by rep name. */
    async list(tenantId: Types.ObjectId, filter: PlanListFilter): Promise<Omit<PlanDoc, 'history'>[]> {
      const plans = await Plan.find(planListFilter(tenantId, filter), LIST_PROJECTION).limit(5000).lean<Omit<PlanDoc, 'history'>[]>();
      return plans.sort((a, b) => a.repName.localeCompare(b.repName, 'zh-CN') || String(a.repId).localeCompare(String(b.repId)));
    },

    /** The plans of a month in the given statuses, items only (for reading what is planned; index tenantId+month+repId). */
    async itemsOfMonth(tenantId: Types.ObjectId, month: string, statuses: readonly PlanStatus[], repIds: readonly Types.ObjectId[] | null) {
      const q: Record<string, unknown> = { tenantId, month, status: op({ $in: [...statuses] }) };
      if (repIds) q.repId = op({ $in: [...repIds] });
      // Only what a planned visit is judged by: a month of a 1,000-rep tenant is some 300,000 items.
      return Plan.find(q, { _id: 0, repId: 1, status: 1, 'items.date': 1, 'items.customerId': 1, 'items.visitType': 1 })
        .lean<(Pick<PlanDoc, 'repId' | 'status'> & { items: Pick<PlanItem, 'date' | 'customerId' | 'visitType'>[] })[]>();
    },

    /** Applies `set` and appends `entry` if the plan is still at `plan.revision`; null when it moved on. */
    async writeAtRevision(plan: Pick<PlanDoc, '_id' | 'tenantId' | 'revision'>, set: Partial<PlanDoc>, entry: PlanHistoryEntry): Promise<PlanDoc | null> {
      return Plan.findOneAndUpdate(
        { tenantId: plan.tenantId, _id: plan._id, revision: plan.revision },
        { $set: set, $inc: { revision: 1 }, $push: { history: entry } },
        { returnDocument: 'after' },
      ).lean<PlanDoc>();
    },

    toObjectId(id: string): Types.ObjectId {
      return new Types.ObjectId(id);
    },
  };
}

export type PlanRepo = ReturnType<typeof planRepo>;
