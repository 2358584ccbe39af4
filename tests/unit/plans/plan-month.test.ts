import { describe, expect, it } from 'vitest';
import { addMonths, daysInMonth, isDayOf, monthsBetween, quarterMonths, quarterRange } from '../../../server/plans/plan-month.ts';

describe('plan months', () => {
  it('moves across years and knows month lengths and real days', () => {
    expect(addMonths('2026-11', 2)).toBe('2027-01');
    expect(addMonths('2026-01', -1)).toBe('2025-12');
    expect(daysInMonth('2028-02')).toBe(29);
    expect(isDayOf('2026-02', '2026-02-28')).toBe(true);
    expect(isDayOf('2026-02', '2026-02-29')).toBe(false);
    expect(isDayOf('2026-02', '2026-03-01')).toBe(false);
    expect(isDayOf('2026-02', '2026-02-00')).toBe(false);
  });

  it('finds the quarter in China time and the months a range touches', () => {
    expect(quarterMonths('2026-11')).toEqual(['2026-10', '2026-11', '2026-12']);
    expect(quarterMonths('2026-01')).toEqual(['2026-01', '2026-02', '2026-03']);
    const q = quarterRange('2026-12');
    expect(q.start.toISOString()).toBe('2026-09-30T16:00:00.000Z');
    expect(q.end.toISOString()).toBe('2026-12-31T16:00:00.000Z');
    expect(monthsBetween('2026-11-20', '2027-01-05')).toEqual(['2026-11', '2026-12', '2027-01']);
    expect(monthsBetween('2026-11-20', '2026-11-20')).toEqual(['2026-11']);
  });
});
