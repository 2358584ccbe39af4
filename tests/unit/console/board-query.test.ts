// The dashboard's request as the console computes it for a URL, both in the page and before the page loads (the
// prefetch must ask exactly what the page will ask, or it is wasted).
import { describe, expect, it } from 'vitest';
import { boardHashQuery, boardQuery, kpisPath } from '../../../miniapp/console/src/board/board-query.ts';

const manager = { id: 'm1', role: 'manager' };
const admin = { id: 'a1', role: 'admin' };

describe('board request', () => {
  it('opens a manager on their own team and an admin on all teams, month to date', () => {
    expect(kpisPath(boardQuery({ date: '2026-11-20' }, manager))).toBe('/kpis?scope=team&id=m1&from=2026-11-01&to=2026-11-20');
    expect(kpisPath(boardQuery({ date: '2026-11-20' }, admin))).toBe('/kpis?scope=tenant&from=2026-11-01&to=2026-11-20');
  });

  it('follows a bot link to a team and day, and a week to date from Monday', () => {
    expect(kpisPath(boardQuery({ team: 't9', date: '2026-11-20', period: 'day' }, admin))).toBe('/kpis?scope=team&id=t9&from=2026-11-20&to=2026-11-20');
    expect(boardQuery({ date: '2026-11-20', period: 'week' }, manager).range).toEqual({ from: '2026-11-16', to: '2026-11-20' });
  });

  it('ignores a malformed date and an unknown period', () => {
    const q = boardQuery({ date: '20/11/2026', period: 'year' }, manager);
    expect(q.period).toBe('month');
    expect(q.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
  });

  it('recognises the hashes that open the board, and only those', () => {
    expect(boardHashQuery('')).toEqual({});
    expect(boardHashQuery('#/')).toEqual({});
    expect(boardHashQuery('#/board?team=t9&date=2026-11-20')).toEqual({ team: 't9', date: '2026-11-20' });
    expect(boardHashQuery('#/visits/abc')).toBeNull();
    expect(boardHashQuery('#/boardroom')).toBeNull();
    expect(boardHashQuery('#/login?next=%2Fboard')).toBeNull();
  });
});
