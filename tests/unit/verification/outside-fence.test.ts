import { describe, expect, it } from 'vitest';
import { outsideFence } from '../../../server/verification/rules/outside-fence.ts';
import { expectSpared, fix, history, noteCodes, onlyFinding, params, visit, STORE } from './fixtures.ts';

const checkInAt = (north: number, spec: Parameters<typeof fix>[0] = {}) => visit({ fixes: [fix({ north, ...spec })] });
const run = (v = visit(), p = params()) => outsideFence(v, history(), p);

describe('OUTSIDE_FENCE', () => {
  it('an honest check-in 20 m from the door passes silently', () => {
    const out = run();
    expectSpared(out);
    expect(out.notes).toEqual([]);
  });

  it('fires in full when the rep is far away: 800 m, 30 m accuracy credited → 770 m against a 200 m fence', () => {
    const f = onlyFinding(run(checkInAt(800, { accuracyM: 30 })));
    expect(f).toMatchObject({ code: 'OUTSIDE_FENCE', family: 'location', weight: 45, measured: 770, threshold: 200, unit: 'm' });
    expect(f.evidence).toMatchObject({ visitId: 'v-now', distanceM: 800, accuracyM: 30 });
    expect(f.message_zh).toContain('800 米');
    expect(f.message_en).toContain('800 m from the customer');
  });

  it('a near miss (within twice the fence) costs half: 300 m − 20 m = 280 m', () => {
    expect(onlyFinding(run(checkInAt(300, { accuracyM: 20 })))).toMatchObject({ weight: 23, measured: 280, threshold: 200 });
  });

  it('a fix without accuracy gets no credit', () => {
    expect(onlyFinding(run(checkInAt(250, { accuracyM: undefined })))).toMatchObject({ measured: 250, weight: 23 });
  });

  it('spares dense-city drift: 300 m off with 150 m accuracy (credit capped at 120) → 180 m, noted', () => {
    const out = run(checkInAt(300, { accuracyM: 150 }));
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['ACCEPTED_BY_ACCURACY']);
    expect(out.notes[0]!.message_en).toContain('accepted only because the fix was coarse');
  });

  it('spares an indoor WiFi fix 260 m off with 80 m accuracy', () => {
    const out = run(checkInAt(260, { accuracyM: 80, provider: 'wifi' }));
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['ACCEPTED_BY_ACCURACY']);
  });

  it('caps the accuracy credit: a 1000 m cell fix 500 m away only earns 120 m', () => {
    expect(onlyFinding(run(checkInAt(500, { accuracyM: 1000, provider: 'lbs' })))).toMatchObject({ measured: 380 });
  });

  it('judges the best fix of the burst: a poor first fix does not count', () => {
    const v = visit({ fixes: [fix({ north: 600, second: 0 }), fix({ north: 30, second: 5 }), fix({ north: 28, second: 10 })] });
    expectSpared(run(v));
  });

  it('uses the check-out fixes when a visit has no check-in fix', () => {
    const v = visit({ fixes: [fix({ north: 800, accuracyM: 0, phase: 'checkout' })] });
    expect(onlyFinding(run(v))).toMatchObject({ measured: 800 });
  });

  it("honours the customer's own radius", () => {
    const wide = visit({ customer: { ...visit().customer, fenceRadiusM: 500 }, fixes: [fix({ north: 400, accuracyM: 0 })] });
    expectSpared(run(wide));
  });

  describe('with a polygon (a 100 m square around the store)', () => {
    const half = 50 / 111_194.93;
    const square: [number, number][] = [
      [STORE.lng - half, STORE.lat - half], [STORE.lng + half, STORE.lat - half],
      [STORE.lng + half, STORE.lat + half], [STORE.lng - half, STORE.lat + half],
    ];
    const inPolygon = (north: number, accuracyM: number) =>
      visit({ customer: { ...visit().customer, polygon: square }, fixes: [fix({ north, accuracyM })] });

    it('accepts any fix inside the outline', () => {
      expectSpared(run(inPolygon(45, 5)));
    });

    it('measures from the outline: 120 m north is 70 m outside, less 10 m accuracy = 60 m against a 50 m margin', () => {
      expect(onlyFinding(run(inPolygon(120, 10)))).toMatchObject({ measured: 60, threshold: 50, weight: 23 });
    });
  });

  it('a rotating store code proves presence and turns the deduction into a note', () => {
    const v = visit({ startedBy: 'qr', qr: { ok: true }, dynamicQr: true, fixes: [fix({ north: 800 })] });
    const out = run(v);
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['PRESENCE_PROVEN_BY_QR']);
  });

  it('a printed store code does not: a photo of the sticker scans fine', () => {
    const v = visit({ startedBy: 'qr', qr: { ok: true }, dynamicQr: false, fixes: [fix({ north: 800, accuracyM: 0 })] });
    expect(onlyFinding(run(v))).toMatchObject({ measured: 800 });
  });

  it('is silent when there is no fix at all', () => {
    expectSpared(run(visit({ fixes: [] })));
  });
});
