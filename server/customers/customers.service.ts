// Customers: the list a rep works from, the record a manager keeps, the contacts visits are made to, and who
// holds which customer. Reps see only the customers they hold; everything is scoped to the caller's tenant.
import { Types } from 'mongoose';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import type { AuthState } from '../users/auth.ts';
import type { Clock } from '../lib/clock.ts';
import type { CustomerRepo, ListFilter, WriteGuard } from './customer.repo.ts';
import type { ClaimEvent, Contact, CustomerChange, CustomerDoc } from './customer.model.ts';
import { prepareContact, prepareContactPatch, prepareCreate, preparePatch, rejectIfAny, type ContactInput, type CustomerInput, type CustomerPatch } from './customer-input.ts';
import { claimCustomer, releaseCustomer, type ClaimOutcome, type RepRef } from './claims.ts';
import { DEFAULT_CUSTOMER_TYPES } from './customer-types.ts';

/** The slice of the users service this domain needs. */
export interface UserDirectory {
  findActive(tenantId: Types.ObjectId, id: string): Promise<{ id: Types.ObjectId; name: string; role: string } | null>;
}

export const MAX_CONTACTS = 50;
const WRITE_ATTEMPTS = 3;
const CUSTOMER = { zh: '客户', en: 'Customer' };

/** Who is looking: reps are limited to the customers they hold. */
type Viewer = Pick<AuthState, 'tenantId' | 'userId'> & { role: string };

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}

const codeTaken = () => new AppError('CONFLICT', [fieldError('/code', 'DUPLICATE', '客户编码已存在', 'This customer code is already in use')]);

