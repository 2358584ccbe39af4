import { describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { claimCustomer, releaseCustomer } from '../../../server/customers/claims.ts';
import { customerWarnings } from '../../../server/customers/customer-view.ts';
import type { Contact } from '../../../server/customers/customer.model.ts';

const rep = { id: new Types.ObjectId(), name: '张伟' };
const other = { id: new Types.ObjectId(), name: '刘洋' };
const asRep = { userId: rep.id, name: rep.name, role: 'rep' as const };
const manager = { userId: new Types.ObjectId(), name: '王经理', role: 'manager' as const };
const at = new Date('2026-03-01T02:00:00Z');

describe('claims', () => {
  it('a rep claims an unassigned customer; claiming again changes nothing', () => {
    const first = claimCustomer({ assignedReps: [] }, asRep, rep, at, ' 新店 ');
    expect(first).toMatchObject({ changed: true, assignedReps: [rep.id], event: { action: 'claim', repId: rep.id, repName: '张伟', by: rep.id, at, note: '新店' } });
    expect(claimCustomer({ assignedReps: [rep.id] }, asRep, rep, at)).toEqual({ changed: false });
  });

  it('a rep cannot claim a customer someone else holds', () => {
    expect(() => claimCustomer({ assignedReps: [other.id] }, asRep, rep, at)).toThrow(expect.objectContaining({ code: 'CUSTOMER_ALREADY_CLAIMED' }));
  });

  it('a manager assigns additional reps, recorded as assign by the manager', () => {
    const out = claimCustomer({ assignedReps: [other.id] }, manager, rep, at);
    expect(out).toMatchObject({ changed: true, assignedReps: [other.id, rep.id], event: { action: 'assign', by: manager.userId, byName: '王经理', note: null } });
  });

  it('release removes only that rep, and refuses a rep who holds nothing', () => {
    const out = releaseCustomer({ assignedReps: [other.id, rep.id] }, manager, rep, at);
    expect(out).toMatchObject({ changed: true, assignedReps: [other.id], event: { action: 'release', repId: rep.id } });
    expect(() => releaseCustomer({ assignedReps: [other.id] }, manager, rep, at)).toThrow(expect.objectContaining({ code: 'CUSTOMER_NOT_CLAIMED' }));
  });
});

describe('customer warnings', () => {
  const contact = (name: string): Contact => ({ _id: new Types.ObjectId(), name, role: null, phone: null, isKey: false });

  it('A and B customers with fewer than 3 contacts get TOO_FEW_CONTACTS at /contacts', () => {
    const [warning] = customerWarnings({ class: 'A', contacts: [contact('李明')] });
    expect(warning).toMatchObject({ code: 'TOO_FEW_CONTACTS', field: '/contacts' });
    expect(warning?.message_zh).toContain('3');
    expect(customerWarnings({ class: 'B', contacts: [] })).toHaveLength(1);
  });

  it('C/D customers, and A customers with 3 contacts, have none', () => {
    expect(customerWarnings({ class: 'C', contacts: [] })).toEqual([]);
    expect(customerWarnings({ class: 'A', contacts: ['a', 'b', 'c'].map(contact) })).toEqual([]);
  });
});
