// What an export covers: the period (a month or from/to, in China time) and the reps (one, a team, or all the
// viewer may see). Bad input is refused with pointers before anything is streamed.
import { Types } from 'mongoose';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import { addDays, shanghaiDayStart } from '../lib/time.ts';
import type { AuthState } from '../users/auth.ts';
import type { ExportUser } from './exports.repo.ts';

export interface RangeQuery { month?: string; from?: string; to?: string }
export interface PeopleQuery { repId?: string; managerId?: string }

export interface Period { from: string; to: string; start: Date; end: Date; label: string }

const DAY_MS = 86_400_000;

export function periodOf(q: RangeQuery, maxDays: number): Period {
  let from: string;
  let to: string;
  if (q.month) {
    if (q.from || q.to) throw new AppError('VALIDATION_FAILED', [fieldError('/query/month', 'MONTH_OR_RANGE', '请只给出 month，或只给出 from 和 to', 'Give either month, or from and to')]);
    from = `${q.month}-01`;
    to = addDays(`${addDays(from, 31).slice(0, 7)}-01`, -1);
  } else {
    if (!q.from || !q.to) {
      throw new AppError('VALIDATION_FAILED', [fieldError(q.from ? '/query/to' : '/query/from', 'REQUIRED', '请给出 month，或 from 和 to', 'Give month, or from and to')]);
    }
    ({ from, to } = q as { from: string; to: string });
  }
  const start = shanghaiDayStart(from);
  const end = shanghaiDayStart(addDays(to, 1));
  const days = Math.round((end.getTime() - start.getTime()) / DAY_MS);
  if (days < 1 || days > maxDays) {
    throw new AppError('VALIDATION_FAILED', [fieldError('/query/to', 'BAD_RANGE', `日期范围须在 1 到 ${maxDays} 天之间，且结束不早于开始`, `The range must be 1 to ${maxDays} days, ending on or after its start`)]);
  }
  return { from, to, start, end, label: q.month ?? `${from}_${to}` };
}

/**
 * The reps an export covers, or null for all of the tenant's. `teamOnly`: a manager sees only direct reports (as
 * visits, reviews and plans do); otherwise managers see the tenant, as the KPIs let them.
 */
export function repsOf(viewer: AuthState, users: readonly ExportUser[], q: PeopleQuery, teamOnly: boolean): Types.ObjectId[] | null {
  let reps: ExportUser[] | null = null;
  if (q.managerId) {
    const manager = users.find((u) => u.id === q.managerId && u.role !== 'rep');
    if (!manager) throw notFound({ zh: '主管', en: 'Manager' }, '/query/managerId');
    reps = users.filter((u) => u.managerId === q.managerId);
  }
  if (teamOnly && viewer.role === 'manager') {
    const own = String(viewer.userId);
    reps = (reps ?? users).filter((u) => u.managerId === own);
  }
  if (q.repId) {
    const rep = (reps ?? users).find((u) => u.id === q.repId && u.role === 'rep');
    if (!rep) throw notFound({ zh: '业务员', en: 'Rep' }, '/query/repId');
    reps = [rep];
  }
  return reps ? reps.map((u) => new Types.ObjectId(u.id)) : null;
}

/** The name of a rep's team: their manager's name. */
export function teamNames(users: readonly ExportUser[]): (repManagerId: string | null) => string {
  const names = new Map(users.map((u) => [u.id, u.name]));
  return (managerId) => (managerId ? names.get(managerId) ?? '' : '');
}

/** `attachment` with an ASCII fallback and the Chinese name (RFC 6266 / 5987). */
export function attachmentHeader(name: string, asciiName: string): string {
  return `attachment; filename="${asciiName}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
