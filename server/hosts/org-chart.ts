// Reporting lines from the host's org chart, as pure functions: a user reports to the leader of their main
// department; a leader of that department reports to the leader of the parent department (and so on up while a
// level has no other leader we know).

export interface OrgDept { id: string; parentId: string | null; leaderIds: readonly string[] }

/**
 * The host userid of `userId`'s manager, or null. `known` says which leaders count (e.g. those we have as users):
 * a leader outside the app's visible range is skipped and the walk continues upwards.
 */
export function managerOf(userId: string, mainDeptId: string | null, depts: ReadonlyMap<string, OrgDept>, known: (hostUserId: string) => boolean = () => true): string | null {
  const seen = new Set<string>();
  let id = mainDeptId;
  let first = true;
  while (id !== null && !seen.has(id)) {
    seen.add(id);
    const dept = depts.get(id);
    if (!dept) return null;
    // A leader of their own main department is managed from above, even if the department has co-leaders.
    const skip = first && dept.leaderIds.includes(userId);
    const leader = skip ? undefined : dept.leaderIds.find((l) => l !== userId && known(l));
    if (leader) return leader;
    first = false;
    id = dept.parentId;
  }
  return null;
}

export function leadersOf(depts: Iterable<OrgDept>): Set<string> {
  const out = new Set<string>();
  for (const d of depts) for (const l of d.leaderIds) out.add(l);
  return out;
}
