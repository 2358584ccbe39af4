// The evaluation set (scripts/eval): generators are deterministic for a seed, every pattern produces the facts it
// claims to simulate, and the targets are judged as authenticity.md states them. A handful of visits only.
import { describe, expect, it } from 'vitest';
import { evaluateVisit, type Verdict } from '../../server/verification/engine.ts';
import { haversineM } from '../../server/verification/geo.ts';
import { PATTERNS, patternByKey } from '../../scripts/eval/patterns.ts';
import { summarise } from '../../scripts/eval/report.ts';
import { defaultParams } from '../../scripts/eval/run.ts';
import type { Sample } from '../../scripts/eval/world.ts';

const params = defaultParams();
const make = (key: string, i: number) => patternByKey(key).make(i, params);
const judge = (s: Sample) => evaluateVisit(s.facts, s.history, params);
const codes = (v: Verdict) => v.reasons.map((r) => r.code);
const checkIns = (s: Sample) => s.facts.fixes.filter((f) => f.phase === 'checkin');

describe('eval generators', () => {
  it('are deterministic for a seed and differ between seeds', async () => {
    for (const p of PATTERNS) {
      const [a, b, c] = await Promise.all([p.make(3, params), p.make(3, params), p.make(4, params)]);
      expect(JSON.stringify(a), p.key).toBe(JSON.stringify(b));
      expect(JSON.stringify(a), p.key).not.toBe(JSON.stringify(c));
    }
  });

  it('an honest normal visit is green, with no reason against it', async () => {
    for (let i = 0; i < 5; i += 1) expect(judge(await make('normal', i))).toMatchObject({ band: 'green', reasons: [] });
  });

  it('honest patterns look like what they simulate and are never red', async () => {
    const drift = await make('city-drift', 0);
    for (const f of checkIns(drift)) {
      expect(haversineM(f, drift.facts.customer.location)).toBeGreaterThanOrEqual(149);
      expect(haversineM(f, drift.facts.customer.location)).toBeLessThanOrEqual(301);
      expect(f.accuracyM).toBeGreaterThanOrEqual(100);
    }
    const wifi = checkIns(await make('indoor-wifi', 0));
    expect(wifi.every((f) => f.provider === 'wifi' && f.lng === wifi[0]!.lng && f.lat === wifi[0]!.lat)).toBe(true);
    const offline = await make('offline-upload', 0);
    const lagH = (offline.facts.submitted.receivedAt.getTime() - offline.facts.checkOut!.deviceTime.getTime()) / 3_600_000;
    expect(lagH).toBeGreaterThan(5.9);
    expect(lagH).toBeLessThan(20.1);
    expect((await make('joint-visit', 0)).history.jointVisit).toBe(true);
    for (const p of PATTERNS.filter((x) => x.group === 'honest')) {
      for (let i = 0; i < 3; i += 1) expect(judge(await p.make(i, params)).band, `${p.key} #${i}`).not.toBe('red');
    }
  });

  it('cheat patterns trip the rule that should catch them', async () => {
    const expected: Record<string, string> = {
      'naive-mock': 'EXACT_STORE_POINT', teleport: 'IMPOSSIBLE_TRAVEL', 'host-mock-flag': 'HOST_MOCK_FLAG',
      'old-screenshot': 'PHOTO_NOT_CAMERA', 'photo-same-file': 'PHOTO_SAME_FILE', 'photo-reencoded': 'PHOTO_REUSED',
      'photo-resized': 'PHOTO_REUSED', 'photo-brightened': 'PHOTO_REUSED', 'proxy-check-in': 'PROXY_CHECK_IN',
      'proxy-colleague-phone': 'PROXY_CHECK_IN', 'teleport-joint-overlap': 'IMPOSSIBLE_TRAVEL', 'dingtalk-frozen-uncached': 'FROZEN_POINT',
      'front-desk': 'STAY_TOO_SHORT', 'late-report': 'LATE_REPORT', 'count-inflation': 'STAY_TOO_SHORT',
    };
    for (const [key, code] of Object.entries(expected)) {
      for (let i = 0; i < 2; i += 1) expect(codes(judge(await make(key, i))), `${key} #${i}`).toContain(code);
    }
    const mock = await make('naive-mock', 0);
    expect(checkIns(mock).every((f) => f.lng === mock.facts.customer.location.lng && f.lat === mock.facts.customer.location.lat)).toBe(true);
    const flagged = judge(await make('host-mock-flag', 0));
    expect(flagged.band).toBe('red');
    expect(flagged.score).toBeLessThanOrEqual(params.hardCapScore);
  });

  it('photo patterns carry real hashes of real images and record their distances', async () => {
    const cropped = await make('photo-cropped', 0);
    expect(cropped.facts.photos[0]!.phash).toMatch(/^[0-9a-f]{16}$/);
    expect(cropped.meta?.phash).toEqual(expect.any(Number));
    const same = await make('photo-same-file', 0);
    expect(same.history.photoMatches[0]).toMatchObject({ sameFile: true, phashDistance: 0, dhashDistance: 0 });
  });
});

describe('eval targets', () => {
  const verdicts = (red: number, yellow: number, green: number) => [
    ...Array<Verdict['band']>(red).fill('red'), ...Array<Verdict['band']>(yellow).fill('yellow'), ...Array<Verdict['band']>(green).fill('green'),
  ].map((band) => ({ band, score: band === 'red' ? 40 : band === 'yellow' ? 70 : 100, reasons: [], notes: [] }) as unknown as Verdict);
  const samples = (n: number) => Array.from({ length: n }, () => ({}) as Sample);

  it('an honest pattern passes below 2% red, a cheat pattern at 95% red or yellow, known-hard is only reported', () => {
    expect(summarise(patternByKey('normal'), samples(100), verdicts(1, 50, 49)).pass).toBe(true);
    expect(summarise(patternByKey('normal'), samples(100), verdicts(2, 0, 98)).pass).toBe(false);
    expect(summarise(patternByKey('teleport'), samples(100), verdicts(10, 85, 5)).pass).toBe(true);
    expect(summarise(patternByKey('teleport'), samples(100), verdicts(10, 84, 6)).pass).toBe(false);
    expect(summarise(patternByKey('jittered-mock'), samples(100), verdicts(0, 0, 100)).pass).toBeNull();
  });
});
