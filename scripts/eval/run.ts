// `npm run eval`: generates the labelled visits of every pattern, runs them through the real authenticity engine
// with the default template's parameters, prints the share red / yellow / green per pattern and a verdict per
// target, writes eval/results/latest.json, and exits 1 when an honest or cheat target is missed.
//   npm run eval -- --n=300            visits per pattern (default 200, at least 150 for a verdict)
//   npm run eval -- --only=city-drift  some patterns only (comma-separated keys)
//   npm run eval -- --through-api      the same visits sent through the HTTP API (scripts/eval/api), --lanes=6
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot, templatesDir } from '../../server/paths.ts';
import { evaluateVisit, type Verdict } from '../../server/verification/engine.ts';
import { readAuthenticityParams, type AuthenticityBlock, type AuthenticityParams } from '../../server/verification/params.ts';
import { PATTERNS, type Pattern, type Sample } from './patterns.ts';
import { summarise, table, verdictLine, type PatternResult } from './report.ts';

export const MIN_VISITS = 150;

export function defaultParams(): AuthenticityParams {
  const template = JSON.parse(readFileSync(join(templatesDir, 'scoring', 'default.json'), 'utf8')) as { content: { authenticity: AuthenticityBlock } };
  return readAuthenticityParams(template.content.authenticity);
}

/** Visits 0..n-1 of a pattern, a few at a time so sharp keeps both cores busy. */
export async function generate(pattern: Pattern, n: number, params: AuthenticityParams, parallel = 8): Promise<Sample[]> {
  const out: Sample[] = [];
  for (let i = 0; i < n; i += parallel) {
    const batch = Array.from({ length: Math.min(parallel, n - i) }, (_, k) => pattern.make(i + k, params));
    out.push(...(await Promise.all(batch)));
  }
  return out;
}

export async function evaluatePattern(pattern: Pattern, n: number, params: AuthenticityParams): Promise<PatternResult> {
  const samples = await generate(pattern, n, params);
  const verdicts: Verdict[] = samples.map((s) => evaluateVisit(s.facts, s.history, params));
  return summarise(pattern, samples, verdicts);
}

function arg(name: string): string | undefined {
  return process.argv.slice(2).find((a) => a.startsWith(`--${name}=`))?.slice(name.length + 3);
}

async function main(): Promise<void> {
  const started = Date.now();
  const n = Number(arg('n') ?? 200);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--n must be a positive integer, got ${arg('n')}`);
  const only = arg('only')?.split(',');
  const params = defaultParams();
  if (process.argv.includes('--through-api')) {
    const { mainThroughApi } = await import('./api/main.ts');
    const lanes = arg('lanes') ? Number(arg('lanes')) : undefined;
    process.exit(await mainThroughApi({ n, only, lanes, params, minVisits: MIN_VISITS, generate }));
  }
  const chosen = PATTERNS.filter((p) => !only || only.includes(p.key));
  const results: PatternResult[] = [];
  for (const pattern of chosen) {
    const t = Date.now();
    results.push(await evaluatePattern(pattern, n, params));
    process.stderr.write(`  ${pattern.key}: ${((Date.now() - t) / 1000).toFixed(1)} s\n`);
  }
  const runtimeS = Math.round((Date.now() - started) / 100) / 10;

  const scored = results.filter((r) => r.group !== 'hard');
  const hard = results.filter((r) => r.group === 'hard');
  console.log(`\nAuthenticity evaluation: ${n} visits per pattern, default template parameters\n`);
  console.log(table(scored));
  if (hard.length > 0) console.log(`\nKnown-hard, reported apart (not counted as failures):\n${table(hard)}`);
  console.log('');
  for (const r of results) console.log(verdictLine(r));
  const failed = scored.filter((r) => !r.pass);
  const tooFew = n < MIN_VISITS;
  console.log(`\n${scored.length - failed.length}/${scored.length} targets met${tooFew ? ` (only ${n} visits per pattern: below ${MIN_VISITS}, not a valid evaluation)` : ''}; ${runtimeS} s`);

  const dir = join(repoRoot, 'eval', 'results');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'latest.json'), `${JSON.stringify({ at: new Date().toISOString(), node: process.version, visitsPerPattern: n, runtimeS, params, results }, null, 2)}\n`);
  if (failed.length > 0 || tooFew) process.exit(1);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exit(2);
  });
}
