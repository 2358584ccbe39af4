import { describe, expect, it } from 'vitest';
import { clockSkew } from '../../../server/verification/rules/clock-skew.ts';
import { lateReport } from '../../../server/verification/rules/late-report.ts';
import { stayTooShort } from '../../../server/verification/rules/stay-too-short.ts';
import { at, expectSpared, fix, history, noteCodes, onlyFinding, params, stamp, visit } from './fixtures.ts';
import type { VisitFacts } from '../../../server/verification/types.ts';

/** A stamp done on the phone at `minutes`, reaching us `lagMinutes` later. */
const late = (minutes: number, lagMinutes: number) => ({ deviceTime: at(minutes), receivedAt: at(minutes + lagMinutes) });

describe('STAY_TOO_SHORT', () => {
  const run = (spec: Partial<VisitFacts>) => stayTooShort(visit(spec), history(), params());

  it('costs the full weight below half the minimum: 2 min at a class B customer (10 min)', () => {
    const f = onlyFinding(run({ checkOut: stamp(2) }));
    expect(f).toMatchObject({ code: 'STAY_TOO_SHORT', family: 'timing', weight: 30, measured: 2, threshold: 10, unit: 'min' });
    expect(f.message_en).toBe('Only 2 min on site; a class B customer needs at least 10 min');
  });

  it('costs half for a quick visit just under the minimum: 7 of 10 min', () => {
    expect(onlyFinding(run({ checkOut: stamp(7) }))).toMatchObject({ weight: 15, measured: 7 });
  });

  it('follows the class: 12 min is enough for B but not for A (15 min)', () => {
    expectSpared(run({ checkOut: stamp(12) }));
    expect(onlyFinding(run({ checkOut: stamp(12), customer: { ...visit().customer, class: 'A' } }))).toMatchObject({ threshold: 15 });
  });

  it('spares phone visits, which have no stay', () => {
    expectSpared(run({ checkOut: stamp(1), visitType: 'phone' }));
  });

  it('uses phone times: an offline check-in received 3 h late does not shorten or lengthen the stay', () => {
    expectSpared(run({ checkIn: late(0, 180), checkOut: late(20, 160) }));
  });

  it('only notes a visit without check-out', () => {
    const out = run({ checkOut: undefined });
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['NO_CHECK_OUT']);
  });
});

describe('LATE_REPORT', () => {
  const run = (spec: Partial<VisitFacts>) => lateReport(visit(spec), history(), params());

  it('fires when the rep submitted 30 h after checking out (24 h allowed)', () => {
    const f = onlyFinding(run({ submitted: stamp(20 + 30 * 60) }));
    expect(f).toMatchObject({ code: 'LATE_REPORT', weight: 25, measured: 30, threshold: 24, unit: 'h' });
  });

  it('counts from the check-in when there was no check-out', () => {
    expect(onlyFinding(run({ checkOut: undefined, submitted: stamp(25 * 60) }))).toMatchObject({ measured: 25 });
  });

  it('spares an offline upload: written 5 min after check-out, received 5 h later, recorded as a note', () => {
    const out = run({ submitted: late(25, 5 * 60) });
    expectSpared(out);
    expect(noteCodes(out)).toEqual(['OFFLINE_LAG']);
    expect(out.notes[0]!.evidence).toMatchObject({ hours: 5 });
    expect(out.notes[0]!.message_en).toContain('The submission was done offline and reached the server 5 h later');
  });

  it('notes an offline check-in too, but not a lag within the tolerated drift (10 min)', () => {
    expect(noteCodes(run({ checkIn: late(0, 90) }))).toEqual(['OFFLINE_LAG']);
    expect(run({ submitted: late(25, 10) }).notes).toEqual([]);
  });
});

describe('CLOCK_SKEW', () => {
  const run = (spec: Partial<VisitFacts>) => clockSkew(visit(spec), history(), params());

  it('fires when the phone is 45 min ahead: an event cannot reach us before it happened', () => {
    const f = onlyFinding(run({ checkIn: { deviceTime: at(0), receivedAt: at(-45) } }));
    expect(f).toMatchObject({ code: 'CLOCK_SKEW', weight: 10, measured: 45, threshold: 30, unit: 'min', evidence: { minutes: -45 } });
    expect(f.message_en).toContain('45 min ahead of the server');
  });

  it('fires when the phone is 50 min behind, measured from the clock it sent with the request', () => {
    const f = onlyFinding(run({ submitted: { deviceTime: at(25), sentAt: at(25), receivedAt: at(75) } }));
    expect(f).toMatchObject({ measured: 50, evidence: { minutes: 50 } });
    expect(f.message_en).toContain('behind');
  });

  it('reads fixes as well', () => {
    expect(onlyFinding(run({ fixes: [fix({ receivedAt: at(-40) })] })).measured).toBe(40);
  });

  it('spares minutes of drift and offline queueing (without sentAt a late receipt is no skew)', () => {
    expectSpared(run({ checkIn: { deviceTime: at(0), receivedAt: at(-10) } }));
    expectSpared(run({ submitted: late(25, 5 * 60) }));
    expectSpared(run({ submitted: { deviceTime: at(25), sentAt: at(25 + 5 * 60), receivedAt: at(25 + 5 * 60, 3) } }));
  });
});
