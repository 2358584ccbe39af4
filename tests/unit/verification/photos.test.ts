import { describe, expect, it } from 'vitest';
import { photoNotCamera } from '../../../server/verification/rules/photo-not-camera.ts';
import { photoOldOrElsewhere } from '../../../server/verification/rules/photo-old-or-elsewhere.ts';
import { photoReused } from '../../../server/verification/rules/photo-reused.ts';
import { photoSameFile } from '../../../server/verification/rules/photo-same-file.ts';
import { at, expectSpared, history, match, noteCodes, onlyFinding, params, photo, visit, STORE } from './fixtures.ts';
import type { PhotoEvidence, PhotoMatch } from '../../../server/verification/types.ts';

describe('PHOTO_SAME_FILE', () => {
  const run = (...matches: PhotoMatch[]) => photoSameFile(visit(), history({ photoMatches: matches }), params());

  it('is a hard failure when a photo is byte for byte an earlier upload', () => {
    const f = onlyFinding(run(match({ sameFile: true, phashDistance: 0, dhashDistance: 0 })));
    expect(f).toMatchObject({ code: 'PHOTO_SAME_FILE', family: 'photo', hard: true, weight: 100, measured: 1, unit: 'photos' });
    expect(f.evidence).toMatchObject({ photoId: 'p1', otherVisitId: 'v-last-month', otherPhotoId: 'old-p1' });
  });

  it('ignores matches inside this visit and matches for photos not in it', () => {
    expectSpared(run(match({ sameFile: true, otherVisitId: 'v-now' }), match({ sameFile: true, photoId: 'not-mine' })));
  });
});

describe('PHOTO_REUSED', () => {
  const run = (matches: PhotoMatch[], joint = false) => photoReused(visit(), history({ photoMatches: matches, jointVisit: joint }), params());
  const bits = (phashDistance: number, dhashDistance = phashDistance) => ({ phashDistance, dhashDistance });

  it("is strong when the photo resembles another customer's (6 bits, max 8)", () => {
    const f = onlyFinding(run([match({ otherCustomerId: 'cust-9', otherVisitId: 'v-elsewhere', ...bits(6, 7) })]));
    expect(f).toMatchObject({ code: 'PHOTO_REUSED', weight: 45, measured: 6, threshold: 8, unit: 'bits' });
    expect(f.message_en).toContain('another customer (v-elsewhere)');
  });

  it('across customers one close hash is enough (a crop moves pHash more than dHash); within one customer both must be', () => {
    expect(onlyFinding(run([match({ otherCustomerId: 'cust-9', ...bits(11, 3) })]))).toMatchObject({ code: 'PHOTO_REUSED', measured: 3, weight: 45 });
    expectSpared(run([match({ otherRepId: 'rep-wang', ...bits(2, 9) })]));
  });

  it("at the same customer, a colleague's photo is strong when it is a copy (3 ≤ 4), weak when merely close (7)", () => {
    expect(onlyFinding(run([match({ otherRepId: 'rep-wang', ...bits(3) })]))).toMatchObject({ weight: 45, threshold: 4 });
    expect(onlyFinding(run([match({ otherRepId: 'rep-wang', ...bits(7) })]))).toMatchObject({ weight: 15, threshold: 8 });
  });

  it("spares next month's new photo of the same storefront (6 bits) with a note", () => {
    const out = run([match(bits(6))]);
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['PHOTO_SIMILAR_SAME_CUSTOMER']);
  });

  it('costs little when the same rep re-sends last month\'s picture of the same shop (2 bits): weak', () => {
    expect(onlyFinding(run([match(bits(2))]))).toMatchObject({ weight: 15, measured: 2, threshold: 4 });
  });

  it("a declared joint visit treats the colleague's photo like one's own", () => {
    expect(onlyFinding(run([match({ otherRepId: 'rep-wang', ...bits(3) })], true))).toMatchObject({ weight: 15 });
  });

  it('reports the worst match and leaves identical files to PHOTO_SAME_FILE', () => {
    const f = onlyFinding(run([match(bits(2)), match({ otherCustomerId: 'cust-9', otherVisitId: 'v-x', ...bits(8) }), match({ sameFile: true, ...bits(0) })]));
    expect(f).toMatchObject({ weight: 45, measured: 8, evidence: { otherVisitId: 'v-x' } });
  });

  it('is silent beyond the max distance', () => {
    expectSpared(run([match({ otherCustomerId: 'cust-9', ...bits(12) })]));
  });
});

describe('PHOTO_OLD_OR_ELSEWHERE', () => {
  const withExif = (exif: PhotoEvidence['exif']) => photoOldOrElsewhere(visit({ photos: [photo('p1', { exif })] }), history(), params());

  it('fires when EXIF says the photo was taken 20 h before the check-in (12 h allowed)', () => {
    const f = onlyFinding(withExif({ takenAt: at(-20 * 60) }));
    expect(f).toMatchObject({ code: 'PHOTO_OLD_OR_ELSEWHERE', weight: 25, measured: 20, threshold: 12, unit: 'h', evidence: { photoId: 'p1' } });
  });

  it('fires when EXIF GPS is 0.05° (5.6 km) from the customer (2 km allowed)', () => {
    const f = onlyFinding(withExif({ lat: STORE.lat + 0.05, lng: STORE.lng }));
    expect(f).toMatchObject({ measured: 5560, threshold: 2000, unit: 'm' });
    expect(f.message_en).toContain('5.6 km from the customer');
  });

  it('reports both when the photo is old and from elsewhere', () => {
    expect(withExif({ takenAt: at(-20 * 60), lat: STORE.lat + 0.05, lng: STORE.lng }).findings.map((f) => f.unit)).toEqual(['h', 'm']);
  });

  it('treats stripped EXIF as neutral, and spares a photo taken on site this morning', () => {
    expectSpared(withExif(undefined));
    expectSpared(withExif({ takenAt: at(-2 * 60), lat: STORE.lat + 0.001, lng: STORE.lng }));
  });
});

describe('PHOTO_NOT_CAMERA', () => {
  const run = (p: Partial<PhotoEvidence>, screenshotsAt?: Date[]) =>
    photoNotCamera(visit({ photos: [photo('p1'), photo('p2', { kind: 'shelf', ...p })], screenshotsAt }), history(), params());

  it('fires when the host says a photo came from the album', () => {
    const f = onlyFinding(run({ source: 'album' }));
    expect(f).toMatchObject({ code: 'PHOTO_NOT_CAMERA', weight: 30, measured: 1, threshold: 0, evidence: { photoId: 'p2' } });
    expect(f.message_en).toContain('the "shelf" photo came from the album');
  });

  it('fires on a PNG the shape of a phone screen (1080×2340)', () => {
    expect(onlyFinding(run({ format: 'png', width: 1080, height: 2340, source: 'unknown' })).message_en).toContain('phone-screen-sized PNG');
  });

  it('spares an unknown source and a camera-shaped PNG', () => {
    expectSpared(run({ source: 'unknown' }));
    expectSpared(run({ format: 'png', width: 1600, height: 1200 }));
  });

  it('only notes a screen capture during the visit', () => {
    const out = run({}, [at(8)]);
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['SCREENSHOT_DURING_VISIT']);
  });
});
