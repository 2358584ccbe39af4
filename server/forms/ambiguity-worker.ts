// The ReDoS analysis (redos-detector) in a worker thread: it is a search that can take its whole time limit per
// pattern, which on the main thread would hold up every other tenant's requests. One worker per process, started
// on first use; an analysis that does not answer in time counts as unsafe and the worker is replaced.
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

// Plain CommonJS run as given (eval), so the worker needs no TypeScript loader.
const SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { isSafePattern } = require(workerData.detector);
parentPort.on('message', ({ id, pattern, timeoutMs }) => {
  let safe = false;
  try { safe = isSafePattern(pattern, { unicode: true, timeout: timeoutMs, maxSteps: 20000 }).safe; } catch { safe = false; }
  parentPort.postMessage({ id, safe });
});`;

const detector = createRequire(import.meta.url).resolve('redos-detector');

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, (safe: boolean) => void>();

function started(): Worker {
  if (worker) return worker;
  const w = new Worker(SOURCE, { eval: true, workerData: { detector }, resourceLimits: { maxOldGenerationSizeMb: 128 } });
  w.unref();
  w.on('message', ({ id, safe }: { id: number; safe: boolean }) => { waiting.get(id)?.(safe); waiting.delete(id); });
  const fail = () => {
    if (worker === w) worker = null;
    for (const done of waiting.values()) done(false);
    waiting.clear();
  };
  w.on('error', fail);
  w.on('exit', fail);
  worker = w;
  return w;
}

/** Whether the pattern is unambiguous; false when the analysis hits its limits or does not answer in time. */
export function analyseInWorker(pattern: string, timeoutMs: number): Promise<boolean> {
  const w = started();
  const id = (nextId += 1);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      if (!waiting.has(id)) return;
      waiting.delete(id);
      resolve(false);
      void w.terminate(); // it is stuck on this pattern: the next analysis gets a fresh worker
    }, timeoutMs + 1_000);
    waiting.set(id, (safe) => { clearTimeout(timer); resolve(safe); });
    w.postMessage({ id, pattern, timeoutMs });
  });
}
