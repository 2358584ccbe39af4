// Which sections a customer sees, checked against the server's own rule on the real templates.
import { describe, expect, it } from 'vitest';
import { visibleSections } from '../../../server/forms/form-compiler.ts';
import type { FormSchema } from '../../../server/forms/form-types.ts';
import { pruneAnswers, visibleSectionKeys } from '../../../miniapp/src/form-renderer/visibility.ts';
import type { Answers } from '../../../miniapp/src/form-renderer/types.ts';
import { contextsFor, fillAll, template, templates } from './fixtures.ts';

const day = '2026-11-20';

describe('visibleSectionKeys', () => {
  it('shows the pharma template its type-dependent section only for that customer type', () => {
    const { form } = template('pharma-rep-visit');
    expect(visibleSectionKeys(form, { customerType: '药店', customerClass: 'A' })).toEqual(['basic', 'pharmacy', 'compliance', 'summary']);
    expect(visibleSectionKeys(form, { customerType: '医院', customerClass: 'A' })).toEqual(['basic', 'hospital', 'compliance', 'summary']);
    expect(visibleSectionKeys(form, { customerType: '诊所', customerClass: 'D' })).toEqual(['basic', 'clinic', 'compliance', 'summary']);
    expect(visibleSectionKeys(form, { customerType: '连锁总部', customerClass: 'A' })).toEqual(['basic', 'compliance', 'summary']);
  });

  it('shows class-dependent sections by customer class, and combines type and class conditions', () => {
    const ka = template('key-account-visit').form;
    expect(visibleSectionKeys(ka, { customerType: '集团', customerClass: 'B' })).toContain('keyAccountCare');
    expect(visibleSectionKeys(ka, { customerType: '集团', customerClass: 'B' })).not.toContain('classCCare');
    expect(visibleSectionKeys(ka, { customerType: '集团', customerClass: 'C' })).toEqual(['keyPerson', 'purpose', 'classCCare', 'summary']);

    const fmcg = template('fmcg-store-visit').form;
    expect(visibleSectionKeys(fmcg, { customerType: '商超', customerClass: 'A' })).toEqual(['basic', 'stockOrder', 'supermarket', 'keyAccount', 'summary']);
    expect(visibleSectionKeys(fmcg, { customerType: '食杂店', customerClass: 'D' })).toEqual(['basic', 'stockOrder', 'summary']);
  });

  it('agrees with the server for every template, customer type and class', () => {
    for (const t of templates) {
      for (const c of contextsFor(t)) {
        for (const customerClass of ['A', 'B', 'C', 'D']) {
          expect(visibleSectionKeys(t.form, { ...c, customerClass }))
            .toEqual(visibleSections(t.form as unknown as FormSchema, c.customerType, customerClass));
        }
      }
    }
  });
});

describe('pruneAnswers', () => {
  const { form } = template('pharma-rep-visit');
  const ctx = { customerType: '药店', customerClass: 'A', visitDate: day };

  it('creates every visible section (visible sections are required) and drops hidden ones', () => {
    expect(pruneAnswers(form, ctx, { hospital: { department: '内科' } })).toEqual({ basic: {}, pharmacy: {}, compliance: {}, summary: {} });
  });

  it('removes blanks so an unanswered field is absent, never "" or [] or null', () => {
    const pruned = pruneAnswers(form, ctx, { basic: { visitPurpose: '', visitee: null, promotedProducts: 'A药' }, pharmacy: { otcOutOfStock: [], clerkTrained: false } });
    expect(pruned.basic).toEqual({ promotedProducts: 'A药' });
    expect(pruned.pharmacy).toEqual({ clerkTrained: false });
  });

  it('keeps the follow-up (only its own keys) and returns a new object', () => {
    const answers: Answers = { ...fillAll(form, ctx), followUp: { action: '报价', dueDate: '2026-11-21', note: '', extra: 1 } };
    const pruned = pruneAnswers(form, ctx, answers);
    expect(pruned.followUp).toEqual({ action: '报价', dueDate: '2026-11-21' });
    expect(pruned).not.toBe(answers);
    expect(pruned.basic).not.toBe(answers.basic);
  });

  it('drops a follow-up when the form has none', () => {
    const noFollowUp = { ...form, 'x-evidence': {} };
    expect(pruneAnswers(noFollowUp, ctx, { followUp: { action: '报价' } })).not.toHaveProperty('followUp');
  });
});
