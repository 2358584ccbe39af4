// The per-day rollup from a day's visits and follow-ups: counts, valid visits, durations, report timeliness,
// evidence kinds, customers touched and action paths, computed by hand.
import { describe, expect, it } from 'vitest';
import { actionPath, buildDailyRollup, isValidVisit, type RollupVisitInput } from '../../../server/kpis/rollup.ts';

const T = (hhmm: string) => new Date(`2026-11-10T${hhmm}:00+08:00`);

function visit(o: Partial<RollupVisitInput> & { at: string; minutes?: number; submitAfterMin?: number; photos?: string[] }): RollupVisitInput {
  const checkIn = T(o.at);
  const out = new Date(checkIn.getTime() + (o.minutes ?? 20) * 60_000);
  const photos = (o.photos ?? ['门头照', '陈列照', '沟通场景照']).map((kind, i) => ({ kind, uploadedAt: new Date(checkIn.getTime() + (i + 1) * 60_000).toISOString() }));
  return {
    _id: 'v', customerId: 'c1', customer: { class: 'A', type: '商超' }, visitType: 'onsite', start: { method: 'qr', qr: { ok: true } },
    checkIn: { deviceTime: checkIn }, checkOut: { deviceTime: out, receivedAt: out },
    submitted: { deviceTime: new Date(out.getTime() + (o.submitAfterMin ?? 1) * 60_000) },
    contactsMet: ['k1'], answers: { followUp: { action: '寄样', dueDate: '2026-11-12' } }, verdict: { band: 'green' },
    verdictInput: { facts: { photos, fixes: [{ phase: 'checkin' }, { phase: 'checkout' }] } },
    ...o,
  };
}

describe('valid visits', () => {
  it('counts green, and yellow only when a manager reviewed it and kept it yellow', () => {
    expect(isValidVisit({ verdict: { band: 'green' } })).toBe(true);
    expect(isValidVisit({ verdict: { band: 'yellow' } })).toBe(false);
    expect(isValidVisit({ verdict: { band: 'yellow' }, override: { band: 'yellow' } })).toBe(true);
    expect(isValidVisit({ verdict: { band: 'yellow' }, callback: { outcome: 'confirmed' } })).toBe(true);
    expect(isValidVisit({ verdict: { band: 'green' }, callback: { outcome: 'denied' } })).toBe(false);
    expect(isValidVisit({ verdict: { band: 'red' }, override: { band: 'green' } })).toBe(true);
    expect(isValidVisit({ verdict: { band: 'yellow' }, override: { band: 'yellow' }, callback: { outcome: 'denied' } })).toBe(false);
  });
});

describe('buildDailyRollup', () => {
  const visits = [
    visit({ at: '09:00', minutes: 20 }),
    visit({ at: '10:00', minutes: 10, customerId: 'c2', verdict: { band: 'yellow' }, submitAfterMin: 25 * 60 }),
    visit({ at: '11:00', minutes: 6, customerId: 'c1', visitType: 'phone', photos: [], contactsMet: [], answers: {}, start: { method: 'location' }, verdict: { band: 'red' }, jointVisit: true }),
    visit({ at: '14:00', minutes: 30, customerId: 'c3', customer: { class: 'C', type: '药店' }, verdict: { band: 'yellow' }, override: { band: 'yellow' } }),
  ];
  const tasks = [
    { dueDate: '2026-11-10', status: 'done', doneAt: new Date('2026-11-10T20:00:00+08:00') },
    { dueDate: '2026-11-10', status: 'done', doneAt: new Date('2026-11-11T08:00:00+08:00') },
    { dueDate: '2026-11-10', status: 'open' },
    { dueDate: '2026-11-10', status: 'cancelled' },
  ];
  const r = buildDailyRollup({ tenantId: 't', repId: 'r', date: '2026-11-10', asOf: new Date() }, visits, tasks, 24);

  it('counts visits by type and band, valid visits and joint visits', () => {
    expect(r).toMatchObject({ tenantId: 't', repId: 'r', date: '2026-11-10' });
    expect(r).toMatchObject({ visits: 4, onsite: 3, phone: 1, joint: 1, green: 1, yellow: 2, red: 1, valid: 2 });
  });

  it('sums check-in → check-out minutes and counts reports within the deadline', () => {
    expect(r.durationSum).toBe(66);
    expect(r.durationCount).toBe(4);
    expect(r.reportsOnTime).toBe(3); // the 10:00 visit was submitted 25 h after check-out
  });

  it('counts follow-ups due that day and those done by its end, leaving out cancelled ones', () => {
    expect(r.followUpsDue).toBe(3);
    expect(r.followUpsOnTime).toBe(1);
  });

  it('adds the distinct evidence kinds of each visit', () => {
    // QR + location + photo + contact + follow-up = 5 for three visits; the phone visit has location only.
    expect(r.evidenceSum).toBe(5 + 5 + 1 + 5);
  });

  it('keeps each customer touched with its class and on-site/phone counts', () => {
    expect(r.customers).toEqual([
      { customerId: 'c1', cls: 'A', onsite: 1, phone: 1 },
      { customerId: 'c2', cls: 'A', onsite: 1, phone: 0 },
      { customerId: 'c3', cls: 'C', onsite: 1, phone: 0 },
    ]);
  });

  it('keeps action paths in check-in order with the customer type', () => {
    expect(r.paths.map((p) => p.type)).toEqual(['商超', '商超', '商超', '药店']);
    expect(r.paths.map((p) => p.at)).toEqual([T('09:00'), T('10:00'), T('11:00'), T('14:00')]);
    expect(r.paths[0]!.path).toBe('QI门陈沟OCFS');
    expect(r.paths[2]!.path).toBe('LIOS');
  });

  it('is the same document when recomputed (idempotent), whatever order the visits come in', () => {
    const again = buildDailyRollup({ tenantId: 't', repId: 'r', date: '2026-11-10', asOf: r.asOf }, [...visits].reverse(), tasks, 24);
    expect(again).toEqual(r);
  });

  it('places check-out among photos by time', () => {
    const v = visit({ at: '09:00', minutes: 2 });
    expect(actionPath(v)).toBe('QI门陈O沟CFS');
  });
});
