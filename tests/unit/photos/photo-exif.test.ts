// EXIF as phones write it: local wall-clock time (with its zone when the phone gives one) and WGS-84 GPS. Read on a
// server in UTC, a China phone's 09:30 must stay 01:30Z, and the GPS point must come back as GCJ-02.
import { describe, expect, it } from 'vitest';
import sharp from 'sharp';
import { exifInstant, readExif } from '../../../server/photos/photo-exif.ts';
import { haversineM } from '../../../server/verification/geo.ts';

const jpeg = (exif: Parameters<ReturnType<typeof sharp>['withExif']>[0]) =>
  sharp({ create: { width: 64, height: 48, channels: 3, background: '#888' } }).jpeg().withExif(exif).toBuffer();

describe('EXIF facts', () => {
  it('reads the shooting time in its own zone, China time when the phone gave none', async () => {
    expect(exifInstant('2026:12:01 09:30:00', '+08:00')).toEqual(new Date('2026-12-01T01:30:00Z'));
    expect(exifInstant('2026:12:01 09:30:00', undefined)).toEqual(new Date('2026-12-01T01:30:00Z'));
    expect(exifInstant('2026:12:01 09:30:00', '-05:00')).toEqual(new Date('2026-12-01T14:30:00Z'));
    expect(exifInstant('0000:00:00 00:00:00', undefined)).toBeUndefined();
    const photo = await jpeg({ IFD0: { Make: 'Xiaomi', Model: 'Mi 11' }, IFD2: { DateTimeOriginal: '2026:12:01 09:30:00', OffsetTimeOriginal: '+08:00' } });
    expect(await readExif(photo)).toMatchObject({ takenAt: new Date('2026-12-01T01:30:00Z'), make: 'Xiaomi', model: 'Mi 11' });
  });

  it('reads the GPS point and returns it as GCJ-02 (a few hundred metres from the WGS-84 one in China)', async () => {
    const photo = await jpeg({ IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '31/1 13/1 4800/100', GPSLongitudeRef: 'E', GPSLongitude: '121/1 28/1 2400/100' } });
    const exif = (await readExif(photo))!;
    const wgs = { lat: 31 + 13 / 60 + 48 / 3600, lng: 121 + 28 / 60 + 24 / 3600 };
    const shift = haversineM(wgs, { lat: exif.lat!, lng: exif.lng! });
    expect(shift).toBeGreaterThan(300);
    expect(shift).toBeLessThan(800);
  });

  it('a photo without EXIF gives nothing', async () => {
    expect(await readExif(await sharp({ create: { width: 8, height: 8, channels: 3, background: '#000' } }).jpeg().toBuffer())).toBeUndefined();
  });
});
