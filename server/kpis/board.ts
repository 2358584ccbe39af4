// The red/yellow/green board from each rep's standing (standing.ts): per team (a manager's direct reports) the reds,
// worst first, then the yellows, then the greens and the reps without data. Also what a standing is judged by: the
// board's indicators, their breaches and the reason in words. Pure.
import type { BoardBreach, BoardEntry, BoardIndicator, BoardRepStanding, BoardTeam, DailyBoard } from './board-types.ts';
import type { IndicatorValues } from './indicators.ts';
import { bandOf, type KpiScoringConfig } from './scorecard.ts';
import type { RepStanding } from './standing.ts';

/** The indicators the board judges, in the order a tie is broken. */
export const BOARD_INDICATORS: readonly BoardIndicator[] = [
  'coverageRate', 'frequencyCompliance', 'planCompletionRate', 'validVisitRate', 'reportTimeliness', 'followUpOnTime',
  'avgVisitMinutes', 'ahi',
];

export interface BoardRep { id: string; name: string; hostUserId: string | null; managerId: string | null }
export interface BoardManager { id: string; name: string; hostUserId: string | null }

/** How far past its threshold a value is, relative to the threshold (0.2 = 20 % short). */
function shortfall(b: BoardBreach, direction: 'higher' | 'lower'): number {
  const scale = Math.max(Math.abs(b.threshold), 1e-9);
  return direction === 'higher' ? (b.threshold - b.value) / scale : (b.value - b.threshold) / scale;
}

export function breachesOf(values: IndicatorValues, config: KpiScoringConfig): BoardBreach[] {
  const out: { breach: BoardBreach; severity: number; order: number }[] = [];
  BOARD_INDICATORS.forEach((key, order) => {
    const value = values[key];
    const spec = config.indicators[key];
    if (value === null || !spec) return;
    const band = bandOf(value, spec);
    if (band === 'green') return;
    const breach: BoardBreach = {
      indicator: key, band, value, threshold: band === 'red' ? spec.yellow : spec.green,
      unit: spec.unit ?? '', name_zh: spec.name, name_en: spec.name_en ?? key,
    };
    out.push({ breach, severity: shortfall(breach, spec.direction), order });
  });
  // Reds before yellows; within a colour the biggest shortfall first.
  out.sort((a, b) => (a.breach.band === b.breach.band ? 0 : a.breach.band === 'red' ? -1 : 1) || b.severity - a.severity || a.order - b.order);
  return out.map((x) => x.breach);
}

const show = (n: number, unit: string) => `${Math.round(n * 10) / 10}${unit === '%' ? '%' : unit ? ` ${unit}` : ''}`;

const directionOf = (b: BoardBreach, config: KpiScoringConfig) => config.indicators[b.indicator]?.direction ?? 'higher';

/** The reason a breach gives, in Chinese and English. */
export function reasonOf(b: BoardBreach, config: KpiScoringConfig): { zh: string; en: string } {
  const direction = directionOf(b, config);
  const line = b.band === 'red' ? { zh: '黄灯线', en: 'yellow line' } : { zh: '绿灯线', en: 'green line' };
  const unitEn = b.unit === '分钟' ? 'min' : b.unit === '种' ? 'kinds' : b.unit;
  return direction === 'higher'
    ? { zh: `${b.name_zh} ${show(b.value, b.unit)}，低于${line.zh} ${show(b.threshold, b.unit)}`, en: `${b.name_en} ${show(b.value, unitEn)}, below the ${line.en} ${show(b.threshold, unitEn)}` }
    : { zh: `${b.name_zh} ${show(b.value, b.unit)}，高于${line.zh} ${show(b.threshold, b.unit)}`, en: `${b.name_en} ${show(b.value, unitEn)}, above the ${line.en} ${show(b.threshold, unitEn)}` };
}

function standingView(rep: BoardRep, s: RepStanding): BoardRepStanding {
  return { repId: rep.id, repName: rep.name, hostUserId: rep.hostUserId, light: s.light, score: s.score, grade: s.grade, grade_en: s.grade_en };
}

function boardEntry(rep: BoardRep, s: RepStanding): BoardEntry {
  const worst = s.breaches[0]!;
  return {
    ...standingView(rep, s), light: worst.band, indicator: worst.indicator, value: worst.value, threshold: worst.threshold,
    reason_zh: s.reason_zh ?? '', reason_en: s.reason_en ?? '', breaches: s.breaches,
  };
}

export function buildBoard(
  head: Pick<DailyBoard, 'date' | 'period' | 'tenant'>,
  reps: readonly BoardRep[], managers: ReadonlyMap<string, BoardManager>,
  standingOf: (repId: string) => RepStanding, config: KpiScoringConfig,
): DailyBoard {
  const teams = new Map<string, BoardTeam & { severity: Map<string, number> }>();
  for (const rep of reps) {
    const key = rep.managerId ?? '';
    let team = teams.get(key);
    if (!team) {
      const m = rep.managerId ? managers.get(rep.managerId) : undefined;
      team = { managerId: rep.managerId, managerName: m?.name ?? '', managerHostUserId: m?.hostUserId ?? null, reds: [], yellows: [], greens: [], noData: [], severity: new Map() };
      teams.set(key, team);
    }
    const s = standingOf(rep.id);
    if (s.light === 'none') { team.noData.push(standingView(rep, s)); continue; }
    if (s.light === 'green') { team.greens.push(standingView(rep, s)); continue; }
    const entry = boardEntry(rep, s);
    team.severity.set(rep.id, shortfall(s.breaches[0]!, directionOf(s.breaches[0]!, config)));
    (entry.light === 'red' ? team.reds : team.yellows).push(entry);
  }
  const byName = (a: BoardRepStanding, b: BoardRepStanding) => a.repName.localeCompare(b.repName, 'zh-CN');
  const out: BoardTeam[] = [...teams.values()].map(({ severity, ...team }) => {
    const worstFirst = (a: BoardEntry, b: BoardEntry) => (severity.get(b.repId)! - severity.get(a.repId)!) || byName(a, b);
    return {
      ...team, reds: team.reds.sort(worstFirst), yellows: team.yellows.sort(worstFirst),
      greens: team.greens.sort((a, b) => (b.score ?? -1) - (a.score ?? -1) || byName(a, b)), noData: team.noData.sort(byName),
    };
  });
  // Teams that need action first; the team without a manager last among equals.
  out.sort((a, b) => Number(b.reds.length > 0) - Number(a.reds.length > 0)
    || Number(a.managerId === null) - Number(b.managerId === null)
    || a.managerName.localeCompare(b.managerName, 'zh-CN'));
  return { ...head, teams: out };
}
