import { describe, expect, it } from 'vitest';
import { coordinatesReplayed } from '../../../server/verification/rules/coordinates-replayed.ts';
import { exactStorePoint } from '../../../server/verification/rules/exact-store-point.ts';
import { frozenPoint } from '../../../server/verification/rules/frozen-point.ts';
import { hostMockFlag } from '../../../server/verification/rules/host-mock-flag.ts';
import { at, expectSpared, fix, frozenBurst, history, noteCodes, onlyFinding, params, visit } from './fixtures.ts';
import type { History } from '../../../server/verification/types.ts';

describe('FROZEN_POINT', () => {
  const run = (fixes = frozenBurst(4)) => frozenPoint(visit({ fixes }), history(), params());

  it('fires on four GPS-grade fixes (5 m) over 15 s on exactly the same point', () => {
    const f = onlyFinding(run());
    expect(f).toMatchObject({ code: 'FROZEN_POINT', family: 'location', weight: 25, measured: 4, threshold: 3, unit: 'fixes' });
    expect(f.message_en).toContain('4 fixes over 15 s never moved');
  });

  it('fires on a frozen check-out burst too', () => {
    expect(onlyFinding(run(frozenBurst(3, { phase: 'checkout', minute: 20 }))).measured).toBe(3);
  });

  it('spares honest GPS, which wanders by a few metres', () => {
    expectSpared(frozenPoint(visit(), history(), params()));
  });

  it('spares WiFi and cell fixes, which repeat exactly', () => {
    expectSpared(run(frozenBurst(4, { provider: 'wifi' })));
    expectSpared(run(frozenBurst(4, { provider: 'lbs' })));
  });

  it('spares fixes coarser than 25 m, and fixes that report no accuracy', () => {
    expectSpared(run(frozenBurst(4, { accuracyM: 40 })));
    expectSpared(run(frozenBurst(4, { accuracyM: undefined })));
  });

  it("spares DingTalk's 2-minute cache, with a note", () => {
    const out = run(frozenBurst(4, { host: 'dingtalk', provider: 'gps' }));
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['DINGTALK_CACHED_FIX']);
  });

  it('but not when the DingTalk client asked for fresh fixes (useCache: false)', () => {
    expect(onlyFinding(run(frozenBurst(4, { host: 'dingtalk', provider: 'gps', uncached: true }))).measured).toBe(4);
  });

  it('spares bursts too short to tell (the phone may hand back its last fix) and pairs', () => {
    expectSpared(run([0, 1, 2].map((second) => fix({ accuracyM: 5, second }))));
    expectSpared(run(frozenBurst(2)));
  });
});

describe('EXACT_STORE_POINT', () => {
  const run = (spec: Parameters<typeof fix>[0], h: Partial<History> = {}) =>
    exactStorePoint(visit({ fixes: [fix({ accuracyM: 5, ...spec })] }), history(h), params());

  it("fires on a GPS fix 1 m from the customer's stored point", () => {
    const f = onlyFinding(run({ north: 1 }));
    expect(f).toMatchObject({ code: 'EXACT_STORE_POINT', weight: 25, measured: 1, threshold: 2, unit: 'm' });
    expect(f.message_zh).toContain('1.0 米');
  });

  it('spares a point this same phone captured on site, with a note', () => {
    const out = run({ north: 0 }, { storePointCapturedOnSiteByThisDevice: true });
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['STORE_POINT_FROM_THIS_PHONE']);
  });

  it('spares WiFi fixes (the same point for every phone in the shop) and fixes without GPS-grade accuracy', () => {
    expectSpared(run({ north: 0, provider: 'wifi' }));
    expectSpared(run({ north: 0, accuracyM: 60 }));
  });

  it('is silent 3 m away', () => {
    expectSpared(run({ north: 3 }));
  });
});

describe('COORDINATES_REPLAYED', () => {
  const here = fix({ north: 37, east: 12, accuracyM: 5 });
  const replay = (when: Date, visitId = 'v-old') => ({ replayedCoordinates: [{ visitId, at: when, lng: here.lng, lat: here.lat }] });
  const threeDaysAgo = at(-3 * 24 * 60);
  const run = (h: Partial<History>, f = here) => coordinatesReplayed(visit({ fixes: [f] }), history(h), params());

  it('fires when a GPS-grade fix repeats an earlier day to 1e-6°', () => {
    const f = onlyFinding(run(replay(threeDaysAgo)));
    expect(f).toMatchObject({ code: 'COORDINATES_REPLAYED', weight: 30, measured: 1, threshold: 0, unit: 'visits' });
    expect(f.evidence).toMatchObject({ otherVisitId: 'v-old', at: threeDaysAgo });
    expect(f.message_en).toContain('2026-11-17');
  });

  it('spares the same day (e.g. a second visit to the same shop this morning)', () => {
    expectSpared(run(replay(at(-120))));
  });

  it('spares WiFi and cell fixes, with a note', () => {
    const out = run(replay(threeDaysAgo), { ...here, provider: 'wifi' });
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['COORDINATES_REPEATED_COARSE']);
  });

  it('ignores a reported match whose coordinates differ (caller over-inclusion)', () => {
    expectSpared(run({ replayedCoordinates: [{ visitId: 'v-old', at: threeDaysAgo, lng: here.lng + 1e-5, lat: here.lat }] }));
  });
});

describe('HOST_MOCK_FLAG', () => {
  it('is a hard failure when DingTalk flags a fix as mocked', () => {
    const v = visit({ fixes: [fix({ host: 'dingtalk', isMock: false }), fix({ host: 'dingtalk', isMock: true, second: 5 })] });
    expect(onlyFinding(hostMockFlag(v, history(), params()))).toMatchObject({ code: 'HOST_MOCK_FLAG', hard: true, weight: 100, measured: 1 });
  });

  it('earns nothing from an absent flag, but accuses nobody either', () => {
    expectSpared(hostMockFlag(visit(), history(), params()));
  });
});
