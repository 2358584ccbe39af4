// Names of the tenant's people for the review screens (visits carry rep ids), loaded once per page view.
import { api } from '../api.ts';
import { session } from '../session.ts';
import type { UserRow } from '../types/visits.ts';

export async function loadPeople(): Promise<Map<string, UserRow>> {
  const { items } = await api<{ items: UserRow[] }>('/users');
  return new Map(items.map((u) => [u.id, u]));
}

/** The reps a reviewer picks from: a manager's direct reports, or every rep for an admin. */
export function reviewableReps(people: Map<string, UserRow>): UserRow[] {
  const me = session.current?.user;
  return [...people.values()]
    .filter((u) => u.role === 'rep' && (me?.role === 'admin' || u.managerId === me?.id))
    .sort((a, b) => a.name.localeCompare(b.name, 'zh-CN'));
}
