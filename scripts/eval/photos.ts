// Real pictures for the photo patterns: synthetic scenes (tests/helpers/images.ts), the cheat transformations, new
// shots of the same storefront and a photo of a screen; hashed by the server's own code and matched like
// server/visits/visit-history.ts does (closeEnough in server/photos/photo-match.ts).
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { dHash, pHash } from '../../server/photos/photo-hash.ts';
import { hammingDistance } from '../../server/verification/hash.ts';
import { closeEnough } from '../../server/photos/photo-match.ts';
import type { AuthenticityParams } from '../../server/verification/params.ts';
import type { PhotoEvidence, PhotoMatch } from '../../server/verification/types.ts';
import { sceneSvg } from '../../tests/helpers/images.ts';
import type { EarlierPhotoBytes, Rng, Sample } from './world.ts';

/** Small frames keep the whole run within minutes on two cores (cameras shoot 4:3). */
export const W = 480;
export const H = 360;

export interface Hashed { bytes: Buffer; sha256: string; phash: string; dhash: string; format: string; width: number; height: number }

export async function hashed(bytes: Buffer): Promise<Hashed> {
  const [phash, dhash, meta] = await Promise.all([pHash(bytes), dHash(bytes), sharp(bytes).metadata()]);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), phash, dhash, format: meta.format ?? 'unknown', width: meta.width ?? 0, height: meta.height ?? 0 };
}

export async function render(svg: string, format: 'jpeg' | 'png' = 'jpeg', quality = 88): Promise<Buffer> {
  const img = sharp(Buffer.from(svg));
  return format === 'png' ? img.png().toBuffer() : img.jpeg({ quality }).toBuffer();
}

export const storefront = (seed: number, width = W, height = H, format: 'jpeg' | 'png' = 'jpeg') => render(sceneSvg(seed, width, height), format);

function colour(r: Rng): string {
  return `rgb(${r.int(0, 255)},${r.int(0, 255)},${r.int(0, 255)})`;
}

/**
 * Next month's shot of the same storefront: the same scene, framed a little differently (the rep stands a step
 * aside), new things in it (a poster, a display stand, a passer-by) and another light.
 */
export async function sameStorefrontLater(r: Rng, seed: number, changes: number): Promise<Buffer> {
  const svg = sceneSvg(seed, W, H);
  const open = svg.indexOf('>') + 1;
  const body = svg.slice(open, svg.lastIndexOf('</svg>'));
  const scale = r.uniform(1, 1.06);
  const dx = -r.uniform(0, (scale - 1) * W);
  const dy = -r.uniform(0, (scale - 1) * H);
  const extras = Array.from({ length: changes }, () => {
    const x = r.int(0, W); const y = r.int(0, H);
    return r.chance(0.5)
      ? `<rect x="${x}" y="${y}" width="${r.int(30, 110)}" height="${r.int(30, 110)}" fill="${colour(r)}"/>`
      : `<circle cx="${x}" cy="${y}" r="${r.int(15, 55)}" fill="${colour(r)}"/>`;
  }).join('');
  const shot = `${svg.slice(0, open)}<g transform="translate(${dx.toFixed(1)},${dy.toFixed(1)}) scale(${scale.toFixed(3)})">${body}</g>${extras}</svg>`;
  const img = await render(shot, 'png');
  return sharp(img).modulate({ brightness: r.uniform(0.9, 1.1) }).jpeg({ quality: r.int(80, 92) }).toBuffer();
}

/**
 * An old photo shown on a monitor and photographed: shrunk inside a dark bezel, tilted a little, with the
 * screen's line pattern (moiré) over it, a colour cast and the camera's own softening.
 */
export async function photoOfScreen(r: Rng, old: Buffer): Promise<Buffer> {
  const k = r.uniform(0.78, 0.92);
  const w = Math.round(W * k); const h = Math.round(H * k);
  const lines = `<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}"><defs><pattern id="m" width="4" height="4" patternUnits="userSpaceOnUse" patternTransform="rotate(${r.uniform(2, 12).toFixed(1)})"><rect width="4" height="1.3" fill="black"/></pattern></defs><rect width="100%" height="100%" fill="url(#m)" opacity="${r.uniform(0.12, 0.25).toFixed(2)}"/></svg>`;
  const screen = await sharp(old).resize(w, h).modulate({ brightness: r.uniform(1.05, 1.3), saturation: r.uniform(0.7, 0.95) })
    .composite([{ input: Buffer.from(lines) }]).png().toBuffer();
  const bezel = r.int(10, 40);
  const framed = await sharp({ create: { width: W, height: H, channels: 3, background: { r: bezel, g: bezel, b: bezel + 5 } } })
    .composite([{ input: screen, left: Math.round((W - w) / 2 + r.uniform(-10, 10)), top: Math.round((H - h) / 2 + r.uniform(-8, 8)) }]).png().toBuffer();
  const tilted = await sharp(framed).rotate(r.uniform(-4, 4), { background: { r: bezel, g: bezel, b: bezel } }).png().toBuffer();
  return sharp(tilted).resize(W, H, { fit: 'cover' }).blur(r.uniform(0.5, 1.2)).jpeg({ quality: r.int(80, 92) }).toBuffer();
}

export function evidence(id: string, kind: string, h: Hashed, rest: Pick<PhotoEvidence, 'source' | 'uploadedAt'> & Partial<PhotoEvidence>): PhotoEvidence {
  return { id, kind, sha256: h.sha256, phash: h.phash, dhash: h.dhash, format: h.format, width: h.width, height: h.height, ...rest };
}

export interface EarlierPhoto { photoId: string; visitId: string; repId: string; customerId: string; hashed: Hashed; at?: Date }

/** Keeps the bytes the API mode uploads: this visit's photo and the earlier one it is compared with. */
export function keepBytes(s: Pick<Sample, 'photoBytes' | 'earlierPhotos'>, photoId: string, mine: Hashed, earlier?: EarlierPhoto): void {
  s.photoBytes = { ...s.photoBytes, [photoId]: mine.bytes };
  if (!earlier) return;
  const { hashed: h, ...where } = earlier;
  const kept: EarlierPhotoBytes = { ...where, bytes: h.bytes };
  s.earlierPhotos = [...(s.earlierPhotos ?? []), kept];
}

export interface MatchResult { match?: PhotoMatch; phash: number; dhash: number; sameFile: boolean }

/** One candidate compared the way the server does; `match` only when the server would have kept it. */
export function compare(photoId: string, mine: Hashed, earlier: EarlierPhoto, params: AuthenticityParams): MatchResult {
  const sameFile = mine.sha256 === earlier.hashed.sha256;
  const phash = hammingDistance(mine.phash, earlier.hashed.phash);
  const dhash = hammingDistance(mine.dhash, earlier.hashed.dhash);
  const keep = closeEnough({ sameFile, phashDistance: phash, dhashDistance: dhash }, params.photoHashMaxDistance);
  const match: PhotoMatch = {
    photoId, otherPhotoId: earlier.photoId, otherVisitId: earlier.visitId, otherRepId: earlier.repId, otherCustomerId: earlier.customerId,
    sameFile, phashDistance: phash, dhashDistance: dhash,
  };
  return { ...(keep ? { match } : {}), phash, dhash, sameFile };
}
