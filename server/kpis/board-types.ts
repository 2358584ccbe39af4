// The daily red/yellow/green board (销售动作红绿灯) as `kpis.dailyBoard` returns it and the bots render it.
// Plain data (ids as strings, numbers rounded for display), so jobs/messages can code against it without mongoose.

export type Band = 'green' | 'yellow' | 'red';

/** A rep's light over a period: the worst judged indicator's band, or 'none' (暂无数据) without data in the period. */
export type Light = Band | 'none';

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

/**
 * Every rep on the board: the period score, grade and light, exactly as GET /api/kpis and the rep-scores export give
 * them (kpis/standing.ts computes all three).
 */
export interface BoardRepStanding {
  repId: string;
  repName: string;
  /** WeCom/DingTalk userid for @-mentions; null when the user is not linked to a host account. */
  hostUserId: string | null;
  light: Light;
  /** 0–100, one decimal; null without data. */
  score: number | null;
  grade: string | null;
  grade_en: string | null;
}

/** A red or yellow rep: once, with their worst indicator as the reason, plus every indicator outside green. */
export interface BoardEntry extends BoardRepStanding {
  light: Exclude<Band, 'green'>;
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
  /** Reps with every judged indicator green, best score first. */
  greens: BoardRepStanding[];
  /** Reps without data in the period (no submitted visit, no follow-up due): grey, 暂无数据, by name. */
  noData: BoardRepStanding[];
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
