// Every customer query, each scoped to the tenant. Writes are conditional on `revision` (optimistic locking):
// FerretDB v1 supports neither positional array updates nor arrayFilters, so array edits replace whole arrays.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { CLASSES_NEEDING_CONTACTS, MIN_KEY_CONTACTS } from './customer-types.ts';
import type { ClaimEvent, CustomerDoc, CustomerFields } from './customer.model.ts';

export interface ListFilter {
  type?: string;
  class?: string;
  repId?: string;
  q?: string;
  missingContacts?: boolean;
  /** Set for reps: only customers this user holds. */
  heldBy?: Types.ObjectId;
  /** Leave these customers out (e.g. the ones visited recently). */
  excludeIds?: Types.ObjectId[];
}

/** Listing leaves out the claim history, which can grow and is served by its own route. */
const LIST_PROJECTION = { claims: 0 } as const;

export function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

function listQuery(tenantId: Types.ObjectId, f: ListFilter): Record<string, unknown> {
  const and: Record<string, unknown>[] = [];
  if (f.heldBy) and.push({ assignedReps: f.heldBy });
  if (f.repId) and.push({ assignedReps: new Types.ObjectId(f.repId) });
  if (f.type) and.push({ type: f.type });
  if (f.class) and.push({ class: f.class });
  if (f.excludeIds && f.excludeIds.length > 0) and.push({ _id: op({ $nin: f.excludeIds }) });
  const q = f.q?.trim();
  if (q) {
    const pattern = () => op({ $regex: escapeRegex(q), $options: 'i' });
    and.push({ $or: [{ name: pattern() }, { address: pattern() }, { code: pattern() }] });
  }
  // "Fewer than MIN contacts" is "no element at index MIN-1".
  const lastNeeded = `contacts.${MIN_KEY_CONTACTS - 1}`;
  const needing = [...CLASSES_NEEDING_CONTACTS];
  if (f.missingContacts === true) and.push({ class: op({ $in: needing }), [lastNeeded]: op({ $exists: false }) });
  if (f.missingContacts === false) and.push({ $or: [{ class: op({ $nin: needing }) }, { [lastNeeded]: op({ $exists: true }) }] });
  return and.length === 0 ? { tenantId } : { tenantId, $and: and };
}

export function customerRepo(models: Models) {
  const { Customer } = models;
  return {
    async list(tenantId: Types.ObjectId, filter: ListFilter, page: { limit: number; offset: number }) {
      const query = listQuery(tenantId, filter);
      const [items, total] = await Promise.all([
        Customer.find(query, LIST_PROJECTION).sort({ _id: -1 }).skip(page.offset).limit(page.limit).lean<CustomerDoc[]>(),
        Customer.countDocuments(query),
      ]);
      return { items: items.map((c) => ({ ...c, claims: [] })), total };
    },

    async findById(tenantId: Types.ObjectId, id: string, heldBy?: Types.ObjectId): Promise<CustomerDoc | null> {
      const query: Record<string, unknown> = { tenantId, _id: id };
      if (heldBy) query.assignedReps = heldBy;
      return Customer.findOne(query).lean<CustomerDoc>();
    },

    /** Names by id (an _id lookup, so no scan): for lists that only know a customer's id. */
    async namesByIds(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<{ _id: Types.ObjectId; name: string }[]> {
      if (ids.length === 0) return [];
      return Customer.find({ tenantId, _id: op({ $in: ids }) }, { name: 1 }).lean<{ _id: Types.ObjectId; name: string }[]>();
    },

    /** Id and class of every customer a rep holds (coverage counts). */
    async heldBy(tenantId: Types.ObjectId, repId: Types.ObjectId): Promise<{ _id: Types.ObjectId; class: string }[]> {
      return Customer.find({ tenantId, assignedReps: repId }, { class: 1 }).lean<{ _id: Types.ObjectId; class: string }[]>();
    },

    async findByCodes(tenantId: Types.ObjectId, codes: string[]): Promise<CustomerDoc[]> {
      const found: CustomerDoc[] = [];
      for (let i = 0; i < codes.length; i += 500) {
        found.push(...await Customer.find({ tenantId, code: op({ $in: codes.slice(i, i + 500) }) }).lean<CustomerDoc[]>());
      }
      return found;
    },

    async insert(tenantId: Types.ObjectId, userId: Types.ObjectId, fields: CustomerFields & { _id?: Types.ObjectId }): Promise<CustomerDoc> {
      const created = await Customer.create({ ...fields, tenantId, revision: 1, createdBy: userId, updatedBy: userId });
      return created.toObject() as unknown as CustomerDoc;
    },

    /**
     * Applies `set` (and appends `event` to the claim history) only if nobody wrote since `current` was read;
     * null means "read again and retry". The history is appended, never rewritten.
     */
    async updateIfUnchanged(current: CustomerDoc, userId: Types.ObjectId, set: Partial<CustomerFields>, event?: ClaimEvent): Promise<CustomerDoc | null> {
      const { claims: _history, ...fields } = set;
      return Customer.findOneAndUpdate(
        { tenantId: current.tenantId, _id: current._id, revision: current.revision },
        { $set: { ...fields, updatedBy: userId }, $inc: { revision: 1 }, ...(event ? { $push: { claims: event } } : {}) },
        { returnDocument: 'after' },
      ).lean<CustomerDoc>();
    },
  };
}

export type CustomerRepo = ReturnType<typeof customerRepo>;
