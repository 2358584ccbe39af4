// What the widgets emit for a tap or a keystroke, and the date arithmetic behind the pickers.
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween, isDate, joinDateParts, splitDateTime, toDateTimeValue, toTimeValue, todayInChina } from '../../../miniapp/src/form-renderer/dates.ts';
import { deepEqual } from '../../../miniapp/src/form-renderer/equal.ts';
import {
  choiceDisplay, contactFromCustomer, editContact, editProductRow, isBlank, newProductRow, numberFromInput, roundToStep, textFromInput, toggleOption,
} from '../../../miniapp/src/form-renderer/values.ts';
import type { FormField } from '../../../miniapp/src/form-renderer/types.ts';
import { serverErrors } from './fixtures.ts';

const field = (extra: Partial<FormField>): FormField => ({ 'x-widget': 'text', type: 'string', title: 't', ...extra } as FormField);

describe('dates', () => {
  it('adds and counts days across months, years and leap days without time-zone drift', () => {
    expect(addDays('2026-12-30', 3)).toBe('2027-01-02');
    expect(addDays('2028-02-27', 2)).toBe('2028-02-29');
    expect(daysBetween('2026-11-20', '2026-11-27')).toBe(7);
    expect(daysBetween('2026-11-20', '2026-11-19')).toBe(-1);
    expect(isDate('2026-02-29')).toBe(false);
    expect(isDate('2028-02-29')).toBe(true);
    expect(joinDateParts(['2026', '3', '7'])).toBe('2026-03-07');
    // 01:00 in Shanghai is still the previous day in UTC.
    expect(todayInChina(Date.parse('2026-11-19T17:00:00Z'))).toBe('2026-11-20');
  });

  it('writes date-time and time with an offset, as the server formats require', () => {
    const form = {
      type: 'object' as const, title: 'f', 'x-evidence': {},
      properties: { s: { type: 'object' as const, title: 's', properties: {
        at: field({ 'x-widget': 'datetime', format: 'date-time' }), time: field({ 'x-widget': 'datetime', format: 'time' }),
      } } },
    };
    const ctx = { customerType: 'x', customerClass: 'A', visitDate: '2026-11-20' };
    const good = { s: { at: toDateTimeValue('2026-11-20', '09:05'), time: toTimeValue('09:05') } };
    expect(good.s).toEqual({ at: '2026-11-20T09:05:00+08:00', time: '09:05:00+08:00' });
    expect(serverErrors(form, ctx, good)).toEqual([]);
    expect(serverErrors(form, ctx, { s: { at: '2026-11-20T09:05', time: '09:05' } }).map((e) => e.code)).toEqual(['BAD_FORMAT', 'BAD_FORMAT']);
    expect(splitDateTime(good.s.at)).toEqual({ date: '2026-11-20', time: '09:05' });
    expect(splitDateTime(good.s.time)).toEqual({ time: '09:05' });
  });
});

describe('widget values', () => {
  it('treats cleared inputs as unanswered, never as "" or NaN', () => {
    expect(textFromInput('   ')).toBeUndefined();
    expect(textFromInput(' 有 ')).toBe(' 有 ');
    expect(numberFromInput('')).toBeUndefined();
    expect(numberFromInput('12.')).toBe(12);
    expect(numberFromInput('-')).toBeUndefined();
    expect(isBlank([])).toBe(true);
    expect(isBlank(false)).toBe(false);
    expect(isBlank(0)).toBe(false);
  });

  it('rounds typed decimals to the field step', () => {
    expect(roundToStep(12.346, 0.01)).toBe(12.35);
    expect(roundToStep(3.14159, 0.1)).toBe(3.1);
    expect(roundToStep(17, 5)).toBe(15);
    expect(roundToStep(2.5, undefined)).toBe(2.5);
  });

  it('keeps multichoice answers in the authored order and unanswered when emptied', () => {
    const f = field({ 'x-widget': 'multichoice', type: 'array', items: { type: 'string', enum: ['海报', '价签牌', '地贴'] } });
    const a = toggleOption(f, undefined, '地贴');
    const b = toggleOption(f, a, '海报');
    expect(b).toEqual(['海报', '地贴']);
    expect(toggleOption(f, toggleOption(f, b, '海报'), '地贴')).toBeUndefined();
  });

  it('picks a short list on screen and a long one in a picker unless the form says otherwise', () => {
    expect(choiceDisplay(field({ 'x-widget': 'choice', enum: ['a', 'b'] }))).toBe('radio');
    expect(choiceDisplay(field({ 'x-widget': 'choice', enum: ['1', '2', '3', '4', '5', '6', '7'] }))).toBe('select');
    expect(choiceDisplay(field({ 'x-widget': 'choice', enum: ['a'], 'x-display': 'buttons' }))).toBe('buttons');
  });

  it('snapshots a picked contact and forgets its id once the rep edits it by hand', () => {
    const picked = contactFromCustomer({ id: 'c-9', name: '周', role: ' ', phone: '+86 138' });
    expect(picked).toEqual({ contactId: 'c-9', name: '周', phone: '+86 138' });
    expect(editContact(picked, 'name', '周杰')).toEqual({ name: '周杰', phone: '+86 138' });
    expect(editContact(picked, 'phone', '')).toEqual({ name: '周' });
  });

  it('starts product rows with the first allowed unit and edits one row at a time', () => {
    const f = field({ 'x-widget': 'products', type: 'array', 'x-units': ['箱', '瓶'] });
    const rows = editProductRow([newProductRow(f), newProductRow(f)], 1, 'name', '矿泉水');
    expect(rows).toEqual([{ qty: 1, unit: '箱' }, { qty: 1, unit: '箱', name: '矿泉水' }]);
    expect(editProductRow(rows, 1, 'qty', undefined)[1]).toEqual({ unit: '箱', name: '矿泉水' });
    expect(newProductRow(field({ 'x-widget': 'products', type: 'array' }))).toEqual({ qty: 1 });
  });

  it('compares answers structurally, ignoring key order and undefined keys', () => {
    expect(deepEqual({ a: { b: [1, { c: 2 }] }, x: undefined }, { a: { b: [1, { c: 2 }] } })).toBe(true);
    expect(deepEqual({ a: [1, 2] }, { a: [2, 1] })).toBe(false);
    expect(deepEqual({ a: 1 }, { a: '1' })).toBe(false);
  });
});
