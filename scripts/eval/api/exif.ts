// EXIF as a phone camera writes it (local China time with its offset, GPS in degrees/minutes/seconds), spliced
// into a JPEG without re-encoding it, so the pixels and the perceptual hashes the sample measured stay the same.
import sharp from 'sharp';
import type { PhotoEvidence } from '../../../server/verification/types.ts';

const HOUR = 3_600_000;

function dms(x: number): string {
  const a = Math.abs(x);
  const d = Math.floor(a);
  const m = Math.floor((a - d) * 60);
  const s = ((a - d) * 60 - m) * 60;
  return `${d}/1 ${m}/1 ${Math.round(s * 10_000)}/10000`;
}

/** "YYYY:MM:DD HH:MM:SS" in Asia/Shanghai, as a phone in China stamps DateTimeOriginal. */
function shanghaiExifTime(at: Date): string {
  return new Date(at.getTime() + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ').replace(/-/g, ':');
}

/** The APP1 (Exif) segment of a JPEG, marker included, or undefined. */
function app1Of(jpeg: Buffer): Buffer | undefined {
  for (let i = 2; i + 4 <= jpeg.length && jpeg[i] === 0xff;) {
    const marker = jpeg[i + 1]!;
    const len = jpeg.readUInt16BE(i + 2);
    if (marker === 0xe1 && jpeg.toString('latin1', i + 4, i + 10) === 'Exif\0\0') return jpeg.subarray(i, i + 2 + len);
    if (marker === 0xda) return undefined; // start of scan: no more headers
    i += 2 + len;
  }
  return undefined;
}

const isJpeg = (b: Buffer) => b[0] === 0xff && b[1] === 0xd8;

export async function withExif(bytes: Buffer, exif: NonNullable<PhotoEvidence['exif']>): Promise<Buffer> {
  if (!isJpeg(bytes) || app1Of(bytes)) return bytes;
  const tags: Record<string, Record<string, string>> = { IFD0: { Make: 'EvalCam', Model: 'E1' }, IFD2: {}, IFD3: {} };
  if (exif.takenAt) tags.IFD2 = { DateTimeOriginal: shanghaiExifTime(exif.takenAt), OffsetTimeOriginal: '+08:00' };
  if (exif.lat !== undefined && exif.lng !== undefined) {
    tags.IFD3 = { GPSLatitudeRef: exif.lat >= 0 ? 'N' : 'S', GPSLatitude: dms(exif.lat), GPSLongitudeRef: exif.lng >= 0 ? 'E' : 'W', GPSLongitude: dms(exif.lng) };
  }
  const carrier = await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).withExif(tags).jpeg().toBuffer();
  const app1 = app1Of(carrier);
  return app1 ? Buffer.concat([bytes.subarray(0, 2), app1, bytes.subarray(2)]) : bytes;
}
