// Calendar arithmetic on 'YYYY-MM-DD' strings and the wire formats of datetime answers.
// Dates are computed in UTC so the device's time zone never shifts a day.

const DAY_MS = 86_400_000;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Visit dates are Asia/Shanghai days, and the server's `date-time`/`time` formats require an offset,
 * so wall-clock times picked in the app are written with China's fixed offset.
 */
export const WALL_CLOCK_OFFSET = '+08:00';

/** Today's date in China (the visit date when the caller has none, e.g. a console preview). */
export function todayInChina(now: number = Date.now()): string {
  return new Date(now + 8 * 3_600_000).toISOString().slice(0, 10);
}

export function isDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const m = DATE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

export function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

/** ['2026', '11', '20'] — the column values of Vant's DatePicker. */
export function dateParts(date: string): string[] {
  return date.split('-');
}

export function joinDateParts(parts: readonly string[]): string {
  const [y = '', m = '', d = ''] = parts;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}

/** Local-midnight Date for a calendar day (what Vant's min/max date props expect). */
export function localDate(date: string): Date {
  const [y, m, d] = date.split('-').map(Number);
  return new Date(y ?? 1970, (m ?? 1) - 1, d ?? 1);
}

/** 'HH:mm' + date → '2026-11-20T10:30:00+08:00' (format date-time). */
export function toDateTimeValue(date: string, hhmm: string): string {
  return `${date}T${hhmm}:00${WALL_CLOCK_OFFSET}`;
}

/** 'HH:mm' → '10:30:00+08:00' (format time). */
export function toTimeValue(hhmm: string): string {
  return `${hhmm}:00${WALL_CLOCK_OFFSET}`;
}

/** The wall-clock parts as written, for display and for seeding pickers. */
export function splitDateTime(value: unknown): { date?: string; time?: string } {
  if (typeof value !== 'string') return {};
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}))?/.exec(value);
  if (m) return { date: m[1], time: m[2] };
  const t = /^(\d{2}:\d{2})/.exec(value);
  return t ? { time: t[1] } : {};
}
