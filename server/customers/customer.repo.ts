// Every customer query, each scoped to the tenant. A write is one update that touches only what changes: array
// elements are pushed, pulled or edited in place (arrayFilters), never rewritten whole. Writes decided on the
// document as read are conditional on its `revision` (optimistic locking); the others on what they need to hold.
import { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { CLASSES_NEEDING_CONTACTS, MIN_KEY_CONTACTS } from './customer-types.ts';
import { geoPoint } from './customer-geo.ts';
import type { Point } from './geo-normalise.ts';
import type { CustomerChange, CustomerDoc, CustomerFields } from './customer.model.ts';

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

export function listQuery(tenantId: Types.ObjectId, f: ListFilter): Record<string, unknown> {
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

export interface NearbyOptions { maxDistanceM: number; limit: number; heldBy?: Types.ObjectId }

/** Customers within `maxDistanceM` of `at` (GCJ-02); the geo operator returns them nearest first. */
export function nearbyQuery(tenantId: Types.ObjectId, at: Point, o: NearbyOptions): Record<string, unknown> {
  const query: Record<string, unknown> = { tenantId, point: op({ $nearSphere: { $geometry: geoPoint(at), $maxDistance: o.maxDistanceM } }) };
  if (o.heldBy) query.assignedReps = o.heldBy;
  return query;
}

/** What must hold for a write to apply; a write whose guard fails matches nothing. */
export interface WriteGuard {
  /** Nobody wrote since this revision was read. */
  revision?: number;
  /** For reps: only a customer this user holds. */
  heldBy?: Types.ObjectId;
  /** Fewer contacts than this (a contact is added only below the cap). */
  contactsBelow?: number;
}

function filterOf(tenantId: Types.ObjectId, id: Types.ObjectId | string, guard: WriteGuard, change: CustomerChange): Record<string, unknown> {
  const filter: Record<string, unknown> = { tenantId, _id: id };
  if (guard.revision !== undefined) filter.revision = guard.revision;
  if (guard.heldBy) filter.assignedReps = guard.heldBy;
  if (guard.contactsBelow !== undefined) filter[`contacts.${guard.contactsBelow - 1}`] = op({ $exists: false });
  // Editing or removing a contact that is not there is no write (and no new revision).
  const contactId = change.editContact?.id ?? change.removeContact;
  if (contactId) filter['contacts._id'] = contactId;
  return filter;
}

/** The one update a change makes; every write bumps `revision` and records who made it. */
function updateOf(change: CustomerChange, userId: Types.ObjectId) {
  const $set: Record<string, unknown> = { ...change.set, updatedBy: userId };
  for (const [key, value] of Object.entries(change.editContact?.set ?? {})) $set[`contacts.$[contact].${key}`] = value;
  const $push: Record<string, unknown> = {};
  if (change.addContact) $push.contacts = change.addContact;
  if (change.event) $push.claims = change.event;
  const $pull: Record<string, unknown> = {};
  if (change.removeContact) $pull.contacts = { _id: change.removeContact };
  if (change.removeRep) $pull.assignedReps = change.removeRep;
  return {
    $set, $inc: { revision: 1 },
    ...(change.addRep ? { $addToSet: { assignedReps: change.addRep } } : {}),
    ...(Object.keys($push).length > 0 ? { $push } : {}),
    ...(Object.keys($pull).length > 0 ? { $pull } : {}),
  };
}

export function customerRepo(models: Models) {
  const { Customer } = models;

  /** Applies `change` if `guard` holds; null when it does not (or there is no such customer). */
  async function update(tenantId: Types.ObjectId, id: Types.ObjectId | string, guard: WriteGuard, userId: Types.ObjectId, change: CustomerChange): Promise<CustomerDoc | null> {
    const arrayFilters = change.editContact ? [{ 'contact._id': change.editContact.id }] : undefined;
    return Customer.findOneAndUpdate(filterOf(tenantId, id, guard, change), updateOf(change, userId), { returnDocument: 'after', arrayFilters }).lean<CustomerDoc>();
  }

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

    update,

    /** Applies `change` only if nobody wrote since `current` was read; null means "read again and retry". */
    async updateIfUnchanged(current: CustomerDoc, userId: Types.ObjectId, change: CustomerChange): Promise<CustomerDoc | null> {
      return update(current.tenantId, current._id, { revision: current.revision }, userId, change);
    },

    /** Customers near a point, nearest first, served by the 2dsphere index on `point`; without the claim history. */
    async nearby(tenantId: Types.ObjectId, at: Point, o: NearbyOptions): Promise<CustomerDoc[]> {
      const items = await Customer.find(nearbyQuery(tenantId, at, o), LIST_PROJECTION).limit(o.limit).lean<CustomerDoc[]>();
      return items.map((c) => ({ ...c, claims: [] }));
    },
  };
}

export type CustomerRepo = ReturnType<typeof customerRepo>;
