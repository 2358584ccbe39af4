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
