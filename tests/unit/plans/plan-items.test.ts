import { describe, expect, it } from 'vitest';
import { prepareItems, type ItemInput } from '../../../server/plans/plan-items.ts';

const held = new Map([['c1', '华联超市'], ['c2', '好德便利']]);
let n = 0;
const newId = () => `new${++n}`;
const item = (over: Partial<ItemInput> = {}): ItemInput => ({
  date: '2026-11-05', customerId: 'c1', purpose: '例行拜访', visitType: 'onsite', contactName: ' 王店长 ', contactPhone: '+86 138-0013-8000', ...over,
});

describe('plan items', () => {
  it('copies the customer name in, normalises the phone, trims text and keeps given ids', () => {
    const { items, errors } = prepareItems('2026-11', [item({ id: 'keep1', purposeNote: ' 带样品 ' }), item({ customerId: 'c2', contactPhone: '(021) 6234 5678转801' })], held, newId);
    expect(errors).toEqual([]);
    expect(items[0]).toEqual({
      id: 'keep1', date: '2026-11-05', customerId: 'c1', customerName: '华联超市', purpose: '例行拜访', purposeNote: '带样品',
      visitType: 'onsite', contactName: '王店长', contactPhone: '13800138000',
    });
    expect(items[1]).toMatchObject({ id: expect.stringMatching(/^new\d+$/), customerName: '好德便利', contactPhone: '021-62345678-801' });
  });

  it('names every problem at its item: a customer not held, a bad phone, a day outside the month, duplicates', () => {
    const { errors } = prepareItems('2026-02', [
      item({ date: '2026-02-29' }),
      item({ date: '2026-02-10', customerId: 'zz' }),
      item({ date: '2026-02-11', contactPhone: '1234' }),
      item({ id: 'x', date: '2026-02-12' }),
      item({ id: 'x', date: '2026-02-12' }),
    ], held, newId);
    expect(errors.map((e) => [e.field, e.code])).toEqual([
      ['/items/0/date', 'OUTSIDE_MONTH'],
      ['/items/1/customerId', 'NOT_HELD'],
      ['/items/2/contactPhone', 'INVALID_PHONE'],
      ['/items/4/id', 'DUPLICATE'],
      ['/items/4/customerId', 'DUPLICATE_VISIT'],
    ]);
    expect(errors.every((e) => /\p{Script=Han}/u.test(e.message_zh) && e.message_en.length > 0)).toBe(true);
  });
});