export function customersService(repo: CustomerRepo, users: UserDirectory, clock: Clock) {
  /** Reps reach only the customers they hold; anyone else gets the same 404 as for a customer that does not exist. */
  async function load(auth: Viewer, id: string, scope: 'held' | 'tenant' = 'held'): Promise<CustomerDoc> {
    const heldBy = scope === 'held' && auth.role === 'rep' ? auth.userId : undefined;
    const doc = await repo.findById(auth.tenantId, id, heldBy);
    if (!doc) throw notFound(CUSTOMER, '/params/id');
    return doc;
  }

  /** One write; a duplicate code becomes the API's 409. */
  async function write(attempt: () => Promise<CustomerDoc | null>): Promise<CustomerDoc | null> {
    try {
      return await attempt();
    } catch (err) {
      if (isDuplicateKey(err)) throw codeTaken();
      throw err;
    }
  }

  /** Read, decide, write if unchanged since the read; retried a few times under concurrent edits. */
  async function mutate(auth: AuthState, id: string, decide: (doc: CustomerDoc) => CustomerChange | null, scope: 'held' | 'tenant' = 'held'): Promise<CustomerDoc> {
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const current = await load(auth, id, scope);
      const change = decide(current);
      if (!change) return current;
      const updated = await write(() => repo.updateIfUnchanged(current, auth.userId, change));
      if (updated) return updated;
    }
    throw new AppError('CUSTOMER_CHANGED');
  }

  /**
   * A change that needs no read first: written if `guard` holds (and, for reps, they hold the customer). When it
   * matches nothing, the customer is read and `whyNot` throws the reason; a 404 comes first, from the read.
   */
  async function guarded(auth: AuthState, id: string, change: CustomerChange, guard: WriteGuard, whyNot: (doc: CustomerDoc) => void = () => {}): Promise<CustomerDoc> {
    const heldBy = auth.role === 'rep' ? auth.userId : undefined;
    for (let attempt = 0; attempt < WRITE_ATTEMPTS; attempt++) {
      const updated = await write(() => repo.update(auth.tenantId, id, { ...guard, heldBy }, auth.userId, change));
      if (updated) return updated;
      whyNot(await load(auth, id)); // no reason found: it changed between the write and the read, try again
    }
    throw new AppError('CUSTOMER_CHANGED');
  }

  function findContact(doc: CustomerDoc, contactId: string): Contact {
    const contact = doc.contacts.find((c) => String(c._id) === contactId);
    if (!contact) throw notFound({ zh: '联系人', en: 'Contact' }, '/params/contactId');
    return contact;
  }

  async function repFor(auth: AuthState, repId: string | undefined): Promise<RepRef> {
    if (auth.role === 'rep') {
      if (repId !== undefined && repId !== String(auth.userId)) throw new AppError('FORBIDDEN');
      return { id: auth.userId, name: auth.name };
    }
    if (repId === undefined) throw new AppError('VALIDATION_FAILED', [fieldError('/repId', 'REQUIRED', '请选择业务员', 'repId is required')]);
    const user = await users.findActive(auth.tenantId, repId);
    if (!user) throw new AppError('VALIDATION_FAILED', [fieldError('/repId', 'NOT_FOUND', '业务员不存在或已停用', 'No active user with this id')]);
    if (user.role !== 'rep') throw new AppError('VALIDATION_FAILED', [fieldError('/repId', 'NOT_A_REP', '只能分配给业务员', 'Customers can only be assigned to reps')]);
    return { id: user.id, name: user.name };
  }

  const outcomeToChange = (o: ClaimOutcome): CustomerChange | null => {
    if (!o.changed) return null;
    return o.event.action === 'release' ? { removeRep: o.event.repId, event: o.event } : { addRep: o.event.repId, event: o.event };
  };

  return {
    load,

    types() {
      return { items: [...DEFAULT_CUSTOMER_TYPES] };
    },

    async list(auth: AuthState, filter: Omit<ListFilter, 'heldBy'>, page: { limit: number; offset: number }) {
      const heldBy = auth.role === 'rep' ? auth.userId : undefined;
      return repo.list(auth.tenantId, { ...filter, heldBy }, page);
    },

    async create(auth: AuthState, input: CustomerInput): Promise<CustomerDoc> {
      const prepared = prepareCreate(input);
      rejectIfAny(prepared.errors);
      const _id = new Types.ObjectId();
      const { code, contacts, ...content } = prepared.value;
      try {
        return await repo.insert(auth.tenantId, auth.userId, {
          _id, ...content, code: code ?? String(_id),
          contacts: contacts.map((c) => ({ _id: new Types.ObjectId(), ...c })), assignedReps: [], claims: [],
        });
      } catch (err) {
        if (isDuplicateKey(err)) throw codeTaken();
        throw err;
      }
    },

    async update(auth: AuthState, id: string, patch: CustomerPatch): Promise<CustomerDoc> {
      const prepared = preparePatch(patch);
      rejectIfAny(prepared.errors);
      return guarded(auth, id, { set: prepared.value }, {});
    },

    async addContact(auth: AuthState, id: string, input: ContactInput): Promise<CustomerDoc> {
      const prepared = prepareContact(input, '');
      rejectIfAny(prepared.errors);
      const contact = { _id: new Types.ObjectId(), ...prepared.value };
      return guarded(auth, id, { addContact: contact }, { contactsBelow: MAX_CONTACTS }, (doc) => {
        if (doc.contacts.length >= MAX_CONTACTS) {
          throw new AppError('VALIDATION_FAILED', [fieldError('/contacts', 'TOO_MANY_ITEMS', `联系人最多 ${MAX_CONTACTS} 位`, `At most ${MAX_CONTACTS} contacts`)]);
        }
      });
    },

    /** Only the fields sent change. The phone is checked only when sent: an old number must not block a rename. */
    async updateContact(auth: AuthState, id: string, contactId: string, patch: Partial<ContactInput>): Promise<CustomerDoc> {
      const prepared = prepareContactPatch(patch, '');
      rejectIfAny(prepared.errors);
      const change = { editContact: { id: new Types.ObjectId(contactId), set: prepared.value } };
      return guarded(auth, id, change, {}, (doc) => findContact(doc, contactId));
    },

    async removeContact(auth: AuthState, id: string, contactId: string): Promise<CustomerDoc> {
      return guarded(auth, id, { removeContact: new Types.ObjectId(contactId) }, {}, (doc) => findContact(doc, contactId));
    },

    async claim(auth: AuthState, id: string, body: { repId?: string; note?: string }): Promise<CustomerDoc> {
      await load(auth, id, 'tenant'); // an unknown customer is a 404 before anything is said about the rep
      const rep = await repFor(auth, body.repId);
      return mutate(auth, id, (doc) => outcomeToChange(claimCustomer(doc, auth, rep, clock.now(), body.note)), 'tenant');
    },

    async release(auth: AuthState, id: string, body: { repId?: string; note?: string }): Promise<CustomerDoc> {
      const doc = await load(auth, id);
      if (auth.role === 'rep' && body.repId !== undefined && body.repId !== String(auth.userId)) throw new AppError('FORBIDDEN');
      const repId = auth.role === 'rep' ? String(auth.userId) : body.repId;
      if (repId === undefined) throw new AppError('VALIDATION_FAILED', [fieldError('/repId', 'REQUIRED', '请选择业务员', 'repId is required')]);
      // Releasing needs no live user: a departed rep's customers must still be freed. The name comes from the history.
      const known = [...doc.claims].reverse().find((e) => String(e.repId) === repId);
      const rep = { id: new Types.ObjectId(repId), name: known?.repName ?? (repId === String(auth.userId) ? auth.name : repId) };
      return mutate(auth, id, (current) => outcomeToChange(releaseCustomer(current, auth, rep, clock.now(), body.note)));
    },

    /** Customer names by id, for lists that reference customers (tasks); unknown ids are left out. */
    async namesOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, string>> {
      const unique = [...new Map(ids.map((id) => [String(id), id])).values()];
      const found = await repo.namesByIds(tenantId, unique);
      return new Map(found.map((c) => [String(c._id), c.name]));
    },

    /** The customers a rep holds, as id and class. */
    async heldBy(tenantId: Types.ObjectId, repId: Types.ObjectId): Promise<{ id: Types.ObjectId; class: string }[]> {
      return (await repo.heldBy(tenantId, repId)).map((c) => ({ id: c._id, class: c.class }));
    },

    async history(auth: AuthState, id: string): Promise<ClaimEvent[]> {
      const doc = await load(auth, id);
      return [...doc.claims].reverse();
    },
  };
}

export type CustomersService = ReturnType<typeof customersService>;
