// Job times in China time: the cron expression node-cron gets, the latest occurrence a catch-up looks for (across
// midnight, week and hour boundaries in UTC+8), and the period key that keeps a run single.
import { describe, expect, it } from 'vitest';
import { cronOf, lastOccurrence, parseTime, periodOf, type Spec } from '../../../server/jobs/schedule.ts';
import { shanghai } from '../../fakes/fake-clock.ts';

const daily: Spec = { kind: 'daily', hour: 8, minute: 30 };

describe('schedule', () => {
  it('writes cron expressions for node-cron (weekday 7 = Sunday = 0)', () => {
    expect(cronOf(daily)).toBe('30 8 * * *');
    expect(cronOf({ kind: 'weekly', weekday: 1, hour: 9, minute: 0 })).toBe('0 9 * * 1');
    expect(cronOf({ kind: 'weekly', weekday: 7, hour: 9, minute: 0 })).toBe('0 9 * * 0');
    expect(cronOf({ kind: 'hourly', minute: 5 })).toBe('5 * * * *');
    expect(cronOf({ kind: 'every', minutes: 10 })).toBe('*/10 * * * *');
  });

  it('finds the latest daily occurrence in China time, even when UTC is still on the day before', () => {
    // 08:30 in Shanghai is 00:30 UTC: at 08:31 local the occurrence is today's, at 08:29 it is yesterday's.
    expect(lastOccurrence(daily, shanghai('2026-03-12 08:31'))).toEqual(shanghai('2026-03-12 08:30'));
    expect(lastOccurrence(daily, shanghai('2026-03-12 08:30'))).toEqual(shanghai('2026-03-12 08:30'));
    expect(lastOccurrence(daily, shanghai('2026-03-12 08:29'))).toEqual(shanghai('2026-03-11 08:30'));
    expect(lastOccurrence({ kind: 'daily', hour: 23, minute: 50 }, shanghai('2026-03-12 07:00'))).toEqual(shanghai('2026-03-11 23:50'));
    expect(periodOf(daily, shanghai('2026-03-12 08:30'))).toBe('2026-03-12');
  });

  it('finds weekly occurrences (2026-03-09 is a Monday) and keys them by the week', () => {
    const monday9: Spec = { kind: 'weekly', weekday: 1, hour: 9, minute: 0 };
    expect(lastOccurrence(monday9, shanghai('2026-03-12 10:00'))).toEqual(shanghai('2026-03-09 09:00'));
    expect(lastOccurrence(monday9, shanghai('2026-03-09 08:59'))).toEqual(shanghai('2026-03-02 09:00'));
    expect(lastOccurrence({ kind: 'weekly', weekday: 7, hour: 20, minute: 0 }, shanghai('2026-03-09 08:00'))).toEqual(shanghai('2026-03-08 20:00'));
    expect(periodOf(monday9, shanghai('2026-03-09 09:00'))).toBe('week-2026-03-09');
    // Moved to Wednesday in the same week: same period, so the week's summary is not sent twice.
    expect(periodOf({ kind: 'weekly', weekday: 3, hour: 9, minute: 0 }, shanghai('2026-03-11 09:00'))).toBe('week-2026-03-09');
  });

  it('finds hourly and every-n-minutes occurrences', () => {
    expect(lastOccurrence({ kind: 'hourly', minute: 5 }, shanghai('2026-03-12 10:04'))).toEqual(shanghai('2026-03-12 09:05'));
    expect(periodOf({ kind: 'hourly', minute: 5 }, shanghai('2026-03-12 09:05'))).toBe('2026-03-12T09');
    expect(lastOccurrence({ kind: 'every', minutes: 10 }, shanghai('2026-03-12 10:04'))).toEqual(shanghai('2026-03-12 10:00'));
    expect(periodOf({ kind: 'every', minutes: 10 }, shanghai('2026-03-12 10:00'))).toBe('2026-03-12T10:00');
  });

  it('refuses times that are not HH:mm', () => {
    expect(parseTime('08:30')).toEqual({ hour: 8, minute: 30 });
    expect(() => parseTime('8:30')).toThrow();
    expect(() => parseTime('24:00')).toThrow();
  });
});
