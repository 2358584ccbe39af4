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
