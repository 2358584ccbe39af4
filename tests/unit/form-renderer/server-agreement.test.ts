// The renderer against the server: what it emits for the real templates passes the server's compiled answer
// validator, and its pre-check names the same missing fields, with the same codes and words, as the server.
import { describe, expect, it } from 'vitest';
import { checkAnswers } from '../../../miniapp/src/form-renderer/client-check.ts';
import { initialAnswers, normalizeAnswers } from '../../../miniapp/src/form-renderer/defaults.ts';
import { pruneAnswers, visibleSectionKeys } from '../../../miniapp/src/form-renderer/visibility.ts';
import { editContact, editProductRow, newProductRow } from '../../../miniapp/src/form-renderer/values.ts';
import { CONTACTS, contextsFor, fillAll, serverErrors, template, templates } from './fixtures.ts';
import type { Answers, FieldErrorLike } from '../../../miniapp/src/form-renderer/types.ts';

const byPointer = (errors: readonly FieldErrorLike[]) => errors.map((e) => `${e.field} ${e.code}`).sort();

describe('a fully answered form, as the renderer emits it, passes the server', () => {
  for (const t of templates) {
    it(`${t.key}: every customer type and class`, () => {
      for (const context of contextsFor(t)) {
        const emitted = normalizeAnswers(t.form, context, fillAll(t.form, context));
        expect(serverErrors(t.form, context, emitted), `${t.key} for ${context.customerType}/${context.customerClass}`).toEqual([]);
        expect(checkAnswers(t.form, context, emitted)).toEqual([]);
      }
    });
  }
});

describe('pruning keeps answers the server would refuse out of the emitted value', () => {
  const pharma = template('pharma-rep-visit');
  const asPharmacy = { customerType: '药店', customerClass: 'B', visitDate: '2026-11-20' };
  const asHospital = { ...asPharmacy, customerType: '医院' };

  it('a pharmacy visit re-opened for a hospital: the server refuses the pharmacy answers, the pruned value passes', () => {
    const draft = fillAll(pharma.form, asPharmacy);
    const hospitalPart = fillAll(pharma.form, asHospital).hospital;
    const stale = { ...draft, hospital: hospitalPart };
    expect(serverErrors(pharma.form, asHospital, stale)).toEqual([
      expect.objectContaining({ field: '/answers/pharmacy', code: 'FIELD_NOT_APPLICABLE' }),
    ]);
    const pruned = pruneAnswers(pharma.form, asHospital, stale);
    expect(pruned).not.toHaveProperty('pharmacy');
    expect(serverErrors(pharma.form, asHospital, pruned)).toEqual([]);
  });

  it('drops fields and sections the form does not have (the server would call them UNKNOWN_FIELD)', () => {
    const answers: Answers = { ...fillAll(pharma.form, asPharmacy), legacy: { x: 1 } };
    (answers.basic as Record<string, unknown>).oldField = 'from an older version';
    expect(byPointer(serverErrors(pharma.form, asPharmacy, answers))).toEqual(['/answers/basic/oldField UNKNOWN_FIELD', '/answers/legacy UNKNOWN_FIELD']);
    expect(serverErrors(pharma.form, asPharmacy, pruneAnswers(pharma.form, asPharmacy, answers))).toEqual([]);
  });
});

describe('the pre-check names the same gaps as the server', () => {
  it('a new visit (sections and prefill only): identical REQUIRED errors, messages included, for every template and customer', () => {
    for (const t of templates) {
      for (const context of contextsFor(t)) {
        const answers = initialAnswers(t.form, context, { customer: { primaryContact: CONTACTS[0] } });
        const server = serverErrors(t.form, context, answers);
        expect(server.length).toBeGreaterThan(0);
        expect(server.every((e) => e.code === 'REQUIRED')).toBe(true);
        expect(sortErrors(checkAnswers(t.form, context, answers)), `${t.key} ${context.customerType}/${context.customerClass}`).toEqual(sortErrors(server));
      }
    }
  });

  it('every other field left out: the same pointers and codes', () => {
    for (const t of templates) {
      for (const context of contextsFor(t)) {
        const full = fillAll(t.form, context);
        let n = 0;
        const sparse: Answers = { followUp: full.followUp };
        for (const key of visibleSectionKeys(t.form, context)) {
          const section = full[key] as Record<string, unknown>;
          sparse[key] = Object.fromEntries(Object.entries(section).filter(() => n++ % 2 === 0));
        }
        const emitted = normalizeAnswers(t.form, context, sparse);
        expect(serverErrors(t.form, context, emitted).length).toBeGreaterThan(0);
        expect(byPointer(checkAnswers(t.form, context, emitted))).toEqual(byPointer(serverErrors(t.form, context, emitted)));
      }
    }
  });

  it('half-typed composites and short or out-of-range answers: the same pointers and codes', () => {
    const t = template('b2b-equipment-demo');
    const context = { customerType: '医院', customerClass: 'A', visitDate: '2026-11-20' };
    const answers = fillAll(t.form, context);
    const demo = answers.demo as Record<string, unknown>;
    const business = answers.business as Record<string, unknown>;
    const confirm = answers.confirm as Record<string, unknown>;
    demo.attendees = [editContact(undefined, 'role', '主任'), editContact(editContact(undefined, 'name', '周'), 'phone', 'call me')];
    demo.demoDuration = 0;
    business.quoteItems = editProductRow(editProductRow([newProductRow(t.form.properties.business!.properties.quoteItems!)], 0, 'qty', undefined), 0, 'sku', 'X1');
    confirm.signer = editContact(undefined, 'phone', '12345');
    (answers.summary as Record<string, unknown>).demoSummary = '很好';
    (answers.content as Record<string, unknown>).customerRating = 6;

    const client = checkAnswers(t.form, context, answers);
    expect(byPointer(client)).toEqual(byPointer(serverErrors(t.form, context, answers)));
    expect(byPointer(client)).toEqual([
      '/answers/business/quoteItems/0/name REQUIRED',
      '/answers/business/quoteItems/0/qty REQUIRED',
      '/answers/confirm/signer/name REQUIRED',
      '/answers/content/customerRating TOO_LARGE',
      '/answers/demo/attendees/0/name REQUIRED',
      '/answers/demo/attendees/1/phone BAD_PATTERN',
      '/answers/demo/demoDuration TOO_SMALL',
      '/answers/summary/demoSummary TOO_SHORT',
    ]);
  });

  it('follow-up dates outside visitDate..visitDate+maxDays: the same codes as the server keyword', () => {
    const t = template('real-estate-prospecting'); // maxDays 3
    const context = { customerType: '社区', customerClass: 'C', visitDate: '2026-12-30' };
    for (const [dueDate, code] of [['2027-01-02', null], ['2027-01-03', 'FOLLOW_UP_TOO_LATE'], ['2026-12-29', 'FOLLOW_UP_IN_PAST']] as const) {
      const answers = { ...fillAll(t.form, context), followUp: { action: '预约带看', dueDate } };
      const server = serverErrors(t.form, context, answers);
      expect(sortErrors(checkAnswers(t.form, context, answers))).toEqual(sortErrors(server));
      expect(server.map((e) => e.code)).toEqual(code ? [code] : []);
    }
  });
});

function sortErrors(errors: readonly FieldErrorLike[]): FieldErrorLike[] {
  return [...errors].map(({ field, code, message_zh, message_en }) => ({ field, code, message_zh, message_en })).sort((a, b) => a.field.localeCompare(b.field));
}
