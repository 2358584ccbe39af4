// A small world for the authenticity rules: one pharmacy in Shanghai, an honest visit to it, and helpers that move
// points by whole metres so every expected number can be checked by hand (0.001° of latitude = 111.2 m).
import { expect } from 'vitest';
import { DEFAULT_AUTHENTICITY, type AuthenticityParams } from '../../../server/verification/params.ts';
import type { Finding, RuleOutcome } from '../../../server/verification/findings.ts';
import type { Fix, History, PhotoEvidence, PhotoMatch, VisitFacts } from '../../../server/verification/types.ts';

export const STORE = { lng: 121.47, lat: 31.23 };
/** Metres per degree of latitude with the engine's earth radius (6 371 000 m). */
export const M_PER_DEG = 111_194.93;
const M_PER_DEG_LNG = M_PER_DEG * Math.cos((STORE.lat * Math.PI) / 180);

/** 10:00 Beijing time on 20 Nov 2026. */
export const T0 = new Date('2026-11-20T02:00:00Z');
export const at = (minutes: number, seconds = 0) => new Date(T0.getTime() + minutes * 60_000 + seconds * 1000);
export const stamp = (minutes: number) => ({ deviceTime: at(minutes), receivedAt: at(minutes, 2) });

/** The point `north` metres north and `east` metres east of the store. */
export function near(north: number, east = 0) {
  return { lat: STORE.lat + north / M_PER_DEG, lng: STORE.lng + east / M_PER_DEG_LNG };
}

export interface FixSpec extends Partial<Omit<Fix, 'lng' | 'lat'>> { north?: number; east?: number; minute?: number; second?: number }

/** A WeCom fix (no provider reported) 20 m from the store, accuracy 15 m, received 2 s after it was taken. */
export function fix(spec: FixSpec = {}): Fix {
  const { north = 20, east = 0, minute = 0, second = 0, ...rest } = spec;
  return {
    ...near(north, east), accuracyM: 15, host: 'wecom', phase: 'checkin',
    deviceTime: at(minute, second), receivedAt: at(minute, second + 2), ...rest,
  };
}

/** What honest GPS looks like: three check-in fixes over 15 s that wander by a few metres, one at check-out. */
export function honestFixes(): Fix[] {
  return [
    fix({ north: 20, east: 3, second: 0 }),
    fix({ north: 23, east: 1, second: 5 }),
    fix({ north: 18, east: 4, second: 15 }),
    fix({ north: 25, minute: 20, phase: 'checkout' }),
  ];
}

/** n identical fixes 5 s apart: the same point again and again. */
export function frozenBurst(n: number, spec: FixSpec = {}): Fix[] {
  return Array.from({ length: n }, (_, i) => fix({ accuracyM: 5, ...spec, second: i * 5 }));
}

export function photo(id: string, spec: Partial<PhotoEvidence> = {}): PhotoEvidence {
  return {
    id, kind: 'storefront', sha256: `sha-${id}`, phash: 'f0f0f0f0f0f0f0f0', dhash: '0f0f0f0f0f0f0f0f', source: 'camera',
    format: 'jpeg', width: 3024, height: 4032, uploadedAt: at(5), ...spec,
  };
}

/** An honest on-site visit to a class B pharmacy: 20 min on site, reported 5 min after check-out, two contacts met. */
export function visit(spec: Partial<VisitFacts> = {}): VisitFacts {
  return {
    visitId: 'v-now', repId: 'rep-li',
    customer: { id: 'cust-1', type: 'pharmacy', class: 'B', location: { ...STORE } },
    startedBy: 'location',
    checkIn: stamp(0), checkOut: stamp(20), submitted: stamp(25),
    fixes: honestFixes(),
    photos: [photo('p1'), photo('p2', { kind: 'shelf', phash: '0123456789abcdef', dhash: 'fedcba9876543210' })],
    deviceId: 'dev-li', contactsMet: ['c1', 'c2'], visitType: 'onsite',
    ...spec,
  };
}

export function history(spec: Partial<History> = {}): History {
  return {
    photoMatches: [], replayedCoordinates: [], deviceUsedByOtherReps: [], otherRepsIdenticalFixes: [],
    contacts: { previousMonthsContactIds: [['c1', 'c3']], customerContactCount: 3 },
    ...spec,
  };
}

/** An earlier photo resembling p1, by default from the same rep at the same customer last month. */
export function match(spec: Partial<PhotoMatch> = {}): PhotoMatch {
  return {
    photoId: 'p1', otherPhotoId: 'old-p1', otherVisitId: 'v-last-month', otherRepId: 'rep-li', otherCustomerId: 'cust-1',
    sameFile: false, phashDistance: 2, dhashDistance: 2, ...spec,
  };
}

export const params = (spec: Partial<AuthenticityParams> = {}): AuthenticityParams => ({ ...DEFAULT_AUTHENTICITY, ...spec });

/** The one finding a rule produced (fails the test when there are none or several). */
export function onlyFinding(out: RuleOutcome): Finding {
  expect(out.findings, JSON.stringify(out.notes)).toHaveLength(1);
  return out.findings[0]!;
}

/** The rule stayed silent: no deduction (notes allowed). */
export function expectSpared(out: RuleOutcome): void {
  expect(out.findings).toEqual([]);
}

export const noteCodes = (out: RuleOutcome) => out.notes.map((n) => n.code);
