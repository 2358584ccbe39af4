// Everything the server learns from one uploaded photo, in one pass: real type, size, SHA-256, perceptual hashes
// (whole frame and centre), the thumbnail and detail the pixel comparison needs, EXIF and the watermarked copy.
// Pure apart from CPU work; storing the results is the caller's job.
import { createHash } from 'node:crypto';
import sharp from 'sharp';
import { AppError } from '../http/errors.ts';
import { detectImageType, type ImageType } from './photo-content.ts';
import { dHash, pHash, pixelFacts, type PixelFacts } from './photo-hash.ts';
import { readExif, type ExifFacts } from './photo-exif.ts';
import { watermark, type WatermarkText } from './watermark.ts';

const WORKING_SIZE = 1600;

export interface PhotoLimits { maxBytes: number; maxPixels: number }

export interface InspectedPhoto extends PixelFacts {
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

/** The decoded, upright picture at the working size, which every measure is taken from. */
async function workingImage(bytes: Buffer, maxPixels: number) {
  const { data, info } = await sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' })
    .rotate().resize({ width: WORKING_SIZE, height: WORKING_SIZE, fit: 'inside', withoutEnlargement: true })
    .raw().toBuffer({ resolveWithObject: true });
  return { image: sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }), info };
}

/** The pixel facts of a stored photo, measured as at upload (the migration fills them for older photos). */
export async function pixelFactsOfFile(bytes: Buffer, maxPixels: number): Promise<PixelFacts> {
  const { image, info } = await workingImage(bytes, maxPixels);
  return pixelFacts(image, info.width, info.height);
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
    const { image, info } = await workingImage(bytes, limits.maxPixels);
    const [phash, dhash, pixels, watermarked, exif] = await Promise.all([
      pHash(image), dHash(image), pixelFacts(image, info.width, info.height), watermark(image, text, fontFile, WORKING_SIZE), readExif(bytes),
    ]);
    return { type, width, height, bytes: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex'), phash, dhash, ...pixels, exif, watermarked };
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError('PHOTO_UNDECODABLE');
  }
}
