// `npm run bench`: runs every benchmark, prints ratios against baselines measured in the same run,
// writes bench/results/latest.json, and exits non-zero when a target is missed. `npm run bench -- board export`
// runs only the named ones (validation, photos, board, export, console).
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../server/paths.ts';
import { runValidationBench } from './validation.bench.ts';
import { runPhotoBenches } from './photos.bench.ts';
import { runBoardBenches } from './board.bench.ts';
import { runConsoleBench } from './console.bench.ts';
import { runExportBenches } from './export.bench.ts';
import { runVisitBenches } from './visits.bench.ts';
import type { BenchResult } from './measure.ts';

const BENCHES: Record<string, () => BenchResult[] | Promise<BenchResult[]>> = {
  validation: () => [runValidationBench()],
  photos: runPhotoBenches,
  visits: runVisitBenches,
  board: runBoardBenches,
  export: runExportBenches,
  console: runConsoleBench,
};
const asked = process.argv.slice(2);
const unknown = asked.filter((name) => !(name in BENCHES));
if (unknown.length > 0) throw new Error(`unknown benchmark(s): ${unknown.join(', ')}; known: ${Object.keys(BENCHES).join(', ')}`);
const results: BenchResult[] = [];
for (const [name, run] of Object.entries(BENCHES)) if (asked.length === 0 || asked.includes(name)) results.push(...(await run()));

const fmt = (n: number) => (n >= 1000 ? `${Math.round(n).toLocaleString('en-US')}` : n.toFixed(2));
console.log('\nbenchmark                                              subject        baseline       ratio   target');
for (const r of results) {
  console.log(`${r.name.padEnd(54)} ${fmt(r.subject).padStart(12)}   ${fmt(r.baseline).padStart(12)}   ${r.ratio.toFixed(2).padStart(5)}   ${r.pass ? 'PASS' : 'FAIL'} (${r.target})`);
}
const dir = join(repoRoot, 'bench', 'results');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'latest.json'), JSON.stringify({ at: new Date().toISOString(), node: process.version, results }, null, 2));
if (results.some((r) => !r.pass)) process.exit(1);
