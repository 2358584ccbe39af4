// The pre-check a rep sees before submitting: missing required answers of visible sections and the follow-up.
import { describe, expect, it } from 'vitest';
import { checkAnswers, checkFollowUp } from '../../../miniapp/src/form-renderer/client-check.ts';
import { initialAnswers } from '../../../miniapp/src/form-renderer/defaults.ts';
import { fillAll, template } from './fixtures.ts';

const day = '2026-11-20';

describe('checkAnswers', () => {
  const { form } = template('pharma-rep-visit');

  it('asks a pharmacy visit for the pharmacy section and never for the hospital one', () => {
    const ctx = { customerType: '药店', customerClass: 'A', visitDate: day };
    const fields = checkAnswers(form, ctx, initialAnswers(form, ctx)).map((e) => e.field);
    expect(fields).toContain('/answers/pharmacy/distribution');
    expect(fields).toContain('/answers/pharmacy/sellThrough');
    expect(fields.some((f) => f.startsWith('/answers/hospital'))).toBe(false);
    expect(fields.at(-1)).toBe('/answers/followUp');
  });

  it('reports in form order with Chinese and English messages', () => {
    const ctx = { customerType: '医院', customerClass: 'A', visitDate: day };
    const errors = checkAnswers(form, ctx, initialAnswers(form, ctx), { followUp: false });
    expect(errors[0]).toEqual({ field: '/answers/basic/visitPurpose', code: 'REQUIRED', message_zh: '「拜访目的」为必填项', message_en: '"visitPurpose" is required' });
    expect(errors.map((e) => e.field.split('/')[2])).toEqual([...errors.map((e) => e.field.split('/')[2])].sort((a, b) =>
      ['basic', 'hospital', 'compliance', 'summary'].indexOf(a!) - ['basic', 'hospital', 'compliance', 'summary'].indexOf(b!)));
    expect(errors.some((e) => e.field === '/answers/followUp')).toBe(false);
  });

  it('counts false as an answer: a compliance "no" is not missing', () => {
    const ctx = { customerType: '诊所', customerClass: 'C', visitDate: day };
    const answers = fillAll(form, ctx);
    (answers.compliance as Record<string, unknown>).noImproperBenefit = false;
    expect(checkAnswers(form, ctx, answers)).toEqual([]);
  });

  it('flags a section object that is missing altogether', () => {
    const ctx = { customerType: '药店', customerClass: 'A', visitDate: day };
    const { pharmacy: _dropped, ...rest } = fillAll(form, ctx);
    expect(checkAnswers(form, ctx, rest)).toEqual([expect.objectContaining({ field: '/answers/pharmacy', code: 'REQUIRED', message_zh: '「药店拜访」为必填项' })]);
  });
});

describe('checkFollowUp', () => {
  const rule = { required: true, maxDays: 7, actions: ['报价'] };

  it('requires the follow-up when the form does, and both its parts once started', () => {
    expect(checkFollowUp(rule, day, undefined)).toEqual([expect.objectContaining({ field: '/answers/followUp', code: 'REQUIRED' })]);
    expect(checkFollowUp({ ...rule, required: false }, day, undefined)).toEqual([]);
    expect(checkFollowUp({ ...rule, required: false }, day, { action: '报价' }).map((e) => e.field)).toEqual(['/answers/followUp/dueDate']);
    expect(checkFollowUp(rule, day, { dueDate: '2026-11-21' }).map((e) => e.field)).toEqual(['/answers/followUp/action']);
  });

  it('accepts the visit day through visitDate + maxDays and nothing outside', () => {
    expect(checkFollowUp(rule, day, { action: '报价', dueDate: '2026-11-20' })).toEqual([]);
    expect(checkFollowUp(rule, day, { action: '报价', dueDate: '2026-11-27' })).toEqual([]);
    expect(checkFollowUp(rule, day, { action: '报价', dueDate: '2026-11-28' })).toEqual([
      { field: '/answers/followUp/dueDate', code: 'FOLLOW_UP_TOO_LATE', message_zh: '跟进事项须在拜访后 7 天内完成', message_en: 'The follow-up must be due within 7 days of the visit' },
    ]);
    expect(checkFollowUp(rule, day, { action: '报价', dueDate: '2026-11-19' }).map((e) => e.code)).toEqual(['FOLLOW_UP_IN_PAST']);
  });
});
