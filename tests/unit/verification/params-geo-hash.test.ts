import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { checkScoring, type ScoringConfig } from '../../../server/scoring/scoring-check.ts';
import { distanceToPolygonM, haversineM, pointInPolygon, sameCoordinates, speedKmh } from '../../../server/verification/geo.ts';
import { hammingDistance, isHash64 } from '../../../server/verification/hash.ts';
import { DEFAULT_AUTHENTICITY, readAuthenticityParams, type AuthenticityBlock } from '../../../server/verification/params.ts';
import { STORE } from './fixtures.ts';

const template = JSON.parse(readFileSync(new URL('../../../templates/scoring/default.json', import.meta.url), 'utf8')) as { content: ScoringConfig };

describe('authenticity parameters', () => {
  it('the default template is valid and its authenticity block is exactly the engine defaults', () => {
    expect(checkScoring(template.content)).toEqual([]);
    expect(readAuthenticityParams(template.content.authenticity as AuthenticityBlock)).toEqual(DEFAULT_AUTHENTICITY);
  });

  it('fills what an older template lacks, keeps what it sets, and drops weights of unknown rules', () => {
    const p = readAuthenticityParams({
      bands: { green: 85, yellow: 65 }, fenceRadiusM: 300, minStayMinutes: { A: 20 }, reportDeadlineHours: 48,
      ruleWeights: { OUTSIDE_FENCE: 60, SOMETHING_NEW: 5 },
    });
    expect(p).toMatchObject({ fenceRadiusM: 300, accuracyCapM: 120, hardCapScore: 30, minStayMinutes: { A: 20, B: 10, C: 5, D: 5 } });
    expect(p.ruleWeights).toMatchObject({ OUTSIDE_FENCE: 60, QR_INVALID: 100 });
    expect(p.ruleWeights).not.toHaveProperty('SOMETHING_NEW');
  });
});

describe('geo', () => {
  it('0.01° of latitude is 1112 m; 0.01° of longitude shrinks with cos(latitude)', () => {
    expect(haversineM(STORE, { ...STORE, lat: STORE.lat + 0.01 })).toBeCloseTo(1111.95, 1);
    expect(haversineM(STORE, { ...STORE, lng: STORE.lng + 0.01 })).toBeCloseTo(1111.95 * Math.cos((STORE.lat * Math.PI) / 180), 0);
  });

  const square: [number, number][] = [[121, 31], [121.01, 31], [121.01, 31.01], [121, 31.01]];

  it('tells inside from outside a polygon', () => {
    expect(pointInPolygon({ lng: 121.005, lat: 31.005 }, square)).toBe(true);
    expect(pointInPolygon({ lng: 121.02, lat: 31.005 }, square)).toBe(false);
  });

  it('measures to the nearest edge: 0 inside, 1112 m for 0.01° north of the top edge', () => {
    expect(distanceToPolygonM({ lng: 121.005, lat: 31.005 }, square)).toBe(0);
    expect(distanceToPolygonM({ lng: 121.005, lat: 31.02 }, square)).toBeCloseTo(1111.95, 0);
  });

  it('speed: 1 km in a minute is 60 km/h', () => {
    expect(speedKmh(1000, 60_000)).toBe(60);
  });

  it('same coordinates means equal at 1e-6°', () => {
    expect(sameCoordinates({ lng: 121.4700001, lat: 31.23 }, { lng: 121.47, lat: 31.2300004 })).toBe(true);
    expect(sameCoordinates({ lng: 121.470001, lat: 31.23 }, { lng: 121.47, lat: 31.23 })).toBe(false);
  });
});

describe('hash', () => {
  it('counts differing bits of 64-bit hex hashes', () => {
    expect(hammingDistance('0000000000000000', '000000000000000f')).toBe(4);
    expect(hammingDistance('ffffffffffffffff', '0000000000000000')).toBe(64);
    expect(hammingDistance('F0F0F0F0F0F0F0F0', 'f0f0f0f0f0f0f0f0')).toBe(0);
  });

  it('refuses malformed hashes instead of calling them similar', () => {
    expect(isHash64('abc')).toBe(false);
    expect(() => hammingDistance('abc', '0000000000000000')).toThrow(RangeError);
  });
});
