// Hand-made daily boards (the shape kpis.dailyBoard returns), for rendering and job tests.
import type { BoardEntry, BoardTeam, DailyBoard } from '../../server/kpis/board-types.ts';

export function entry(repName: string, hostUserId: string | null, band: 'red' | 'yellow', opts: { value?: number; more?: number; repId?: string } = {}): BoardEntry {
  const value = opts.value ?? (band === 'red' ? 62 : 88);
  const threshold = band === 'red' ? 85 : 95;
  const line = band === 'red' ? '黄灯线' : '绿灯线';
  const breach = { indicator: 'coverageRate' as const, band, value, threshold, unit: '%', name_zh: '客户覆盖率', name_en: 'Customer coverage' };
  return {
    repId: opts.repId ?? `rep-${repName}`, repName, hostUserId, indicator: 'coverageRate', value, threshold,
    reason_zh: `客户覆盖率 ${value}%，低于${line} ${threshold}%`, reason_en: `Customer coverage ${value}%, below the line ${threshold}%`,
    breaches: [breach, ...Array.from({ length: opts.more ?? 0 }, () => ({ ...breach, indicator: 'ahi' as const, name_zh: '动作健康度' }))],
  };
}

export function team(managerId: string | null, managerName: string, reds: BoardEntry[], yellows: BoardEntry[], greens: number, managerHostUserId: string | null = null): BoardTeam {
  return { managerId, managerName, managerHostUserId, reds, yellows, greens };
}

export function board(date: string, teams: BoardTeam[], tenantName = '某某食品'): DailyBoard {
  return { date, period: { from: `${date.slice(0, 7)}-01`, to: date }, tenant: { id: 't1', name: tenantName }, teams };
}

/** A team of `n` reds with long reasons: big enough to need several parts. */
export function bigTeam(managerId: string, name: string, n: number, prefix = 'r'): BoardTeam {
  return team(managerId, name, Array.from({ length: n }, (_, i) => entry(`业务员${prefix}${i}`, `${prefix}${i}`, 'red', { value: 10 + (i % 50), more: 2 })), [], 3);
}
