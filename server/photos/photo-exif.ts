// EXIF facts the authenticity rules use. Host pickers often strip EXIF: missing data is returned as undefined.
// Phones write the shooting time as local wall-clock time, with its zone in OffsetTimeOriginal when they have one;
// without it the time is taken as China time (the phones this product serves). EXIF GPS is WGS-84: it is returned
// as GCJ-02 like every other point of the server.
import exifr from 'exifr';
import { normaliseLocation } from '../customers/geo-normalise.ts';

export interface ExifFacts { takenAt?: Date; lat?: number; lng?: number; make?: string; model?: string }

const CHINA_OFFSET = '+08:00';
const TAGS = ['DateTimeOriginal', 'CreateDate', 'OffsetTimeOriginal', 'OffsetTime', 'Make', 'Model', 'GPSLatitude', 'GPSLatitudeRef', 'GPSLongitude', 'GPSLongitudeRef'];

/** "2026:12:01 09:30:00" at "+08:00" → the instant. */
export function exifInstant(wallClock: unknown, offset: unknown): Date | undefined {
  const m = typeof wallClock === 'string' ? /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(wallClock) : null;
  if (!m) return undefined;
  const zone = typeof offset === 'string' && /^[+-]\d{2}:\d{2}$/.test(offset.trim()) ? offset.trim() : CHINA_OFFSET;
  const at = new Date(`${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}${zone}`);
  return Number.isNaN(at.getTime()) ? undefined : at;
}

export async function readExif(bytes: Buffer): Promise<ExifFacts | undefined> {
  try {
    // Raw values: revived dates would be read in the server's own zone.
    const tags = (await exifr.parse(bytes, { gps: true, reviveValues: false, pick: TAGS })) as Record<string, unknown> | undefined;
    if (!tags) return undefined;
    const taken = tags.DateTimeOriginal !== undefined ? exifInstant(tags.DateTimeOriginal, tags.OffsetTimeOriginal) : exifInstant(tags.CreateDate, tags.OffsetTime);
    const gps = typeof tags.latitude === 'number' && typeof tags.longitude === 'number'
      ? normaliseLocation({ lng: tags.longitude, lat: tags.latitude, system: 'WGS84' }, '/exif').value
      : undefined;
    const facts: ExifFacts = {
      takenAt: taken,
      lat: gps?.lat,
      lng: gps?.lng,
      make: typeof tags.Make === 'string' ? tags.Make : undefined,
      model: typeof tags.Model === 'string' ? tags.Model : undefined,
    };
    return Object.values(facts).some((v) => v !== undefined) ? facts : undefined;
  } catch {
    return undefined;
  }
}
