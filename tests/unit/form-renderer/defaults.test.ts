// Initial answers and x-prefill from the customer's record.
import { describe, expect, it } from 'vitest';
import { coercePrefill, initialAnswers, normalizeAnswers, prefillValue } from '../../../miniapp/src/form-renderer/defaults.ts';
import type { FormField } from '../../../miniapp/src/form-renderer/types.ts';
import { CONTACTS, template } from './fixtures.ts';

const day = '2026-11-20';

describe('initialAnswers', () => {
  it('fills the receptionist from customer.primaryContact as a contact answer (id kept, bad phone dropped)', () => {
    const { form } = template('fmcg-store-visit');
    const ctx = { customerType: '商超', customerClass: 'A', visitDate: day };
    expect(initialAnswers(form, ctx, { customer: { primaryContact: CONTACTS[0] } }).basic)
      .toEqual({ receptionist: { contactId: 'c-1', name: '王芳', role: '店长', phone: '138-0013-8000' } });
    expect(initialAnswers(form, ctx, { 'customer.primaryContact': CONTACTS[1] }).basic)
      .toEqual({ receptionist: { contactId: 'c-2', name: '李明', role: '采购' } });
  });

  it('creates visible sections only and prefills nothing it cannot trust', () => {
    const { form } = template('real-estate-prospecting');
    const ctx = { customerType: '社区', customerClass: 'B', visitDate: day };
    const siteTypes = form.properties.site!.properties.siteType!.enum!;
    const a = initialAnswers(form, ctx, { customer: { name: '  阳光花园 ', type: siteTypes[1] } });
    expect(a).toEqual({ site: { siteName: '阳光花园', siteType: siteTypes[1] }, materials: {}, results: {}, viewing: {}, summary: {} });
    // A customer type that is not one of the choices is not forced into the answer.
    expect(initialAnswers(form, ctx, { customer: { name: '阳光花园', type: '写字楼以外的东西' } }).site).toEqual({ siteName: '阳光花园' });
    expect(initialAnswers(form, ctx).site).toEqual({});
  });

  it('does not create or prefill a hidden section', () => {
    const { form } = template('fmcg-store-visit');
    const a = initialAnswers(form, { customerType: '便利店', customerClass: 'C', visitDate: day }, { customer: { primaryContact: CONTACTS[0] } });
    expect(Object.keys(a)).toEqual(['basic', 'stockOrder', 'convenience', 'summary']);
  });
});

describe('normalizeAnswers', () => {
  const { form } = template('supervisor-store-inspection');
  const ctx = { customerType: '直营店', customerClass: 'A', visitDate: day };
  const prefill = { customer: { primaryContact: CONTACTS[0] } };

  it('keeps a prefilled field cleared once the rep cleared it (prefill only when a section is created)', () => {
    const start = initialAnswers(form, ctx, prefill);
    expect(start.confirm).toEqual({ storeManager: expect.objectContaining({ name: '王芳' }) });
    const cleared = { ...start, confirm: {} };
    expect(normalizeAnswers(form, ctx, cleared, prefill).confirm).toEqual({});
  });

  it('keeps what the rep answered over the prefill and restores missing sections of an older draft', () => {
    const draft = { confirm: { storeManager: { name: '张伟' } } };
    const out = normalizeAnswers(form, ctx, draft, prefill);
    expect(out.confirm).toEqual({ storeManager: { name: '张伟' } });
    expect(Object.keys(out)).toEqual(['storeImage', 'display', 'inventory', 'promotion', 'staff', 'rectification', 'confirm']);
  });
});

describe('prefill lookup and coercion', () => {
  it('reads flat keys first, then nested paths', () => {
    expect(prefillValue({ 'customer.name': '甲', customer: { name: '乙' } }, 'customer.name')).toBe('甲');
    expect(prefillValue({ customer: { name: '乙' } }, 'customer.name')).toBe('乙');
    expect(prefillValue({ customer: null }, 'customer.name')).toBeUndefined();
    expect(prefillValue(undefined, 'customer.name')).toBeUndefined();
  });

  const f = (extra: Partial<FormField>): FormField => ({ 'x-widget': 'text', type: 'string', title: 't', ...extra } as FormField);

  it('accepts only values that fit the widget', () => {
    expect(coercePrefill(f({ maxLength: 3 }), '北京朝阳区')).toBe('北京朝');
    expect(coercePrefill(f({ 'x-widget': 'number', type: 'integer', minimum: 0 }), '12')).toBe(12);
    expect(coercePrefill(f({ 'x-widget': 'number', type: 'integer' }), 1.5)).toBeUndefined();
    expect(coercePrefill(f({ 'x-widget': 'number', type: 'number', maximum: 10 }), 11)).toBeUndefined();
    expect(coercePrefill(f({ 'x-widget': 'yesno', type: 'boolean' }), 'true')).toBeUndefined();
    expect(coercePrefill(f({ 'x-widget': 'datetime', format: 'date' }), '2026-02-30')).toBeUndefined();
    expect(coercePrefill(f({ 'x-widget': 'datetime', format: 'date-time' }), '2026-02-03T10:00:00+08:00')).toBe('2026-02-03T10:00:00+08:00');
    expect(coercePrefill(f({ 'x-widget': 'multichoice', type: 'array', items: { type: 'string', enum: ['a', 'b', 'c'] } }), ['c', 'x', 'a'])).toEqual(['a', 'c']);
    expect(coercePrefill(f({ 'x-widget': 'contact', type: 'object', 'x-multiple': true }), CONTACTS[0])).toEqual([expect.objectContaining({ contactId: 'c-1' })]);
    expect(coercePrefill(f({ 'x-widget': 'contact', type: 'object' }), { id: 'x' })).toBeUndefined();
    expect(coercePrefill(f({ 'x-widget': 'signature' }), '65a1f0c2b4d3e2f1a0b9c8d7')).toBeUndefined();
  });
});
