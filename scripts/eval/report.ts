// Tallies of the evaluation: bands per pattern, the reasons that counted, per-variant catches, the generators'
// measurements, and the target each group must meet (authenticity.md, "How we will know it works").
import type { Verdict } from '../../server/verification/engine.ts';
import type { Group, Pattern, Sample } from './world.ts';

export const TARGETS: Record<Group, string> = {
  honest: 'red < 2%',
  cheat: 'red+yellow ≥ 95%',
  hard: 'reported apart',
};

const HONEST_MAX_RED = 0.02;
const CHEAT_MIN_CAUGHT = 0.95;

export interface Stats { n: number; red: number; yellow: number; green: number; scoreMean: number }

export interface PatternResult extends Stats {
  key: string;
  group: Group;
  title: string;
  simulates: string;
  pass: boolean | null;
  /** Share flagged as the target counts it: red for honest patterns, red or yellow for cheats. */
  measured: number;
  /** Counted reason codes, most frequent first, with how many visits had them. */
  reasons: [string, number][];
  notes: [string, number][];
  variants: Record<string, Stats>;
  meta: Record<string, { mean: number; min: number; max: number } | number>;
}

function stats(verdicts: readonly Verdict[]): Stats {
  const n = verdicts.length;
  const count = (b: Verdict['band']) => verdicts.filter((v) => v.band === b).length;
  const scoreMean = n === 0 ? 0 : Math.round((verdicts.reduce((s, v) => s + v.score, 0) / n) * 10) / 10;
  return { n, red: count('red'), yellow: count('yellow'), green: count('green'), scoreMean };
}

function tally(keys: string[][]): [string, number][] {
  const m = new Map<string, number>();
  for (const k of keys.flatMap((ks) => [...new Set(ks)])) m.set(k, (m.get(k) ?? 0) + 1);
  return [...m.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
}

function metaSummary(samples: readonly Sample[]): PatternResult['meta'] {
  const out: PatternResult['meta'] = {};
  const keys = [...new Set(samples.flatMap((s) => Object.keys(s.meta ?? {})))].filter((k) => k !== 'variant' && k !== 'class');
  for (const k of keys) {
    const values = samples.map((s) => s.meta?.[k]).filter((v) => v !== undefined);
    if (values.every((v) => typeof v === 'number')) {
      const xs = values as number[];
      out[k] = { mean: Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10, min: Math.min(...xs), max: Math.max(...xs) };
    } else {
      out[`${k} share`] = Math.round((values.filter((v) => v === true).length / values.length) * 1000) / 1000;
    }
  }
  return out;
}

export function summarise(pattern: Pattern, samples: readonly Sample[], verdicts: readonly Verdict[]): PatternResult {
  const s = stats(verdicts);
  const measured = pattern.group === 'honest' ? s.red / s.n : (s.red + s.yellow) / s.n;
  const pass = pattern.group === 'honest' ? measured < HONEST_MAX_RED : pattern.group === 'cheat' ? measured >= CHEAT_MIN_CAUGHT : null;
  const variantOf = (x: Sample) => String(x.meta?.variant ?? x.meta?.class ?? '');
  const variantKeys = [...new Set(samples.map(variantOf))].filter(Boolean).sort();
  const variants = Object.fromEntries(variantKeys.map((k) => [k, stats(verdicts.filter((_, i) => variantOf(samples[i]!) === k))]));
  return {
    key: pattern.key, group: pattern.group, title: pattern.title, simulates: pattern.simulates, ...s, pass, measured,
    reasons: tally(verdicts.map((v) => v.reasons.filter((r) => r.counted).map((r) => r.code))),
    notes: tally(verdicts.map((v) => v.notes.map((n) => n.code))),
    variants, meta: metaSummary(samples),
  };
}

const pct = (x: number, n: number) => `${((100 * x) / n).toFixed(1)}%`;

export function table(results: readonly PatternResult[]): string {
  const head = `${'pattern'.padEnd(24)} ${'group'.padEnd(6)} ${'n'.padStart(4)} ${'red'.padStart(7)} ${'yellow'.padStart(7)} ${'green'.padStart(7)}  ${'target'.padEnd(17)} ${'result'.padEnd(6)} counted reasons (visits)`;
  const rows = results.map((r) => {
    const result = r.pass === null ? 'INFO' : r.pass ? 'PASS' : 'FAIL';
    const reasons = r.reasons.slice(0, 3).map(([c, k]) => `${c} ${k}`).join(', ') || '—';
    return `${r.key.padEnd(24)} ${r.group.padEnd(6)} ${String(r.n).padStart(4)} ${pct(r.red, r.n).padStart(7)} ${pct(r.yellow, r.n).padStart(7)} ${pct(r.green, r.n).padStart(7)}  ${TARGETS[r.group].padEnd(17)} ${result.padEnd(6)} ${reasons}`;
  });
  return [head, '-'.repeat(head.length), ...rows].join('\n');
}

export function verdictLine(r: PatternResult): string {
  const what = r.group === 'honest' ? `${pct(r.red, r.n)} red` : `${pct(r.red + r.yellow, r.n)} red or yellow`;
  const tag = r.pass === null ? 'KNOWN-HARD' : r.pass ? 'PASS' : 'FAIL';
  const variants = Object.entries(r.variants).map(([k, s]) => `${k}: ${s.red}r/${s.yellow}y/${s.green}g`).join(', ');
  const meta = Object.entries(r.meta).map(([k, v]) => (typeof v === 'number' ? `${k} ${v}` : `${k} ${v.mean} [${v.min}–${v.max}]`)).join(', ');
  return `${tag.padEnd(10)} ${r.key} (${r.title}): ${what}, target ${TARGETS[r.group]}${variants ? `; ${variants}` : ''}${meta ? `; ${meta}` : ''}`;
}
