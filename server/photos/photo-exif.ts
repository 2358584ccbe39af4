// EXIF facts the authenticity rules use. Host pickers often strip EXIF: missing data is returned as undefined.
import exifr from 'exifr';

export interface ExifFacts { takenAt?: Date; lat?: number; lng?: number; make?: string; model?: string }

export async function readExif(bytes: Buffer): Promise<ExifFacts | undefined> {
  try {
    const tags = (await exifr.parse(bytes, { gps: true, pick: ['DateTimeOriginal', 'CreateDate', 'Make', 'Model', 'latitude', 'longitude'] })) as Record<string, unknown> | undefined;
    if (!tags) return undefined;
    const taken = tags.DateTimeOriginal ?? tags.CreateDate;
    const facts: ExifFacts = {
      takenAt: taken instanceof Date && !Number.isNaN(taken.getTime()) ? taken : undefined,
      lat: typeof tags.latitude === 'number' ? tags.latitude : undefined,
      lng: typeof tags.longitude === 'number' ? tags.longitude : undefined,
      make: typeof tags.Make === 'string' ? tags.Make : undefined,
      model: typeof tags.Model === 'string' ? tags.Model : undefined,
    };
    return Object.values(facts).some((v) => v !== undefined) ? facts : undefined;
  } catch {
    return undefined;
  }
}
