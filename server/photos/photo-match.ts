// Finding earlier photos that are the same file or a transformed copy, without scanning the tenant's history:
// each 64-bit hash is cut into four 16-bit bands; two hashes within 3 bits always share a band (pigeonhole),
// and copies a few bits further apart almost always do. The indexed band lookup returns a small candidate set,
// which is then measured exactly: hash distances, then the pixels (photo-pixels.ts) of the few that stay close.
// Lookups read the database, so every server instance sees every upload.
//
// A crop of a few percent moves both hashes of the whole frame by up to 16 bits, out of reach of the bands. So a
// photo is also indexed under the hashes of its centre (CENTRE_SHARE of each side): a copy cropped by 0–5% is
// within a few percent of that centre, and its whole-frame bands find it. A new photo looks up with its
// whole-frame bands only; the centre bands exist to be found.
import { hammingDistance } from '../verification/hash.ts';
import type { PhotoMatch } from '../verification/types.ts';
import { comparePixels, type PixelComparison } from './photo-pixels.ts';

/** Share of each side kept for the centre hashes: halfway into the ≤ 5% crops a copy gets. */
export const CENTRE_SHARE = 0.95;

/** The hashes a photo is indexed and measured by; the centre ones are missing on photos the migration could not read. */
export interface PhotoHashes { phash: string; dhash: string; centrePhash?: string; centreDhash?: string }

export function hashBands(phash: string, dhash: string): string[] {
  const bands: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    bands.push(`p${i}:${phash.slice(i * 4, i * 4 + 4)}`, `d${i}:${dhash.slice(i * 4, i * 4 + 4)}`);
  }
  return bands;
}

/** Every band a stored photo is found by: its whole frame and its centre. */
export function photoBands(h: PhotoHashes): string[] {
  const centre = h.centrePhash && h.centreDhash ? hashBands(h.centrePhash, h.centreDhash) : [];
  return [...new Set([...hashBands(h.phash, h.dhash), ...centre])];
}

/** The bands a new photo looks up with: its whole frame (matched against whole frames and centres). */
export const probeBands = (h: PhotoHashes): string[] => hashBands(h.phash, h.dhash);

/** Whether the band look-up returns `stored` for the new photo `probe` (what the indexed query does, in memory). */
export function sharesBand(probe: PhotoHashes, stored: PhotoHashes): boolean {
  const mine = new Set(probeBands(probe));
  return photoBands(stored).some((b) => mine.has(b));
}

/** Hash distances of a new photo to an earlier one: whole frame to whole frame, or to the earlier one's centre. */
export function hashDistances(mine: PhotoHashes, other: PhotoHashes): { phashDistance: number; dhashDistance: number } {
  const whole = { phashDistance: hammingDistance(mine.phash, other.phash), dhashDistance: hammingDistance(mine.dhash, other.dhash) };
  if (!other.centrePhash || !other.centreDhash) return whole;
  const centre = { phashDistance: hammingDistance(mine.phash, other.centrePhash), dhashDistance: hammingDistance(mine.dhash, other.centreDhash) };
  const worst = (d: typeof whole) => Math.max(d.phashDistance, d.dhashDistance);
  return worst(centre) < worst(whole) ? centre : whole;
}

/** Whether an earlier photo is worth handing to the engine as a possible re-use (the engine grades it). */
export function closeEnough(m: { sameFile: boolean; phashDistance: number; dhashDistance: number }, maxDistance: number): boolean {
  return m.sameFile || Math.min(m.phashDistance, m.dhashDistance) <= maxDistance;
}

/** What the pixel look needs of a photo: its thumbnail and detail (photo-hash.ts), absent when unmeasured. */
export interface PhotoPixels { thumb?: Uint8Array | null; detail?: number | null }

/**
 * The pixel evidence of a match: both details, and the aligned comparison when both photos have a thumbnail and
 * enough detail for it to mean anything (below `minDetail` the engine only notes a match, so it is not computed).
 */
export function pixelEvidence(mine: PhotoPixels, other: PhotoPixels, minDetail = 0): Pick<PhotoMatch, 'pixels' | 'detail'> {
  const enough = (p: PhotoPixels) => typeof p.detail !== 'number' || p.detail >= minDetail;
  const pixels: PixelComparison | undefined = mine.thumb && other.thumb && enough(mine) && enough(other) ? comparePixels(mine.thumb, other.thumb) : undefined;
  return {
    ...(pixels ? { pixels: { similarity: pixels.similarity, changed: pixels.changed } } : {}),
    ...(typeof mine.detail === 'number' && typeof other.detail === 'number' ? { detail: { photo: mine.detail, other: other.detail } } : {}),
  };
}
