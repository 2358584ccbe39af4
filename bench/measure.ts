// Interleaved rate measurement: subject and baseline run in alternating rounds so machine noise hits both.
export interface BenchResult {
  name: string;
  subject: number;
  baseline: number;
  ratio: number;
  target: string;
  pass: boolean;
}

function rate(fn: () => unknown, ms: number): number {
  let n = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < ms) {
    for (let i = 0; i < 200; i += 1) fn();
    n += 200;
    elapsed = performance.now() - start;
  }
  return (n / elapsed) * 1000;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function compareRates(o: { name: string; subject: () => unknown; baseline: () => unknown; target: { minRatio: number; text: string }; rounds?: number; roundMs?: number }): BenchResult {
  const rounds = o.rounds ?? 7;
  const roundMs = o.roundMs ?? 300;
  rate(o.subject, 200);
  rate(o.baseline, 200);
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < rounds; i += 1) {
    s.push(rate(o.subject, roundMs));
    b.push(rate(o.baseline, roundMs));
  }
  const subject = median(s);
  const baseline = median(b);
  const ratio = subject / baseline;
  return { name: o.name, subject, baseline, ratio, target: o.target.text, pass: ratio >= o.target.minRatio };
}

const medianOf = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** Median wall time (ms) of async subject and baseline, alternated; pass when subject/baseline ≤ maxRatio. */
export async function compareTimes(o: { name: string; subject: () => Promise<unknown>; baseline: () => Promise<unknown>; maxRatio: number; target: string; rounds?: number }): Promise<BenchResult> {
  await o.subject();
  await o.baseline();
  const s: number[] = [];
  const b: number[] = [];
  for (let i = 0; i < (o.rounds ?? 5); i += 1) {
    let t = performance.now(); await o.subject(); s.push(performance.now() - t);
    t = performance.now(); await o.baseline(); b.push(performance.now() - t);
  }
  const subject = medianOf(s);
  const baseline = medianOf(b);
  return { name: o.name, subject, baseline, ratio: subject / baseline, target: o.target, pass: subject / baseline <= o.maxRatio };
}

export async function timeMs(fn: () => Promise<unknown>, rounds = 7): Promise<number> {
  await fn();
  const xs: number[] = [];
  for (let i = 0; i < rounds; i += 1) { const t = performance.now(); await fn(); xs.push(performance.now() - t); }
  return medianOf(xs);
}
