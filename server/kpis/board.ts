// The red/yellow/green board from each rep's indicator values: per team (a manager's direct reports) the reds, worst
// first, then the yellows, then a count of greens. Pure.
import type { BoardBreach, BoardEntry, BoardIndicator, BoardTeam, DailyBoard } from './board-types.ts';
import type { IndicatorValues } from './indicators.ts';
import { bandOf, type KpiScoringConfig } from './scorecard.ts';

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

function reason(b: BoardBreach, direction: 'higher' | 'lower'): { zh: string; en: string } {
  const line = b.band === 'red' ? { zh: '黄灯线', en: 'yellow line' } : { zh: '绿灯线', en: 'green line' };
  const unitEn = b.unit === '分钟' ? 'min' : b.unit === '种' ? 'kinds' : b.unit;
  return direction === 'higher'
    ? { zh: `${b.name_zh} ${show(b.value, b.unit)}，低于${line.zh} ${show(b.threshold, b.unit)}`, en: `${b.name_en} ${show(b.value, unitEn)}, below the ${line.en} ${show(b.threshold, unitEn)}` }
    : { zh: `${b.name_zh} ${show(b.value, b.unit)}，高于${line.zh} ${show(b.threshold, b.unit)}`, en: `${b.name_en} ${show(b.value, unitEn)}, above the ${line.en} ${show(b.threshold, unitEn)}` };
}

export function boardEntry(rep: BoardRep, breaches: BoardBreach[], config: KpiScoringConfig): BoardEntry | null {
  const worst = breaches[0];
  if (!worst) return null;
  const text = reason(worst, config.indicators[worst.indicator]?.direction ?? 'higher');
  return {
    repId: rep.id, repName: rep.name, hostUserId: rep.hostUserId, indicator: worst.indicator, value: worst.value,
    threshold: worst.threshold, reason_zh: text.zh, reason_en: text.en, breaches,
  };
}

export function buildBoard(
  head: Pick<DailyBoard, 'date' | 'period' | 'tenant'>,
  reps: readonly BoardRep[], managers: ReadonlyMap<string, BoardManager>,
  valuesOf: (repId: string) => IndicatorValues, config: KpiScoringConfig,
): DailyBoard {
  const teams = new Map<string, BoardTeam & { severity: Map<string, number> }>();
  for (const rep of reps) {
    const key = rep.managerId ?? '';
    let team = teams.get(key);
    if (!team) {
      const m = rep.managerId ? managers.get(rep.managerId) : undefined;
      team = { managerId: rep.managerId, managerName: m?.name ?? '', managerHostUserId: m?.hostUserId ?? null, reds: [], yellows: [], greens: 0, severity: new Map() };
      teams.set(key, team);
    }
    const breaches = breachesOf(valuesOf(rep.id), config);
    const entry = boardEntry(rep, breaches, config);
    if (!entry) { team.greens += 1; continue; }
    team.severity.set(rep.id, shortfall(breaches[0]!, config.indicators[entry.indicator]?.direction ?? 'higher'));
    (breaches[0]!.band === 'red' ? team.reds : team.yellows).push(entry);
  }
  const out: BoardTeam[] = [...teams.values()].map(({ severity, ...team }) => {
    const worstFirst = (a: BoardEntry, b: BoardEntry) => (severity.get(b.repId)! - severity.get(a.repId)!) || a.repName.localeCompare(b.repName, 'zh-CN');
    return { ...team, reds: team.reds.sort(worstFirst), yellows: team.yellows.sort(worstFirst) };
  });
  // Teams that need action first; the team without a manager last among equals.
  out.sort((a, b) => Number(b.reds.length > 0) - Number(a.reds.length > 0)
    || Number(a.managerId === null) - Number(b.managerId === null)
    || a.managerName.localeCompare(b.managerName, 'zh-CN'));
  return { ...head, teams: out };
}
