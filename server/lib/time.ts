// Business dates are in China time (Asia/Shanghai, UTC+8, no daylight saving).
const OFFSET_MS = 8 * 3_600_000;

/** YYYY-MM-DD of an instant in Asia/Shanghai. */
export function shanghaiDate(d: Date): string {
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 10);
}

/** YYYY-MM-DD HH:mm of an instant in Asia/Shanghai (for watermarks and messages). */
export function shanghaiMinute(d: Date): string {
  return new Date(d.getTime() + OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}

/** YYYY-MM (Asia/Shanghai) of an instant. */
export function shanghaiMonth(d: Date): string {
  return shanghaiDate(d).slice(0, 7);
}

/** The instants [start, end) of the Asia/Shanghai calendar month that contains `d`. */
export function shanghaiMonthRange(d: Date): { start: Date; end: Date } {
  const local = new Date(d.getTime() + OFFSET_MS);
  const start = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), 1) - OFFSET_MS;
  const end = Date.UTC(local.getUTCFullYear(), local.getUTCMonth() + 1, 1) - OFFSET_MS;
  return { start: new Date(start), end: new Date(end) };
}

/** The instant an Asia/Shanghai calendar day (YYYY-MM-DD) begins. */
export function shanghaiDayStart(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00+08:00`));
}

/** A YYYY-MM-DD date moved by `days` calendar days. */
export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
