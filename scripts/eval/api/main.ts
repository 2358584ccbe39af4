// The output of `npm run eval -- --through-api`: the engine mode's table from the server's verdicts, where they
// differ from the engine-only verdicts of the same samples, what the API could not carry, and eval/results/latest-api.json.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../server/paths.ts';
import type { AuthenticityParams } from '../../../server/verification/params.ts';
import type { Pattern, Sample } from '../patterns.ts';
import { table, verdictLine } from '../report.ts';
import { runThroughApi, type ApiPatternResult } from './run-api.ts';

const top = (xs: [string, number][], k = 3) => xs.slice(0, k).map(([c, n]) => `${c} ${n}`).join(', ') || '—';

export function differenceTable(results: readonly ApiPatternResult[]): string {
  const head = `${'pattern'.padEnd(24)} ${'engine r/y/g'.padEnd(14)} ${'api r/y/g'.padEnd(14)} ${'changed'.padStart(7)}  ${'moves'.padEnd(30)} ${'only through the API'.padEnd(44)} only engine-only`;
  const rows = results.map(({ api, engine, diff }) => [
    api.key.padEnd(24), `${engine.red}/${engine.yellow}/${engine.green}`.padEnd(14), `${api.red}/${api.yellow}/${api.green}`.padEnd(14),
    String(diff.bandChanged).padStart(7), ` ${top(diff.moves).padEnd(30)}`, top(diff.added).padEnd(44), top(diff.removed),
  ].join(' '));
  return [head, '-'.repeat(head.length), ...rows].join('\n');
}

export async function mainThroughApi(o: {
  n: number; only?: string[]; lanes?: number; params: AuthenticityParams; minVisits: number;
  generate(pattern: Pattern, n: number, params: AuthenticityParams): Promise<Sample[]>;
}): Promise<number> {
  const started = Date.now();
  const { results, visitsSent, lanes } = await runThroughApi({ ...o, log: (l) => process.stderr.write(`${l}\n`) });
  const runtimeS = Math.round((Date.now() - started) / 100) / 10;
  const scored = results.filter((r) => r.api.group !== 'hard');
  const hard = results.filter((r) => r.api.group === 'hard');
  console.log(`\nAuthenticity evaluation through the HTTP API: ${o.n} visits per pattern, default template parameters, ${lanes} lanes\n`);
  console.log(table(scored.map((r) => r.api)));
  if (hard.length > 0) console.log(`\nKnown-hard, reported apart (not counted as failures):\n${table(hard.map((r) => r.api))}`);
  console.log(`\nThrough the API vs engine-only, same samples (counted reason codes that appear on one side only, in visits):\n${differenceTable(results)}\n`);
  for (const r of results) console.log(verdictLine(r.api));
  const gaps = results.filter((r) => r.gaps.length > 0);
  if (gaps.length > 0) console.log(`\nNot carried by the API (samples): ${gaps.map((r) => `${r.api.key}: ${top(r.gaps, 5)}`).join('; ')}`);
  const errors = results.flatMap((r) => r.errors);
  if (errors.length > 0) console.log(`\n${errors.length} scenarios failed, e.g.:\n  ${errors.slice(0, 5).join('\n  ')}`);
  const failed = scored.filter((r) => !r.api.pass);
  const tooFew = results.some((r) => r.api.n < o.minVisits);
  console.log(`\n${scored.length - failed.length}/${scored.length} targets met${tooFew ? ` (fewer than ${o.minVisits} judged visits in a pattern: not a valid evaluation)` : ''}; ${visitsSent} visits sent; ${runtimeS} s (${(visitsSent / runtimeS).toFixed(1)} visits/s)`);

  const dir = join(repoRoot, 'eval', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest-api.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, mode: 'through-api', visitsPerPattern: o.n, lanes, visitsSent, runtimeS, params: o.params, results }, null, 2)}\n`);
  return failed.length > 0 || tooFew || errors.length > 0 ? 1 : 0;
}
