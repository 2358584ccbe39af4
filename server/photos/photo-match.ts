// Finding earlier photos that are the same file or a transformed copy, without scanning the tenant's history:
// each 64-bit hash is cut into four 16-bit bands; two hashes within 3 bits always share a band (pigeonhole),
// and copies a few bits further apart almost always do. The indexed band lookup returns a small candidate set,
// which is then measured exactly. Lookups read the database, so every server instance sees every upload.
export function hashBands(phash: string, dhash: string): string[] {
  const bands: string[] = [];
  for (let i = 0; i < 4; i += 1) {
    bands.push(`p${i}:${phash.slice(i * 4, i * 4 + 4)}`, `d${i}:${dhash.slice(i * 4, i * 4 + 4)}`);
  }
  return bands;
}

/** Whether an earlier photo is worth handing to the engine as a possible re-use (the engine grades it). */
export function closeEnough(m: { sameFile: boolean; phashDistance: number; dhashDistance: number }, maxDistance: number): boolean {
  return m.sameFile || Math.min(m.phashDistance, m.dhashDistance) <= maxDistance;
}
