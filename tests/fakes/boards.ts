// Hand-made daily boards (the shape kpis.dailyBoard returns), for rendering and job tests.
import type { BoardEntry, BoardRepStanding, BoardTeam, DailyBoard } from '../../server/kpis/board-types.ts';

export function entry(repName: string, hostUserId: string | null, band: 'red' | 'yellow', opts: { value?: number; more?: number; repId?: string; score?: number } = {}): BoardEntry {
  const value = opts.value ?? (band === 'red' ? 62 : 88);
  const threshold = band === 'red' ? 85 : 95;
  const line = band === 'red' ? '黄灯线' : '绿灯线';
  const breach = { indicator: 'coverageRate' as const, band, value, threshold, unit: '%', name_zh: '客户覆盖率', name_en: 'Customer coverage' };
  const score = opts.score ?? (band === 'red' ? 59.2 : 76.2);
  return {
    repId: opts.repId ?? `rep-${repName}`, repName, hostUserId, light: band, score, grade: band === 'red' ? '不达标' : '一般', grade_en: band === 'red' ? 'Fail' : 'Fair',
    indicator: 'coverageRate', value, threshold,
    reason_zh: `客户覆盖率 ${value}%，低于${line} ${threshold}%`, reason_en: `Customer coverage ${value}%, below the line ${threshold}%`,
    breaches: [breach, ...Array.from({ length: opts.more ?? 0 }, () => ({ ...breach, indicator: 'ahi' as const, name_zh: '动作健康度' }))],
  };
}

/** A green rep (score 92.1 优秀 unless given), or one without data. */
export function standing(repName: string, light: 'green' | 'none' = 'green', score = 92.1): BoardRepStanding {
  return light === 'none'
    ? { repId: `rep-${repName}`, repName, hostUserId: null, light, score: null, grade: null, grade_en: null }
    : { repId: `rep-${repName}`, repName, hostUserId: null, light, score, grade: '优秀', grade_en: 'Excellent' };
}

/** `greens`: that many green reps named 达标1, 达标2, … (or the reps themselves). */
export function team(managerId: string | null, managerName: string, reds: BoardEntry[], yellows: BoardEntry[], greens: number | BoardRepStanding[], managerHostUserId: string | null = null, noData: BoardRepStanding[] = []): BoardTeam {
  const greenReps = typeof greens === 'number' ? Array.from({ length: greens }, (_, i) => standing(`达标${managerName}${i + 1}`)) : greens;
  return { managerId, managerName, managerHostUserId, reds, yellows, greens: greenReps, noData };
}

export function board(date: string, teams: BoardTeam[], tenantName = '某某食品'): DailyBoard {
  return { date, period: { from: `${date.slice(0, 7)}-01`, to: date }, tenant: { id: 't1', name: tenantName }, teams };
}

/** A team of `n` reds with long reasons: big enough to need several parts. */
export function bigTeam(managerId: string, name: string, n: number, prefix = 'r'): BoardTeam {
  return team(managerId, name, Array.from({ length: n }, (_, i) => entry(`业务员${prefix}${i}`, `${prefix}${i}`, 'red', { value: 10 + (i % 50), more: 2 })), [], 3);
}
