import { describe, expect, it } from 'vitest';
import { bandOf, combine, evaluateVisit } from '../../../server/verification/engine.ts';
import { DEFAULT_AUTHENTICITY } from '../../../server/verification/params.ts';
import { at, fix, frozenBurst, history, params, stamp, visit } from './fixtures.ts';
import type { History, VisitFacts } from '../../../server/verification/types.ts';

const weights = (w: Partial<typeof DEFAULT_AUTHENTICITY.ruleWeights>) => params({ ruleWeights: { ...DEFAULT_AUTHENTICITY.ruleWeights, ...w } });
const judge = (v: Partial<VisitFacts> = {}, h: Partial<History> = {}, p = params()) => evaluateVisit(visit(v), history(h), p);
const farAway = { fixes: [fix({ north: 800, accuracyM: 0 })] };

describe('evaluateVisit', () => {
  it('an honest visit scores 100, green, with nothing to explain', () => {
    expect(judge()).toEqual({
      score: 100, band: 'green', reasons: [], notes: [], capped: false,
      families: { location: 0, photo: 0, identity: 0, timing: 0, behaviour: 0, qr: 0 },
    });
  });

  it('within a family only the largest penalty counts: fence 45 and frozen point 25 → 55, not 30', () => {
    const v = judge({ fixes: frozenBurst(4, { north: 800 }) });
    expect(v.reasons.map((r) => [r.code, r.weight, r.counted])).toEqual([['OUTSIDE_FENCE', 45, true], ['FROZEN_POINT', 25, false]]);
    expect(v).toMatchObject({ score: 55, band: 'red', families: { location: 45 } });
  });

  it('families add: a near-miss fence (23) and a 7-minute stay (15) → 62, yellow', () => {
    const v = judge({ fixes: [fix({ north: 300, accuracyM: 20 })], checkOut: stamp(7) });
    expect(v.families).toMatchObject({ location: 23, timing: 15 });
    expect(v).toMatchObject({ score: 62, band: 'yellow' });
  });

  it('a hard failure caps the score even when the template weighs it lightly', () => {
    const mocked = { fixes: [fix({ host: 'dingtalk', isMock: true })] };
    const v = judge(mocked, {}, weights({ HOST_MOCK_FLAG: 20 }));
    expect(v).toMatchObject({ score: 30, band: 'red', capped: true, families: { location: 20 } });
    expect(judge(mocked, {}, { ...weights({ HOST_MOCK_FLAG: 20 }), hardCapScore: 10 }).score).toBe(10);
  });

  it('the bands follow the template', () => {
    const nearMiss = { fixes: [fix({ north: 300, accuracyM: 20 })] };
    expect(judge(nearMiss)).toMatchObject({ score: 77, band: 'yellow' });
    expect(judge(nearMiss, {}, params({ bands: { green: 75, yellow: 50 } })).band).toBe('green');
  });

  it('a template switches a rule off with weight 0', () => {
    expect(judge(farAway, {}, weights({ OUTSIDE_FENCE: 0 }))).toMatchObject({ score: 100, band: 'green', reasons: [] });
  });

  it('orders reasons by weight, the order of the rules never matters', () => {
    const v = judge({ ...farAway, checkOut: stamp(2), submitted: stamp(20 + 30 * 60) });
    expect(v.reasons.map((r) => r.code)).toEqual(['OUTSIDE_FENCE', 'STAY_TOO_SHORT', 'LATE_REPORT']);
    expect(v.reasons.map((r) => r.counted)).toEqual([true, true, false]);
    expect(combine([...v.reasons].reverse(), [], params()).reasons).toEqual(v.reasons);
  });

  it('collects the notes of every rule without deducting', () => {
    const v = judge({ fixes: [fix({ north: 300, accuracyM: 150 })], submitted: { deviceTime: at(25), receivedAt: at(25 + 300) } });
    expect(v).toMatchObject({ score: 100, band: 'green', reasons: [] });
    expect(v.notes.map((n) => n.code)).toEqual(['ACCEPTED_BY_ACCURACY', 'OFFLINE_LAG']);
  });

  it('never goes below 0', () => {
    const v = judge({ ...farAway, startedBy: 'qr', qr: { ok: false, problem: 'other-store' } });
    expect(v).toMatchObject({ score: 0, band: 'red' });
  });
});

describe('honest patterns stay green (authenticity.md, "How we will know it works")', () => {
  const cases: [string, Partial<VisitFacts>, Partial<History>][] = [
    ['city drift: 300 m off, accuracy 150 m', { fixes: [fix({ north: 300, accuracyM: 150 })] }, {}],
    ['indoor WiFi fixes that repeat exactly', { fixes: frozenBurst(4, { provider: 'wifi', accuracyM: 40, north: 90 }) }, {}],
    ['DingTalk cached fixes', { fixes: frozenBurst(4, { host: 'dingtalk', provider: 'gps' }) }, {}],
    ['a quick legit phone visit', { visitType: 'phone', checkOut: stamp(1), fixes: [] }, {}],
    ['a new storefront photo of the same shop next month', {}, { photoMatches: [{ photoId: 'p1', otherPhotoId: 'x', otherVisitId: 'v-oct', otherRepId: 'rep-li', otherCustomerId: 'cust-1', sameFile: false, phashDistance: 6, dhashDistance: 5 }] }],
    ['fast legit travel on the expressway', {}, { previousVisit: { visitId: 'v-before', checkOutFix: fix({ phase: 'checkout', minute: -30, north: -55_000 }) } }],
    ['stripped EXIF', { photos: [] }, {}],
    ['a joint visit on two phones', {}, { jointVisit: true, otherRepsIdenticalFixes: [{ repId: 'rep-wang', visitId: 'v-wang', at: at(1), distanceM: 0 }] }],
    ['an offline upload received 5 h late', { submitted: { deviceTime: at(25), receivedAt: at(25 + 300) } }, {}],
  ];
  it.each(cases)('%s', (_name, v, h) => {
    expect(judge(v, h)).toMatchObject({ band: 'green', reasons: [] });
  });
});

describe('cheat patterns are flagged', () => {
  it('a naive mock on WeCom (frozen on the stored point) → yellow', () => {
    expect(judge({ fixes: frozenBurst(4, { north: 0.5 }) }).band).toBe('yellow');
  });

  it('a teleport between customers → red', () => {
    const checkOutFix = fix({ phase: 'checkout', minute: -5, north: -55_000, accuracyM: 10 });
    expect(judge({}, { previousVisit: { visitId: 'v-before', checkOutFix } }).band).toBe('red');
  });

  it('checking in on a colleague\'s phone → red; on a phone of unknown owner → yellow; on one\'s own phone → green', () => {
    const shared = { deviceUsedByOtherReps: [{ repId: 'rep-wang', visitId: 'v-w', at: at(-60) }] };
    expect(judge({}, { ...shared, deviceOwner: { repId: 'rep-wang', by: 'host-login' } })).toMatchObject({ band: 'red', capped: true });
    expect(judge({}, shared)).toMatchObject({ band: 'yellow', capped: false });
    expect(judge({}, { ...shared, deviceOwner: { repId: 'rep-li', by: 'most-visits', visits: 40 } })).toMatchObject({ band: 'green', reasons: [] });
  });
});

describe('bandOf', () => {
  it('is inclusive at each boundary', () => {
    expect([80, 79.9, 60, 59].map((s) => bandOf(s, { green: 80, yellow: 60 }))).toEqual(['green', 'yellow', 'yellow', 'red']);
  });
});
