// Perceptual hashes (64-bit, as 16 hex characters) that survive re-encoding, resizing, slight crops and
// brightness changes: pHash (DCT of a 32×32 thumbnail) and dHash (gradient of a 9×8 thumbnail).
import sharp, { type Sharp } from 'sharp';
import { CENTRE_SHARE } from './photo-match.ts';
import { detailOf, THUMB_SIDE } from './photo-pixels.ts';

async function grey(input: Buffer | Sharp, width: number, height: number): Promise<Uint8Array> {
  const pipeline = Buffer.isBuffer(input) ? sharp(input) : input;
  const { data } = await pipeline.clone().rotate().greyscale().resize(width, height, { fit: 'fill', kernel: 'lanczos3' }).raw().toBuffer({ resolveWithObject: true });
  return new Uint8Array(data.buffer, data.byteOffset, data.length);
}

function bitsToHex(bits: boolean[]): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) {
    hex += ((Number(bits[i]) << 3) | (Number(bits[i + 1]) << 2) | (Number(bits[i + 2]) << 1) | Number(bits[i + 3])).toString(16);
  }
  return hex;
}

const N = 32;
// cos((2x+1)uπ/2N) for the separable DCT-II, computed once.
const COS = Array.from({ length: 8 }, (_, u) => Array.from({ length: N }, (_, x) => Math.cos(((2 * x + 1) * u * Math.PI) / (2 * N))));

export async function pHash(input: Buffer | Sharp): Promise<string> {
  const px = await grey(input, N, N);
  // Rows first (only the 8 lowest frequencies are needed), then columns.
  const rows: number[][] = Array.from({ length: N }, (_, y) => COS.map((c) => c.reduce((s, cx, x) => s + cx * px[y * N + x]!, 0)));
  const coeffs: number[] = [];
  for (let v = 0; v < 8; v += 1) {
    for (let u = 0; u < 8; u += 1) coeffs.push(COS[v]!.reduce((s, cy, y) => s + cy * rows[y]![u]!, 0));
  }
  const sorted = coeffs.slice(1).sort((a, b) => a - b); // the DC term only carries overall brightness
  const median = (sorted[31]! + sorted[32]!) / 2;
  return bitsToHex(coeffs.map((c) => c > median));
}

export async function dHash(input: Buffer | Sharp): Promise<string> {
  const px = await grey(input, 9, 8);
  const bits: boolean[] = [];
  for (let y = 0; y < 8; y += 1) {
    for (let x = 0; x < 8; x += 1) bits.push(px[y * 9 + x]! < px[y * 9 + x + 1]!);
  }
  return bitsToHex(bits);
}

/** The small greyscale picture the pixel-level comparison works on (photo-pixels.ts), the whole frame squashed. */
export async function thumbnail(input: Buffer | Sharp): Promise<Buffer> {
  return Buffer.from(await grey(input, THUMB_SIDE, THUMB_SIDE));
}

export interface PixelFacts {
  /** pHash and dHash of the picture's centre (photo-match.ts CENTRE_SHARE): what a copy cropped by a few percent hashes like. */
  centrePhash: string;
  centreDhash: string;
  thumb: Buffer;
  /** Greyscale standard deviation of the thumbnail: how much the picture holds. */
  detail: number;
}

/** Side of the greyscale copy the centre hashes and the thumbnail are taken from: 4–8× their 64 and 32 pixels. */
const SMALL_SIDE = 256;

/**
 * Everything beyond the two whole-frame hashes that re-use detection stores, from an (already rotated) image. One
 * small greyscale copy serves all three, so the upload pays for one more resize of the full picture, not three.
 */
export async function pixelFacts(image: Sharp, width: number, height: number): Promise<PixelFacts> {
  const w = Math.min(width, SMALL_SIDE);
  const h = Math.max(1, Math.round((height * w) / width));
  const { data, info } = await image.clone().greyscale().resize(w, h, { fit: 'fill', kernel: 'cubic' }).raw().toBuffer({ resolveWithObject: true });
  const small = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const dx = Math.round((info.width * (1 - CENTRE_SHARE)) / 2);
  const dy = Math.round((info.height * (1 - CENTRE_SHARE)) / 2);
  const centre = small.clone().extract({ left: dx, top: dy, width: info.width - 2 * dx, height: info.height - 2 * dy });
  const [centrePhash, centreDhash, thumb] = await Promise.all([pHash(centre), dHash(centre), thumbnail(small)]);
  return { centrePhash, centreDhash, thumb, detail: Math.round(detailOf(thumb) * 100) / 100 };
}
