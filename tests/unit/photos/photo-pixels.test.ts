// The pixel-level second look (server/photos/photo-pixels.ts) and the centre bands of the index
// (server/photos/photo-match.ts), on real images: what a copy keeps, what a new shot of the same storefront changes,
// and what a low-detail frame holds.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { pixelFactsOfFile } from '../../../server/photos/photo-inspect.ts';
import { comparePixels } from '../../../server/photos/photo-pixels.ts';
import { hashDistances, probeBands, sharesBand } from '../../../server/photos/photo-match.ts';
import { dHash, pHash } from '../../../server/photos/photo-hash.ts';
import { DEFAULT_AUTHENTICITY as P } from '../../../server/verification/params.ts';
import { lowDetailShot, sameStorefrontLater, storefront } from '../../../scripts/eval/photos.ts';
import { rng } from '../../../scripts/eval/world.ts';

const facts = async (bytes: Buffer) => {
  const [phash, dhash, pixels] = await Promise.all([pHash(bytes), dHash(bytes), pixelFactsOfFile(bytes, 100e6)]);
  return { phash, dhash, ...pixels };
};
const isCopy = (c: { similarity: number; changed: number }) => c.similarity >= P.photoCopySimilarity && c.changed <= P.photoCopyMaxChanged;

async function crop(bytes: Buffer, left: number, top: number, right: number, bottom: number): Promise<Buffer> {
  const { width = 0, height = 0 } = await sharp(bytes).metadata();
  return sharp(bytes).extract({
    left: Math.round(width * left), top: Math.round(height * top),
    width: Math.round(width * (1 - left - right)), height: Math.round(height * (1 - top - bottom)),
  }).jpeg({ quality: 80 }).toBuffer();
}

describe('pixel comparison', () => {
  it('sees a copy in re-encoded, resized, 4%-cropped and brightened versions of a photo', async () => {
    for (const seed of [11, 12, 13]) {
      const original = await storefront(seed);
      const old = await facts(original);
      const copies = await Promise.all([
        sharp(original).jpeg({ quality: 55 }).toBuffer(),
        sharp(original).resize({ width: 300 }).jpeg({ quality: 80 }).toBuffer(),
        crop(original, 0.04, 0, 0, 0.04),
        crop(original, 0.02, 0.02, 0.02, 0.02),
        sharp(original).modulate({ brightness: 1.2 }).jpeg({ quality: 80 }).toBuffer(),
      ]);
      for (const [k, bytes] of copies.entries()) {
        const c = comparePixels((await facts(bytes)).thumb, old.thumb);
        expect(isCopy(c), `scene ${seed}, copy ${k}: ${JSON.stringify(c)}`).toBe(true);
      }
    }
  });

  it("tells a new shot of the same storefront (other framing, new objects, other light) from a copy", async () => {
    for (const seed of [21, 22, 23, 24]) {
      const scene = 5000 + seed;
      const old = await facts(await storefront(scene));
      const later = await facts(await sameStorefrontLater(rng(seed), scene, 2));
      const c = comparePixels(later.thumb, old.thumb);
      expect(isCopy(c), `scene ${scene}: ${JSON.stringify(c)}`).toBe(false);
      expect(c.changed).toBeGreaterThan(P.photoCopyMaxChanged * 2);
    }
  });

  it('finds an unrelated storefront unlike', async () => {
    const c = comparePixels((await facts(await storefront(31))).thumb, (await facts(await storefront(32))).thumb);
    expect(c.similarity).toBeLessThan(0.8);
  });

  it('measures little detail in night shots and blank walls, plenty in an ordinary storefront', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6]) expect((await facts(await lowDetailShot(rng(seed), 100 + seed))).detail).toBeLessThan(P.photoMinDetail);
    for (const seed of [1, 2, 3]) expect((await facts(await storefront(seed))).detail).toBeGreaterThan(P.photoMinDetail * 1.3);
  });

  it('rejects thumbnails that are not square pictures of one size', () => {
    expect(() => comparePixels(new Uint8Array(100), new Uint8Array(4096))).toThrow(RangeError);
    expect(() => comparePixels(new Uint8Array(4095), new Uint8Array(4095))).toThrow(RangeError);
  });
});

describe('the band look-up and crops', () => {
  it('finds copies cropped by up to 5% through the centre bands, where the whole-frame bands alone miss some', async () => {
    let found = 0;
    let wholeOnly = 0;
    const n = 16;
    for (let seed = 40; seed < 40 + n; seed += 1) {
      const original = await storefront(seed);
      const stored = await facts(original);
      // 5% off an axis, spread over both sides or all from one.
      const copy = await facts(await crop(original, ...(seed % 2 === 0 ? [0.025, 0.025, 0.025, 0.025] : [0.05, 0.02, 0, 0.02]) as [number, number, number, number]));
      if (!sharesBand(copy, stored)) continue;
      found += 1;
      const d = hashDistances(copy, stored);
      expect(Math.min(d.phashDistance, d.dhashDistance), `scene ${seed}`).toBeLessThanOrEqual(P.photoHashMaxDistance);
      if (probeBands(copy).some((b) => probeBands(stored).includes(b))) wholeOnly += 1;
    }
    expect(found).toBeGreaterThanOrEqual(n - 1);
    expect(wholeOnly).toBeLessThan(found);
  });
});
