// Which published form a visit to a customer uses: pure, so the visit start and the usage report agree.

export interface AppliesTo { customerTypes?: string[]; customerClasses?: string[] }

/** -1 when the form does not apply; otherwise how specific the match is (type and class > type > class > any). */
export function matchRank(appliesTo: AppliesTo | undefined, customerType: string, customerClass: string): number {
  const types = appliesTo?.customerTypes ?? [];
  const classes = appliesTo?.customerClasses ?? [];
  if ((types.length > 0 && !types.includes(customerType)) || (classes.length > 0 && !classes.includes(customerClass))) return -1;
  return (types.length > 0 ? 2 : 0) + (classes.length > 0 ? 1 : 0);
}

/**
 * The most specific published form for this customer. Ties go to the earlier form in `forms`, which callers pass
 * newest-updated first (so a freshly published form wins a tie).
 */
export function pickForm<T extends { appliesTo?: AppliesTo; latestVersion: number }>(forms: readonly T[], customerType: string, customerClass: string): T | undefined {
  let best: T | undefined;
  let bestRank = -1;
  for (const f of forms) {
    if (f.latestVersion <= 0) continue;
    const r = matchRank(f.appliesTo, customerType, customerClass);
    if (r > bestRank) {
      best = f;
      bestRank = r;
    }
  }
  return best;
}
