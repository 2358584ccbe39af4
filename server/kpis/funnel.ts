// The behaviour funnel (行为漏斗): from a start step to an end event through chosen steps between, how many visits
// reach each step, how long they take from the previous one, and where most are lost. Pure and incremental, so
// visits can be streamed through it one at a time.

export const FUNNEL_STEPS = ['started', 'checkedIn', 'photos', 'checkedOut', 'submitted', 'followUpCreated', 'followUpDone', 'green'] as const;
export type FunnelStep = (typeof FUNNEL_STEPS)[number];

export const STEP_NAMES: Record<FunnelStep, { zh: string; en: string }> = {
  started: { zh: '开始拜访', en: 'Visit started' },
  checkedIn: { zh: '签到', en: 'Checked in' },
  photos: { zh: '拍照留痕', en: 'Photos taken' },
  checkedOut: { zh: '签退', en: 'Checked out' },
  submitted: { zh: '提交拜访', en: 'Submitted' },
  followUpCreated: { zh: '创建跟进事项', en: 'Follow-up created' },
  followUpDone: { zh: '完成跟进', en: 'Follow-up done' },
  green: { zh: '绿灯（真实有效）', en: 'Green verdict' },
};

/** When a visit reached each step (absent: not reached). */
export type StepTimes = Partial<Record<FunnelStep, Date>>;

/** The chosen steps in the canonical order, or the problem with the choice. */
export function funnelSteps(start: FunnelStep, end: FunnelStep, between: readonly FunnelStep[]): FunnelStep[] | 'ORDER' {
  const idx = (s: FunnelStep) => FUNNEL_STEPS.indexOf(s);
  if (idx(start) >= idx(end)) return 'ORDER';
  if (between.some((s) => idx(s) <= idx(start) || idx(s) >= idx(end))) return 'ORDER';
  return [start, ...[...new Set(between)].sort((a, b) => idx(a) - idx(b)), end];
}

const median = (xs: number[]): number | null => {
  if (xs.length === 0) return null;
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};

export interface FunnelStepResult {
  step: FunnelStep; name_zh: string; name_en: string;
  /** Visits that reached this step and every chosen step before it. */
  count: number;
  /** count / the previous step's count (1 for the start step; null when the previous count is 0). */
  conversion: number | null;
  /** Share of the start step's visits that got this far. */
  fromStart: number | null;
  /** Median minutes from the previous step, over the visits that reached this one. */
  medianMinutes: number | null;
}

export interface FunnelResult {
  steps: FunnelStepResult[];
  /** end count / start count */
  conversion: number | null;
  /** The step with the lowest conversion from its predecessor (ties: the slower one); null when nothing is lost. */
  bottleneck: { step: FunnelStep; from: FunnelStep; conversion: number; lost: number; medianMinutes: number | null; reason_zh: string; reason_en: string } | null;
}

export function funnelCounter(steps: readonly FunnelStep[]) {
  const counts = steps.map(() => 0);
  const gaps: number[][] = steps.map(() => []);
  return {
    add(times: StepTimes): void {
      let prev: Date | undefined;
      for (let i = 0; i < steps.length; i += 1) {
        const at = times[steps[i]!];
        if (!at) return;
        counts[i]! += 1;
        if (prev) gaps[i]!.push(Math.max(0, (at.getTime() - prev.getTime()) / 60_000));
        prev = at;
      }
    },
    result(): FunnelResult {
      const round = (n: number | null, d = 3) => (n === null ? null : Math.round(n * 10 ** d) / 10 ** d);
      const rows: FunnelStepResult[] = steps.map((step, i) => ({
        step, name_zh: STEP_NAMES[step].zh, name_en: STEP_NAMES[step].en, count: counts[i]!,
        conversion: i === 0 ? (counts[0]! > 0 ? 1 : null) : counts[i - 1]! > 0 ? round(counts[i]! / counts[i - 1]!) : null,
        fromStart: counts[0]! > 0 ? round(counts[i]! / counts[0]!) : null,
        medianMinutes: i === 0 ? null : round(median(gaps[i]!), 1),
      }));
      let worst: FunnelStepResult | undefined;
      let worstIndex = 0;
      rows.forEach((row, i) => {
        if (i === 0 || row.conversion === null || row.conversion >= 1) return;
        if (!worst || row.conversion < (worst.conversion as number)
          || (row.conversion === worst.conversion && (row.medianMinutes ?? 0) > (worst.medianMinutes ?? 0))) { worst = row; worstIndex = i; }
      });
      const from = worst ? rows[worstIndex - 1]! : undefined;
      return {
        steps: rows,
        conversion: counts[0]! > 0 ? round(counts.at(-1)! / counts[0]!) : null,
        bottleneck: worst && from ? {
          step: worst.step, from: from.step, conversion: worst.conversion as number, lost: from.count - worst.count, medianMinutes: worst.medianMinutes,
          reason_zh: `「${from.name_zh}」到「${worst.name_zh}」只转化 ${Math.round((worst.conversion as number) * 100)}%，流失 ${from.count - worst.count} 次`,
          reason_en: `Only ${Math.round((worst.conversion as number) * 100)}% get from "${from.name_en}" to "${worst.name_en}" (${from.count - worst.count} lost)`,
        } : null,
      };
    },
  };
}
