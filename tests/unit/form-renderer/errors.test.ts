// Server error pointers mapped to the fields that show them.
import { describe, expect, it } from 'vitest';
import {
  answerPath, errorKey, errorsByKey, errorText, firstErrorKey, unplacedErrors,
} from '../../../miniapp/src/form-renderer/errors.ts';
import { normalizeAnswers } from '../../../miniapp/src/form-renderer/defaults.ts';
import type { Answers } from '../../../miniapp/src/form-renderer/types.ts';
import { fillAll, serverErrors, template } from './fixtures.ts';

const day = '2026-11-20';

describe('pointer mapping', () => {
  it('maps /answers pointers to section.field keys, composites to their field, and others to nothing', () => {
    expect(errorKey('/answers/basic/visitee')).toBe('basic.visitee');
    expect(errorKey('/answers/basic/visitee/phone')).toBe('basic.visitee');
    expect(errorKey('/answers/stockOrder/orderProducts/2/qty')).toBe('stockOrder.orderProducts');
    expect(errorKey('/answers/followUp/dueDate')).toBe('followUp.dueDate');
    expect(errorKey('/answers/pharmacy')).toBe('pharmacy');
    expect(errorKey('/answers')).toBeNull();
    expect(errorKey('/context/visitDate')).toBeNull();
    expect(answerPath('/answers/a~1b/c~0d')).toEqual(['a/b', 'c~d']);
  });

  it('prefixes errors inside lists with the item number in the UI language', () => {
    const e = { field: '/answers/s/products/1/name', code: 'REQUIRED', message_zh: '「产品」为必填项', message_en: '"name" is required' };
    expect(errorText(e, 'zh-CN')).toBe('第 2 项：「产品」为必填项');
    expect(errorText(e, 'en-US')).toBe('Item 2: "name" is required');
    expect(errorText({ ...e, field: '/answers/s/f' }, 'en-US')).toBe('"name" is required');
  });
});

describe('placing real server errors', () => {
  const { form } = template('pharma-rep-visit');
  const ctx = { customerType: '药店', customerClass: 'A', visitDate: day };

  it('puts every error the server returns for an emitted form under a rendered field', () => {
    const answers = normalizeAnswers(form, ctx, { basic: { visitee: { name: '' } } });
    const errors = serverErrors(form, ctx, answers);
    expect(errors.length).toBeGreaterThan(5);
    expect(unplacedErrors(errors, form, ctx, true)).toEqual([]);
    const grouped = errorsByKey(errors);
    expect(grouped['basic.visitee']?.map((e) => e.code)).toEqual(['TOO_SHORT']);
    expect(grouped['pharmacy.distribution']?.map((e) => e.code)).toEqual(['REQUIRED']);
    expect(firstErrorKey(errors, form, ctx, true)).toBe('basic.visitPurpose');
  });

  it('keeps errors no field shows (follow-up rendered elsewhere, hidden sections, context) for the top of the form', () => {
    const answers: Answers = { ...fillAll(form, ctx), hospital: { department: '内科' } };
    delete answers.followUp;
    const errors = [...serverErrors(form, ctx, answers), { field: '/context/visitDate', code: 'BAD_FORMAT', message_zh: 'x', message_en: 'x' }];
    const unplaced = unplacedErrors(errors, form, ctx, false).map((e) => e.field);
    // The hidden section draws FIELD_NOT_APPLICABLE plus its own REQUIREDs: all of them go to the top.
    expect(unplaced.filter((f) => !f.startsWith('/answers/hospital/')).sort()).toEqual(['/answers/followUp', '/answers/hospital', '/context/visitDate']);
    expect(unplaced.length).toBe(errors.length);
    expect(unplacedErrors(errors, form, ctx, true).map((e) => e.field)).not.toContain('/answers/followUp');
  });
});
