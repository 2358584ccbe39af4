import { describe, expect, it } from 'vitest';
import { qrInvalid } from '../../../server/verification/rules/qr-invalid.ts';
import { sameContact } from '../../../server/verification/rules/same-contact.ts';
import { expectSpared, history, onlyFinding, params, visit } from './fixtures.ts';
import type { History, QrCheckProblem, VisitFacts } from '../../../server/verification/types.ts';

describe('SAME_CONTACT', () => {
  const contacts = (previousMonthsContactIds: string[][], thisMonthContactIds?: string[]): Partial<History> =>
    ({ contacts: { previousMonthsContactIds, thisMonthContactIds, customerContactCount: 4 } });
  const run = (met: string[], h: Partial<History>, v: Partial<VisitFacts> = {}, months = 2) =>
    sameContact(visit({ contactsMet: met, ...v }), history(h), params({ sameContactMonths: months }));

  it('fires at an A/B customer when the rep met only the same one contact this month and last', () => {
    const f = onlyFinding(run(['c1'], contacts([['c1', 'c1']])));
    expect(f).toMatchObject({ code: 'SAME_CONTACT', family: 'behaviour', weight: 30, measured: 1, threshold: 2, unit: 'contacts' });
    expect(f.evidence.contactIds).toEqual(['c1']);
    expect(f.message_en).toContain('(4 on file)');
  });

  it('spares a rep who met someone else: in this visit, last month, or in another visit this month', () => {
    expectSpared(run(['c1', 'c2'], contacts([['c1']])));
    expectSpared(run(['c1'], contacts([['c1', 'c3']])));
    expectSpared(run(['c1'], contacts([['c1']], ['c2'])));
  });

  it('spares C and D customers, and customers without a previous month on record', () => {
    expectSpared(run(['c1'], contacts([['c1']]), { customer: { ...visit().customer, class: 'C' } }));
    expectSpared(run(['c1'], contacts([])));
  });

  it('over three months it needs the two earlier months to be the same single contact', () => {
    expectSpared(run(['c1'], contacts([['c1']]), {}, 3));
    expect(onlyFinding(run(['c1'], contacts([['c1'], ['c1']]), {}, 3)).message_zh).toContain('连续 3 个月');
  });
});

describe('QR_INVALID', () => {
  const run = (qr: VisitFacts['qr']) => qrInvalid(visit({ startedBy: 'qr', qr }), history(), params());
  const failed = (problem: QrCheckProblem) => onlyFinding(run({ ok: false, problem }));

  it('a forged code is a hard failure', () => {
    expect(failed('forged')).toMatchObject({ code: 'QR_INVALID', family: 'qr', hard: true, weight: 100, evidence: { problem: 'forged' } });
  });

  it("another store's code and a replayed rotating code cost the full weight, without the hard cap", () => {
    for (const problem of ['other-store', 'replayed'] as const) {
      const f = failed(problem);
      expect(f.weight).toBe(100);
      expect(f.hard).toBeUndefined();
    }
  });

  it('a slightly stale rotating code costs half, an old sticker after a key rotation little', () => {
    expect(failed('expired').weight).toBe(50);
    const revoked = failed('revoked');
    expect(revoked.weight).toBe(30);
    expect(revoked.message_en).toContain('the sticker at the store needs replacing');
  });

  it('a failure without a stated reason is not called a forgery', () => {
    expect(onlyFinding(run({ ok: false }))).toMatchObject({ weight: 100, evidence: { problem: 'malformed' } });
    expect(onlyFinding(run({ ok: false })).hard).toBeUndefined();
  });

  it('is silent for a good code and for visits started by location', () => {
    expectSpared(run({ ok: true }));
    expectSpared(qrInvalid(visit(), history(), params()));
  });

  it('a rotating code scanned offline costs nothing but is noted with its delay', () => {
    const out = run({ ok: true, offlineDelayS: 5400 });
    expect(out.findings).toEqual([]);
    expect(out.notes).toEqual([expect.objectContaining({ code: 'QR_SCANNED_OFFLINE', evidence: expect.objectContaining({ minutes: 90 }) })]);
  });
});
