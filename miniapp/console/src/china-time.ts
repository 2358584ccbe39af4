// Dates as a manager in China means them: today, this month and last month in Asia/Shanghai, whatever zone the
// browser runs in (a laptop set to UTC would otherwise show last month's plans until 08:00 on the 1st).
const SHANGHAI_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Shifts a calendar date (YYYY-MM-DD) by whole days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Today in Shanghai (YYYY-MM-DD). */
export function shanghaiToday(now = new Date()): string {
  return new Date(now.getTime() + SHANGHAI_MS).toISOString().slice(0, 10);
}

/** This month in Shanghai (YYYY-MM). */
export function shanghaiMonth(now = new Date()): string {
  return shanghaiToday(now).slice(0, 7);
}

/** The first and last day of the month before this one in Shanghai. */
export function lastMonthRange(now = new Date()): [string, string] {
  const last = addDays(`${shanghaiMonth(now)}-01`, -1);
  return [`${last.slice(0, 7)}-01`, last];
}
