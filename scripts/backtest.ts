// `npm run backtest -- --input visits.jsonl --template scoring.json [--output verdicts.jsonl]`
// Re-runs the authenticity engine over recorded visits with a scoring template, one verdict per line, and prints
// counts per band and per reason. File format: docs/backtest.md.
import { createReadStream, createWriteStream, readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { evaluateVisit, readAuthenticityParams, type AuthenticityBlock } from '../server/verification/index.ts';
import { parseVerdictInput } from '../server/verification/verdict-input.ts';

const { values } = parseArgs({ options: { input: { type: 'string' }, template: { type: 'string' }, output: { type: 'string' } } });
if (!values.input || !values.template) {
  console.error('usage: npm run backtest -- --input visits.jsonl --template scoring.json [--output verdicts.jsonl]');
  process.exit(2);
}

// Accepts a template file (templates/scoring/*.json, with `content`) or a bare scoring config.
const templateFile = JSON.parse(readFileSync(values.template, 'utf8')) as { content?: { authenticity: AuthenticityBlock }; authenticity?: AuthenticityBlock };
const params = readAuthenticityParams((templateFile.content ?? templateFile).authenticity ?? {});
const out = values.output ? createWriteStream(values.output) : process.stdout;
const bands: Record<string, number> = { green: 0, yellow: 0, red: 0 };
const reasons: Record<string, number> = {};
let line = 0;
let bad = 0;

for await (const text of createInterface({ input: createReadStream(values.input), crlfDelay: Infinity })) {
  line += 1;
  if (text.trim() === '') continue;
  try {
    const input = parseVerdictInput(text);
    const verdict = evaluateVisit(input.facts, input.history, params);
    bands[verdict.band] = (bands[verdict.band] ?? 0) + 1;
    for (const r of verdict.reasons.filter((x) => x.counted)) reasons[r.code] = (reasons[r.code] ?? 0) + 1;
    out.write(`${JSON.stringify({ line, visitId: input.facts.visitId, score: verdict.score, band: verdict.band, reasons: verdict.reasons.filter((x) => x.counted).map((x) => x.code) })}\n`);
  } catch (err) {
    bad += 1;
    console.error(`line ${line}: ${(err as Error).message}`);
  }
}
if (values.output) (out as ReturnType<typeof createWriteStream>).end();
const total = bands.green! + bands.yellow! + bands.red!;
console.error(`\nvisits: ${total}${bad ? ` (${bad} unreadable lines skipped)` : ''}`);
for (const band of ['green', 'yellow', 'red']) console.error(`  ${band.padEnd(6)} ${String(bands[band]).padStart(6)}  ${total ? ((100 * bands[band]!) / total).toFixed(1) : '0.0'}%`);
console.error('reasons (counted):');
for (const [code, n] of Object.entries(reasons).sort((a, b) => b[1] - a[1])) console.error(`  ${code.padEnd(24)} ${n}`);
