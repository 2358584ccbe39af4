// The console's dates are China's whatever the browser's zone: the first hours of a month in Shanghai are still the
// last day of the previous month in UTC (and in the browsers of staff abroad), which used to open the old month.
import { describe, expect, it } from 'vitest';
import { lastMonthRange, shanghaiMonth, shanghaiToday } from '../../../miniapp/console/src/china-time.ts';

describe('console dates in China time', () => {
  const earlyOnTheFirst = new Date('2026-11-30T17:30:00Z'); // 01:30 on 1 December in Shanghai

  it('names the Shanghai day and month, not the browser\'s', () => {
    expect(shanghaiToday(earlyOnTheFirst)).toBe('2026-12-01');
    expect(shanghaiMonth(earlyOnTheFirst)).toBe('2026-12');
    expect(shanghaiMonth(new Date('2026-12-31T15:59:59Z'))).toBe('2026-12');
    expect(shanghaiMonth(new Date('2026-12-31T16:00:00Z'))).toBe('2027-01');
  });

  it('last month is the whole previous Shanghai month, across a year and a February', () => {
    expect(lastMonthRange(earlyOnTheFirst)).toEqual(['2026-11-01', '2026-11-30']);
    expect(lastMonthRange(new Date('2027-01-01T00:30:00Z'))).toEqual(['2026-12-01', '2026-12-31']);
    expect(lastMonthRange(new Date('2028-03-10T04:00:00Z'))).toEqual(['2028-02-01', '2028-02-29']);
  });
});
