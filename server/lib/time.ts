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
