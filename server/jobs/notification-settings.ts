// A tenant's notification settings: when each job runs and where messages go. Stored on the tenant (robot ids only:
// webhooks and secrets live in config); every read is merged over the defaults, so a tenant that never saved
// settings gets the standard schedule. Pure.
import type { HostName } from '../hosts/common/host-http.ts';
import { parseTime, type Spec } from './schedule.ts';

export const SCHEDULED_JOBS = [
  'dailyBoard', 'eveningReminder', 'followUpReminder', 'planReminder', 'reportReminder', 'weeklySummary', 'callbackSample', 'visitCards',
] as const;
export type JobName = (typeof SCHEDULED_JOBS)[number];

interface Timed { enabled: boolean; time: string }

export interface ScheduleSettings {
  /** The red/yellow/green board to the team chats. */
  dailyBoard: Timed;
  /** To reps with visits of the day not yet submitted. */
  eveningReminder: Timed;
  /** To reps with follow-ups overdue, due today or tomorrow. */
  followUpReminder: Timed;
  /** To reps whose next month's plan is not submitted in the `daysBefore` days up to `draftDueDay`; to managers with plans waiting. */
  planReminder: Timed & { draftDueDay: number; daysBefore: number };
  /** Checked every hour at `minute`: a visit not submitted `hoursLeft` hours before its 24-hour deadline. */
  reportReminder: { enabled: boolean; minute: number; hoursLeft: number };
  /** To managers, on `weekday` (1 = Monday) about the week before. */
  weeklySummary: Timed & { weekday: number };
  /** To managers: yesterday's call-back sample (`perRep` visits per rep). */
  callbackSample: Timed & { perRep: number };
  /** Safety net for the summary card a submit sends at once: every 10 minutes, cards of recent submits not yet written. */
  visitCards: { enabled: boolean };
}

export interface TeamChannel { managerId: string; robotIds: string[] }

export interface ChannelSettings {
  /** Host for messages to people; null: the tenant's host. */
  personalHost: HostName | null;
  /** A team's board goes to its robots; teams without any (and reps without a manager) go to `defaultRobotIds`. */
  teams: TeamChannel[];
  defaultRobotIds: string[];
}

export interface NotificationSettings { schedule: ScheduleSettings; channels: ChannelSettings }

export const DEFAULT_SETTINGS: NotificationSettings = {
  schedule: {
    dailyBoard: { enabled: true, time: '08:30' },
    eveningReminder: { enabled: true, time: '18:30' },
    followUpReminder: { enabled: true, time: '09:00' },
    planReminder: { enabled: true, time: '10:00', draftDueDay: 25, daysBefore: 3 },
    reportReminder: { enabled: true, minute: 0, hoursLeft: 4 },
    weeklySummary: { enabled: true, time: '09:00', weekday: 1 },
    callbackSample: { enabled: true, time: '09:30', perRep: 2 },
    visitCards: { enabled: true },
  },
  channels: { personalHost: null, teams: [], defaultRobotIds: [] },
};

/** How long after its time a missed run is still worth doing (a start-up after an outage catches up within it). */
export const CATCH_UP_MS: Record<JobName, number> = {
  dailyBoard: 4 * 3_600_000,
  eveningReminder: 2 * 3_600_000,
  followUpReminder: 3 * 3_600_000,
  planReminder: 3 * 3_600_000,
  reportReminder: 50 * 60_000,
  weeklySummary: 24 * 3_600_000,
  callbackSample: 3 * 3_600_000,
  visitCards: 10 * 60_000,
};

const isObject = (v: unknown): v is Record<string, unknown> => Boolean(v) && typeof v === 'object' && !Array.isArray(v);

function merge<T>(base: T, over: unknown): T {
  // An object is only ever replaced key by key; a leaf (time, flag, list, personalHost) takes any given value, null included.
  if (isObject(base)) {
    if (!isObject(over)) return base;
  } else {
    return (over === undefined ? base : over) as T;
  }
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(over)) if (k in out) out[k] = merge(out[k], v);
  return out as T;
}

/** Stored (or requested) settings over the defaults; unknown keys are dropped. */
export function effectiveSettings(stored: unknown, base: NotificationSettings = DEFAULT_SETTINGS): NotificationSettings {
  const merged = merge(structuredClone(base), stored);
  return {
    schedule: merged.schedule,
    channels: {
      personalHost: merged.channels.personalHost ?? null,
      teams: (merged.channels.teams ?? []).map((t) => ({ managerId: String(t.managerId), robotIds: [...(t.robotIds ?? [])] })),
      defaultRobotIds: [...(merged.channels.defaultRobotIds ?? [])],
    },
  };
}

export function specOf(job: JobName, s: ScheduleSettings): Spec {
  switch (job) {
    case 'reportReminder': return { kind: 'hourly', minute: s.reportReminder.minute };
    case 'weeklySummary': return { kind: 'weekly', weekday: s.weeklySummary.weekday, ...parseTime(s.weeklySummary.time) };
    case 'visitCards': return { kind: 'every', minutes: 10 };
    default: return { kind: 'daily', ...parseTime(s[job].time) };
  }
}

/** The robots a team's board goes to. */
export function robotsForTeam(channels: ChannelSettings, managerId: string | null): string[] {
  const own = managerId ? channels.teams.find((t) => t.managerId === managerId)?.robotIds ?? [] : [];
  return own.length > 0 ? own : channels.defaultRobotIds;
}
