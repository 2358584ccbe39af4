// Everything the server learns from one uploaded photo, in one pass: real type, size, SHA-256, perceptual
// hashes, EXIF and the watermarked copy. Pure apart from CPU work; storing the results is the caller's job.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';
import { detectImageType, type ImageType } from './photo-content.ts';
import { dHash, pHash } from './photo-hash.ts';
import { readExif, type ExifFacts } from './photo-exif.ts';
import { watermark, type WatermarkText } from './watermark.ts';

const WORKING_SIZE = 1600;

export interface PhotoLimits { maxBytes: number; maxPixels: number }

export interface InspectedPhoto {
  type: ImageType;
  width: number;
  height: number;
  bytes: number;
  sha256: string;
  phash: string;
  dhash: string;
  exif?: ExifFacts;
  watermarked: Buffer;
}

export async function inspectPhoto(bytes: Buffer, limits: PhotoLimits, text: WatermarkText, fontFile: string): Promise<InspectedPhoto> {
  if (bytes.length > limits.maxBytes) throw new AppError('PHOTO_TOO_LARGE');
  const type = detectImageType(bytes);
  if (!type) throw new AppError('PHOTO_UNSUPPORTED_TYPE');
  let width: number;
  let height: number;
  try {
    // Reads only the header: a decompression bomb is refused before any pixel is decoded.
    const meta = await sharp(bytes).metadata();
    width = meta.autoOrient?.width ?? meta.width ?? 0;
    height = meta.autoOrient?.height ?? meta.height ?? 0;
  } catch {
    throw new AppError('PHOTO_UNDECODABLE');
  }
  if (width * height > limits.maxPixels) throw new AppError('PHOTO_TOO_MANY_PIXELS');
  try {
    // Decode once, straight to the watermark size (JPEG shrink-on-load makes this far cheaper than a full decode);
    // hashes and watermark all work from that copy.
    const { data, info } = await sharp(bytes, { limitInputPixels: limits.maxPixels, failOn: 'error' })
      .rotate().resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true })
      .raw().toBuffer({ resolveWithObject: true });
    const image = sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
    const [phash, dhash, watermarked, exif] = await Promise.all([pHash(image), dHash(image), watermark(image, text, fontFile, WORKING_SIZE), readExif(bytes)]);
    return { type, width, height, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), phash, dhash, exif, watermarked };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('PHOTO_UNDECODABLE');
  }
}
