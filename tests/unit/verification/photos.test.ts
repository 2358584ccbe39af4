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
  const run = (matches: PhotoMatch[], joint = false, facts = visit()) => photoReused(facts, history({ photoMatches: matches, jointVisit: joint }), params());
  const bits = (phashDistance: number, dhashDistance = phashDistance) => ({ phashDistance, dhashDistance });
  // What the pixel comparison says of a copy, of a new shot of the same scene, and the detail of ordinary photos.
  const copy = { pixels: { similarity: 0.996, changed: 0 }, detail: { photo: 40, other: 38 } };
  const newShot = { pixels: { similarity: 0.97, changed: 0.03 }, detail: { photo: 40, other: 38 } };

  describe('with the pixels compared', () => {
    it("a copy of another customer's photo costs the full weight, and the message gives the pixel evidence", () => {
      const f = onlyFinding(run([match({ otherCustomerId: 'cust-9', otherVisitId: 'v-elsewhere', ...bits(9, 6), ...copy })]));
      expect(f).toMatchObject({ code: 'PHOTO_REUSED', weight: 45, measured: 99.6, threshold: 95, unit: '%', evidence: { otherVisitId: 'v-elsewhere', similarity: 0.996 } });
      expect(f.message_en).toContain('same picture as one from another customer (v-elsewhere)');
      expect(f.message_zh).toContain('另一家客户');
    });

    it("the rep's own photo from last month's visit to the same store, re-sent: full weight (no EXIF, or last month's)", () => {
      expect(onlyFinding(run([match({ ...bits(6), ...copy })]))).toMatchObject({ weight: 45, unit: '%' });
      const oldExif = visit({ photos: [photo('p1', { exif: { takenAt: at(-31 * 24 * 60) } })] });
      expect(onlyFinding(run([match({ ...bits(6), ...copy })], false, oldExif)).weight).toBe(45);
      expect(onlyFinding(run([match({ otherRepId: 'rep-wang', ...bits(6), ...copy })])).weight).toBe(45);
    });

    it('a same-store copy whose EXIF dates it to this visit goes to review (30 points), not invalid', () => {
      const fresh = visit({ photos: [photo('p1', { exif: { takenAt: at(3) } })] });
      const f = onlyFinding(run([match({ ...bits(2), ...copy })], false, fresh));
      expect(f.weight).toBe(30);
      expect(f.message_en).toContain('goes to review');
    });

    it("next month's new shot of the same storefront is spared with a note, even when the hashes are tight", () => {
      const out = run([match({ ...bits(2), ...newShot })]);
      expectSpared(out);
      expect(noteCodes(out)).toEqual(['PHOTO_SIMILAR_SAME_CUSTOMER']);
      expect(out.notes[0]!.message_en).toContain('3.0% of the picture differs');
    });

    it('a picture that differs somewhere is not a copy however high the correlation', () => {
      expectSpared(run([match({ ...bits(1), pixels: { similarity: 0.99, changed: 0.01 }, detail: copy.detail })]));
    });

    it("a declared joint visit spares the colleague's near-identical shot of the same store", () => {
      const out = run([match({ otherRepId: 'rep-wang', ...bits(1), ...copy })], true);
      expectSpared(out);
      expect(noteCodes(out)).toEqual(['PHOTO_SIMILAR_SAME_CUSTOMER']);
    });

    it("another customer's photo that hashes close but shows another picture is weak (15), and silent when only one hash is close", () => {
      expect(onlyFinding(run([match({ otherCustomerId: 'cust-9', ...bits(7, 5), ...newShot })]))).toMatchObject({ weight: 15, unit: 'bits', measured: 7 });
      expectSpared(run([match({ otherCustomerId: 'cust-9', ...bits(32, 6), pixels: { similarity: 0.3, changed: 0.4 }, detail: copy.detail })]));
    });
  });

  it('low-detail frames (night, blank wall) are only a note, even when the pixels correlate', () => {
    const out = run([match({ otherCustomerId: 'cust-9', ...bits(32, 6), pixels: { similarity: 0.96, changed: 0 }, detail: { photo: 3.1, other: 40 } })]);
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['PHOTO_SIMILAR_LOW_DETAIL']);
  });

  describe('on hashes alone (an earlier photo without thumbnail)', () => {
    it('never costs the full weight: both hashes tight across customers is 30, one close hash is not enough', () => {
      expect(onlyFinding(run([match({ otherCustomerId: 'cust-9', ...bits(3, 2) })]))).toMatchObject({ weight: 30, measured: 3, threshold: 10, unit: 'bits' });
      expect(onlyFinding(run([match({ otherCustomerId: 'cust-9', ...bits(8, 6) })])).weight).toBe(15);
      expectSpared(run([match({ otherCustomerId: 'cust-9', ...bits(32, 6) })]));
    });

    it("within the same customer: the rep's tight match is weak, a looser one a note", () => {
      expect(onlyFinding(run([match(bits(2))])).weight).toBe(15);
      const out = run([match(bits(6))]);
      expectSpared(out);
      expect(noteCodes(out)).toEqual(['PHOTO_SIMILAR_SAME_CUSTOMER']);
    });
  });

  it('reports the worst match and leaves identical files to PHOTO_SAME_FILE', () => {
    const f = onlyFinding(run([match({ ...bits(2), ...newShot }), match({ otherCustomerId: 'cust-9', otherVisitId: 'v-x', ...bits(8), ...copy }), match({ sameFile: true, ...bits(0) })]));
    expect(f).toMatchObject({ weight: 45, evidence: { otherVisitId: 'v-x' } });
    expectSpared(run([match({ sameFile: true, ...bits(0), ...copy })]));
  });

  it('ignores matches with a photo of this very visit', () => {
    expectSpared(run([match({ otherVisitId: 'v-now', ...bits(0), ...copy })]));
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
