// The daily red/yellow/green board (销售动作红绿灯) as `kpis.dailyBoard` returns it and the bots render it.
// Plain data (ids as strings, numbers rounded for display), so jobs/messages can code against it without mongoose.

export type Band = 'green' | 'yellow' | 'red';

/** Indicators the board judges; each has green/yellow thresholds in the scoring template. */
export type BoardIndicator =
  | 'planCompletionRate' | 'coverageRate' | 'frequencyCompliance' | 'avgVisitMinutes' | 'validVisitRate'
  | 'reportTimeliness' | 'followUpOnTime' | 'ahi';

/** One indicator of one rep outside green. */
export interface BoardBreach {
  indicator: BoardIndicator;
  band: Exclude<Band, 'green'>;
  /** The rep's value: a percentage 0–100 for rates (unit '%'), minutes for avgVisitMinutes, 0–100 for ahi. */
  value: number;
  /** The threshold the value failed: `green` for a yellow, `yellow` for a red. */
  threshold: number;
  unit: string;
  name_zh: string;
  name_en: string;
}

/** A rep on the board: once, with their worst indicator as the reason, plus every indicator outside green. */
export interface BoardEntry {
  repId: string;
  repName: string;
  /** WeCom/DingTalk userid for @-mentions; null when the user is not linked to a host account. */
  hostUserId: string | null;
  indicator: BoardIndicator;
  value: number;
  threshold: number;
  /** e.g. "客户覆盖率 62%，低于黄灯线 85%" */
  reason_zh: string;
  /** e.g. "Customer coverage 62%, below the yellow line 85%" */
  reason_en: string;
  /** All breached indicators, worst first (the first one is `indicator`). */
  breaches: BoardBreach[];
}

export interface BoardTeam {
  /** The reps' direct manager; null for reps without a manager (one "unassigned" team). */
  managerId: string | null;
  managerName: string;
  managerHostUserId: string | null;
  /** Worst first: most severe shortfall relative to its threshold, then by name. */
  reds: BoardEntry[];
  yellows: BoardEntry[];
  /** Reps with every judged indicator green (or without data). */
  greens: number;
}

export interface DailyBoard {
  /** The board day (YYYY-MM-DD, Asia/Shanghai). */
  date: string;
  /** Month-to-date window the indicators cover: first day of `date`'s month through `date`, inclusive. */
  period: { from: string; to: string };
  tenant: { id: string; name: string };
  /** Teams with at least one red first, then by manager name. */
  teams: BoardTeam[];
}

export interface DailyBoardOptions {
  /** Only this manager's team. */
  managerId?: string;
}
