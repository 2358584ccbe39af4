import { describe, expect, it } from 'vitest';
import { normalisePhone } from '../../../server/customers/phone.ts';

describe('normalisePhone', () => {
  it.each([
    ['13800138000', '13800138000', 'mobile'],
    ['138 0013 8000', '13800138000', 'mobile'],
    ['+86 138-0013-8000', '13800138000', 'mobile'],
    ['008619912345678', '19912345678', 'mobile'],
    ['010-62345678', '010-62345678', 'landline'],
    ['(0755) 8888 8888', '0755-88888888', 'landline'],
    ['02584561234', '025-84561234', 'landline'],
    ['0571-8765432', '0571-8765432', 'landline'],
    ['021-62345678-123', '021-62345678-123', 'landline'],
    ['021-62345678转 88', '021-62345678-88', 'landline'],
    ['400-810-8888', '400-810-8888', 'service'],
  ])('accepts %s as %s (%s)', (raw, value, kind) => {
    expect(normalisePhone(raw)).toEqual({ value, kind });
  });

  it.each([
    '12345678901', '1380013800', '138001380001', '62345678', '010-12345678', 'abc', '', '+1 415 555 0100', '13800138000转1', '010-6234-5678-9-9',
  ])('rejects %j', (raw) => {
    expect(normalisePhone(raw)).toBeUndefined();
  });
});
