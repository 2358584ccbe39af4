// Every plan query, each scoped to the tenant. Writes are conditional on `revision` and preceded by a claim of
// that revision (PlanStep), because FerretDB v1 does not make concurrent conditional updates atomic.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import type { PlanDoc, PlanHistoryEntry, PlanStatus } from './plan.model.ts';

export interface PlanListFilter {
  month: string;
  status?: PlanStatus;
  /** Only these reps' plans; undefined means every rep of the tenant. */
  repIds?: readonly Types.ObjectId[];
}

/** A claim not followed by its write within this time belongs to a request that died; it may be taken over. */
export const STALE_CLAIM_MS = 15_000;

const LIST_PROJECTION = { history: 0 } as const;

export function planRepo(models: Models) {
  const { Plan, PlanStep } = models;

  async function claim(tenantId: Types.ObjectId, key: string, action: string): Promise<boolean> {
    try {
      await PlanStep.create({ _id: key, tenantId, action, at: new Date() });
      return true;
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      const stale = await PlanStep.deleteOne({ tenantId, _id: key, at: op({ $lt: new Date(Date.now() - STALE_CLAIM_MS) }) });
      return stale.deletedCount === 1 ? claim(tenantId, key, action) : false;
    }
  }

  return {
    async findById(tenantId: Types.ObjectId, id: string): Promise<PlanDoc | null> {
      return Plan.findOne({ tenantId, _id: id }).lean<PlanDoc>();
    },

    async findOfMonth(tenantId: Types.ObjectId, repId: Types.ObjectId, month: string): Promise<PlanDoc | null> {
      return Plan.findOne({ tenantId, repId, month }).lean<PlanDoc>();
    },

    /** Inserts a new plan; a concurrent insert of the same rep and month fails with a duplicate key (11000). */
    async insert(plan: Omit<PlanDoc, '_id' | 'createdAt' | 'updatedAt'>): Promise<PlanDoc> {
      const created = await Plan.create(plan);
      return created.toObject() as unknown as PlanDoc;
    },

    /** Plans of a month without their history, by rep name. */
    async list(tenantId: Types.ObjectId, filter: PlanListFilter): Promise<Omit<PlanDoc, 'history'>[]> {
      const q: Record<string, unknown> = { tenantId, month: filter.month };
      if (filter.repIds) q.repId = op({ $in: [...filter.repIds] });
      if (filter.status) q.status = filter.status;
      const plans = await Plan.find(q, LIST_PROJECTION).limit(5000).lean<Omit<PlanDoc, 'history'>[]>();
      return plans.sort((a, b) => a.repName.localeCompare(b.repName, 'zh-CN') || String(a.repId).localeCompare(String(b.repId)));
    },

    /** The plans of a month in the given statuses, items only (for reading what is planned). */
    async itemsOfMonth(tenantId: Types.ObjectId, month: string, statuses: readonly PlanStatus[], repIds: readonly Types.ObjectId[] | null) {
      const q: Record<string, unknown> = { tenantId, month, status: op({ $in: [...statuses] }) };
      if (repIds) q.repId = op({ $in: [...repIds] });
      return Plan.find(q, { repId: 1, status: 1, items: 1 }).lean<Pick<PlanDoc, '_id' | 'repId' | 'status' | 'items'>[]>();
    },

    /** Claims the move from `revision` to the next one for this request; false when another request holds it. */
    claimRevision(plan: Pick<PlanDoc, '_id' | 'tenantId' | 'revision'>, action: string): Promise<boolean> {
      return claim(plan.tenantId, `${String(plan._id)}:${plan.revision}`, action);
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
