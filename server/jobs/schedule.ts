// When a job runs, in China time (Asia/Shanghai: UTC+8 all year, no daylight saving). Pure: the cron expression
// node-cron fires, the latest occurrence at or before an instant (what a start-up catch-up looks for), and the
// period key that makes a run of that occurrence unique.

export type Spec =
  | { kind: 'daily'; hour: number; minute: number }
  | { kind: 'weekly'; weekday: number; hour: number; minute: number }
  | { kind: 'hourly'; minute: number }
  | { kind: 'every'; minutes: number };

export const TIMEZONE = 'Asia/Shanghai';
const OFFSET_MS = 8 * 3_600_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "08:30" → { hour: 8, minute: 30 }. */
export function parseTime(hhmm: string): { hour: number; minute: number } {
  const m = /^([01]\d|2[0-3]):([0-5]\d)$/.exec(hhmm);
  if (!m) throw new Error(`not a HH:mm time: ${hhmm}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** node-cron expression (minute hour day month weekday), to be scheduled with timezone Asia/Shanghai. */
export function cronOf(spec: Spec): string {
  switch (spec.kind) {
    case 'daily': return `${spec.minute} ${spec.hour} * * *`;
    // cron counts Sunday as 0; our weekday is ISO (Monday 1 … Sunday 7).
    case 'weekly': return `${spec.minute} ${spec.hour} * * ${spec.weekday % 7}`;
    case 'hourly': return `${spec.minute} * * * *`;
    case 'every': return `*/${spec.minutes} * * * *`;
  }
}

/** The latest instant ≤ now at which the spec fires. */
export function lastOccurrence(spec: Spec, now: Date): Date {
  const local = now.getTime() + OFFSET_MS; // "local" ms: UTC fields read as Shanghai wall time
  const dayStart = Math.floor(local / DAY) * DAY;
  let at: number;
  switch (spec.kind) {
    case 'daily':
      at = dayStart + spec.hour * HOUR + spec.minute * MINUTE;
      if (at > local) at -= DAY;
      break;
    case 'weekly': {
      const isoWeekday = ((new Date(dayStart).getUTCDay() + 6) % 7) + 1;
      at = dayStart - ((isoWeekday - spec.weekday + 7) % 7) * DAY + spec.hour * HOUR + spec.minute * MINUTE;
      if (at > local) at -= 7 * DAY;
      break;
    }
    case 'hourly':
      at = Math.floor(local / HOUR) * HOUR + spec.minute * MINUTE;
      if (at > local) at -= HOUR;
      break;
    case 'every':
      at = Math.floor(local / (spec.minutes * MINUTE)) * spec.minutes * MINUTE;
      break;
  }
  return new Date(at - OFFSET_MS);
}

/**
 * The key of the period an occurrence belongs to: a day (YYYY-MM-DD), a week (week-<its Monday>), an hour
 * (YYYY-MM-DDTHH), a slot (YYYY-MM-DDTHH:mm). Moving a job's time (or weekday) within its period does not run it twice.
 */
export function periodOf(spec: Spec, occurrence: Date): string {
  const local = occurrence.getTime() + OFFSET_MS;
  const iso = new Date(local).toISOString();
  switch (spec.kind) {
    case 'daily': return iso.slice(0, 10);
    case 'weekly': {
      const dayStart = Math.floor(local / DAY) * DAY;
      const monday = dayStart - ((new Date(dayStart).getUTCDay() + 6) % 7) * DAY;
      return `week-${new Date(monday).toISOString().slice(0, 10)}`;
    }
    case 'hourly': return iso.slice(0, 13);
    case 'every': return iso.slice(0, 16);
  }
}
