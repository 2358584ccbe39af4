import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { detectImageType } from '../../../server/photos/photo-content.ts';
import { dHash, pHash } from '../../../server/photos/photo-hash.ts';
import { inspectPhoto } from '../../../server/photos/photo-inspect.ts';
import { scenePhoto, transforms } from '../../helpers/images.ts';

const FONT = process.env.FONT_FILE ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc';
const LIMITS = { maxBytes: 15 * 1024 * 1024, maxPixels: 50_000_000 };
const TEXT = { time: '2026-11-20 10:32', customer: '华联超市（人民路店）', address: '上海市黄浦区人民路100号', rep: '张伟' };

function hamming(a: string, b: string): number {
  let d = 0;
  for (let i = 0; i < a.length; i += 1) {
    let x = parseInt(a[i]!, 16) ^ parseInt(b[i]!, 16);
    while (x) { d += x & 1; x >>= 1; }
  }
  return d;
}

describe('photo content checks', () => {
  it('recognises JPEG, PNG and WebP by their bytes and refuses a text file named .jpg', async () => {
    expect(detectImageType(await scenePhoto(1))).toBe('jpeg');
    expect(detectImageType(await scenePhoto(1, 100, 100, 'png'))).toBe('png');
    expect(detectImageType(await sharp(await scenePhoto(1)).webp().toBuffer())).toBe('webp');
    expect(detectImageType(Buffer.from('这不是照片 this is not a photo at all'))).toBeUndefined();
    await expect(inspectPhoto(Buffer.from('plain text pretending to be a jpg'), LIMITS, TEXT, FONT)).rejects.toMatchObject({ code: 'PHOTO_UNSUPPORTED_TYPE', status: 415 });
  });

  it('refuses a decompression bomb from its header, before decoding pixels', async () => {
    // A 15000×15000 PNG of one colour compresses to a small file but would need 675 MB to decode.
    const bomb = await sharp({ create: { width: 15_000, height: 15_000, channels: 3, background: '#fff' } }).png({ compressionLevel: 9 }).toBuffer();
    expect(bomb.length).toBeLessThan(5 * 1024 * 1024);
    await expect(inspectPhoto(bomb, LIMITS, TEXT, FONT)).rejects.toMatchObject({ code: 'PHOTO_TOO_MANY_PIXELS' });
  });

  it('refuses files over the byte limit and truncated images', async () => {
    const photo = await scenePhoto(2);
    await expect(inspectPhoto(photo, { ...LIMITS, maxBytes: 1000 }, TEXT, FONT)).rejects.toMatchObject({ code: 'PHOTO_TOO_LARGE', status: 413 });
    await expect(inspectPhoto(photo.subarray(0, 200), LIMITS, TEXT, FONT)).rejects.toMatchObject({ code: 'PHOTO_UNDECODABLE' });
  });
});

describe('perceptual hashes', () => {
  it('stay within a few bits for re-encoded, resized, cropped and brightened copies', async () => {
    const original = await scenePhoto(7);
    const [p0, d0] = [await pHash(original), await dHash(original)];
    for (const [name, t] of Object.entries(transforms)) {
      const copy = await t(original);
      const [p, d] = [await pHash(copy), await dHash(copy)];
      expect(hamming(p0, p), `pHash ${name}`).toBeLessThanOrEqual(8);
      expect(hamming(d0, d), `dHash ${name}`).toBeLessThanOrEqual(12);
    }
  });

  it('are far apart for different scenes', async () => {
    const distances: number[] = [];
    for (let seed = 20; seed < 30; seed += 1) distances.push(hamming(await pHash(await scenePhoto(seed)), await pHash(await scenePhoto(seed + 100))));
    expect(Math.min(...distances)).toBeGreaterThan(12);
  });
});

describe('ingest', () => {
  it('returns hashes, size and a watermarked copy no wider than 1600 px', async () => {
    const photo = await scenePhoto(3, 2400, 1800);
    const out = await inspectPhoto(photo, LIMITS, TEXT, FONT);
    expect(out).toMatchObject({ type: 'jpeg', width: 2400, height: 1800, bytes: photo.length });
    expect(out.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(out.phash).toMatch(/^[0-9a-f]{16}$/);
    const meta = await sharp(out.watermarked).metadata();
    expect(meta.format).toBe('jpeg');
    expect(meta.width).toBe(1600);
    // The band at the bottom is darker than the same area of the unmarked image.
    const stats = async (b: Buffer) => (await sharp(b).resize(1600).extract({ left: 0, top: 1150, width: 1600, height: 50 }).stats()).channels[0]!.mean;
    expect(await stats(out.watermarked)).toBeLessThan(await stats(photo));
    expect(out.exif).toBeUndefined();
  });
});
