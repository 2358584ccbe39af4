import { describe, expect, it } from 'vitest';
import { proxyCheckIn } from '../../../server/verification/rules/proxy-check-in.ts';
import { at, expectSpared, fix, history, noteCodes, onlyFinding, params, visit } from './fixtures.ts';
import type { History } from '../../../server/verification/types.ts';

const run = (h: Partial<History>, v = visit()) => proxyCheckIn(v, history(h), params());
const deviceUse = (minutes: number, repId = 'rep-wang') => ({ deviceUsedByOtherReps: [{ repId, visitId: 'v-wang', at: at(minutes) }] });
const twinFix = (minutes: number, distanceM = 0) => ({ otherRepsIdenticalFixes: [{ repId: 'rep-wang', visitId: 'v-wang', at: at(minutes), distanceM }] });

describe('PROXY_CHECK_IN: one phone, two reps', () => {
  const owner = (repId: string, by: 'host-login' | 'most-visits' = 'host-login') => ({ deviceOwner: { repId, by } });

  it('is a hard failure on another rep\'s phone: the owner (who signs in with it) used it 2 h before (window 8 h)', () => {
    const f = onlyFinding(run({ ...deviceUse(-120), ...owner('rep-wang') }));
    expect(f).toMatchObject({ code: 'PROXY_CHECK_IN', family: 'identity', hard: true, weight: 50, measured: 2, threshold: 8, unit: 'h' });
    expect(f.evidence).toMatchObject({ otherRepId: 'rep-wang', otherVisitId: 'v-wang' });
    expect(f.message_zh).toContain('这部手机属于另一位业务员（rep-wang');
  });

  it('is hard too when the owner is a third rep, known as its most frequent user', () => {
    const f = onlyFinding(run({ ...deviceUse(-120), ...owner('rep-zhao', 'most-visits') }));
    expect(f).toMatchObject({ hard: true, weight: 50 });
    expect(f.message_en).toContain('rep-zhao uses it most');
  });

  it('spares the phone\'s owner: a colleague used my phone for a proxy earlier, my own visit keeps its score, with a note', () => {
    for (const by of ['host-login', 'most-visits'] as const) {
      const out = run({ ...deviceUse(-120), ...owner('rep-li', by) });
      expectSpared(out);
      expect(noteCodes(out)).toEqual(['OWN_PHONE_SHARED']);
    }
  });

  it('an unknown owner (a new or shared phone) is worth a review only: half the weight, not hard', () => {
    const f = onlyFinding(run(deviceUse(-120)));
    expect(f).toMatchObject({ code: 'PROXY_CHECK_IN', weight: 25, measured: 2, unit: 'h' });
    expect(f.hard).toBeUndefined();
    expect(f.message_zh).toContain('手机归属不明');
  });

  it('spares a phone handed over long ago (30 h) and the rep\'s own earlier use, whoever owns it', () => {
    expectSpared(run({ ...deviceUse(-30 * 60), ...owner('rep-wang') }));
    expectSpared(run(deviceUse(-60, 'rep-li')));
  });
});

describe('PROXY_CHECK_IN: two reps, one position', () => {
  it('fires when another rep had an identical GPS-grade fix 3 min apart (window 10 min), not hard', () => {
    const f = onlyFinding(run(twinFix(3)));
    expect(f).toMatchObject({ code: 'PROXY_CHECK_IN', weight: 50, measured: 3, threshold: 10, unit: 'min' });
    expect(f.hard).toBeUndefined();
  });

  it('spares a declared joint visit (协访) on two phones, with a note', () => {
    const out = run({ ...twinFix(3), jointVisit: true });
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['JOINT_VISIT_SAME_FIX']);
  });

  it('spares WiFi fixes: every phone in the shop gets the same point', () => {
    expectSpared(run(twinFix(3), visit({ fixes: [fix({ provider: 'wifi', accuracyM: 40 })] })));
    // Which of our fixes matched is unknown: one WiFi fix in the burst is enough doubt.
    expectSpared(run(twinFix(3), visit({ fixes: [fix(), fix({ provider: 'wifi', accuracyM: 40, second: 5 })] })));
  });

  it('spares fixes 40 min apart, and fixes that are merely close (5 m)', () => {
    expectSpared(run(twinFix(40)));
    expectSpared(run(twinFix(3, 5)));
  });

  it('reports both signals when both are there', () => {
    expect(run({ ...deviceUse(-60), ...twinFix(2) }).findings.map((f) => f.unit)).toEqual(['h', 'min']);
  });
});
