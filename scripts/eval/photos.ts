// Real pictures for the photo patterns: synthetic scenes (tests/helpers/images.ts), the cheat transformations, new
// shots of the same storefront, low-detail frames and a photo of a screen; measured by the server's own code
// (hashes, centre hashes, thumbnail, detail) and matched like server/visits/visit-history.ts does: the band look-up
// (sharesBand), then closeEnough, then the pixel comparison (server/photos/photo-match.ts).
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { dHash, pHash, type PixelFacts } from '../../server/photos/photo-hash.ts';
import { pixelFactsOfFile } from '../../server/photos/photo-inspect.ts';
import { closeEnough, hashDistances, pixelEvidence, sharesBand } from '../../server/photos/photo-match.ts';
import type { AuthenticityParams } from '../../server/verification/params.ts';
import type { PhotoEvidence, PhotoMatch } from '../../server/verification/types.ts';
import { sceneSvg } from '../../tests/helpers/images.ts';
import type { EarlierPhotoBytes, Rng, Sample } from './world.ts';

/** Small frames keep the whole run within minutes on two cores (cameras shoot 4:3). */
export const W = 480;
export const H = 360;

export interface Hashed extends PixelFacts { bytes: Buffer; sha256: string; phash: string; dhash: string; format: string; width: number; height: number }

export async function hashed(bytes: Buffer): Promise<Hashed> {
  const [phash, dhash, pixels, meta] = await Promise.all([pHash(bytes), dHash(bytes), pixelFactsOfFile(bytes, 100e6), sharp(bytes).metadata()]);
  return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), phash, dhash, ...pixels, format: meta.format ?? 'unknown', width: meta.width ?? 0, height: meta.height ?? 0 };
}

/**
 * What a cheat does to an earlier photo before sending it again: one edit or several, each within what issue 13
 * names — re-encode (JPEG 55–80), resize (50–80%), crop (≤ 5% per axis, on any sides) and brightness (±20%).
 */
export async function editedCopy(r: Rng, original: Buffer): Promise<{ bytes: Buffer; variant: string }> {
  const variant = r.pick(['reencode', 'resize', 'crop', 'brighten', 'combo'] as const);
  let img = sharp(original);
  const meta = await img.metadata();
  const w = meta.width ?? W; const h = meta.height ?? H;
  if (variant === 'crop' || variant === 'combo') {
    const [left, right] = split(r, r.uniform(0.01, 0.05));
    const [top, bottom] = split(r, r.uniform(0.01, 0.05));
    img = sharp(await img.extract({ left: Math.round(w * left), top: Math.round(h * top), width: Math.round(w * (1 - left - right)), height: Math.round(h * (1 - top - bottom)) }).png().toBuffer());
  }
  if (variant === 'brighten' || (variant === 'combo' && r.chance(0.7))) img = img.modulate({ brightness: r.chance(0.5) ? r.uniform(1.08, 1.2) : r.uniform(0.8, 0.92) });
  if (variant === 'resize' || (variant === 'combo' && r.chance(0.5))) img = img.resize({ width: Math.round(w * r.uniform(0.5, 0.8)) });
  const quality = variant === 'reencode' || variant === 'combo' ? r.int(55, 80) : r.int(80, 90);
  return { bytes: await img.jpeg({ quality }).toBuffer(), variant };
}

/** A crop of `total` of one axis shared between its two sides at random (all on one side a third of the time). */
function split(r: Rng, total: number): [number, number] {
  if (r.chance(1 / 3)) return r.chance(0.5) ? [total, 0] : [0, total];
  const a = r.uniform(0, total);
  return [a, total - a];
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
 * A frame that holds little: a night shot (the storefront at 5–15% of the light, with sensor grain) or a
 * near-uniform one (a shutter, a blank wall: one colour, a faint gradient, grain). Such frames hash close to
 * each other without being the same picture.
 */
export async function lowDetailShot(r: Rng, seed: number): Promise<Buffer> {
  const night = r.chance(0.5);
  const { data, info } = night
    ? await sharp(Buffer.from(sceneSvg(seed, W, H))).removeAlpha().raw().toBuffer({ resolveWithObject: true })
    : { data: Buffer.alloc(W * H * 3), info: { channels: 3 } };
  const k = r.uniform(0.05, 0.15);
  const base = [r.int(40, 220), r.int(40, 220), r.int(40, 220)];
  const tilt = r.uniform(-4, 4);
  const grain = r.uniform(1.5, 3.5);
  const out = Buffer.alloc(W * H * 3);
  for (let y = 0; y < H; y += 1) {
    for (let x = 0; x < W; x += 1) {
      const noise = r.gauss(grain);
      for (let ch = 0; ch < 3; ch += 1) {
        const v = night ? data[(y * W + x) * info.channels + ch]! * k : base[ch]! + (tilt * (y - H / 2)) / (H / 2);
        out[(y * W + x) * 3 + ch] = Math.max(0, Math.min(255, Math.round(v + noise)));
      }
    }
  }
  return sharp(out, { raw: { width: W, height: H, channels: 3 } }).jpeg({ quality: r.int(75, 90) }).toBuffer();
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

export interface MatchResult { match?: PhotoMatch; phash: number; dhash: number; sameFile: boolean; found: boolean }

/**
 * One earlier photo compared the way the server does: returned by the band look-up (or the same file), kept when
 * the hashes are close, then compared pixel by pixel; `match` only when the server would have kept it.
 */
export function compare(photoId: string, mine: Hashed, earlier: EarlierPhoto, params: AuthenticityParams): MatchResult {
  const sameFile = mine.sha256 === earlier.hashed.sha256;
  const found = sameFile || sharesBand(mine, earlier.hashed);
  const { phashDistance, dhashDistance } = hashDistances(mine, earlier.hashed);
  const keep = found && closeEnough({ sameFile, phashDistance, dhashDistance }, params.photoHashMaxDistance);
  const result = { phash: phashDistance, dhash: dhashDistance, sameFile, found };
  if (!keep) return result;
  const match: PhotoMatch = {
    photoId, otherPhotoId: earlier.photoId, otherVisitId: earlier.visitId, otherRepId: earlier.repId, otherCustomerId: earlier.customerId,
    sameFile, phashDistance, dhashDistance, ...(sameFile ? {} : pixelEvidence(mine, earlier.hashed, params.photoMinDetail)),
  };
  return { ...result, match };
}
