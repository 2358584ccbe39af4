// The engine's inputs: stored with each visit as a subdocument (BSON dates), and one JSON line of a backtest file.
import type { History, VisitFacts } from './types.ts';

export interface VerdictInput { facts: VisitFacts; history: History }

/**
 * A copy fit for storing: fields that are undefined are left out (the driver would store them as null, which the
 * engine reads differently), Dates stay Dates.
 */
export function storableVerdictInput(input: VerdictInput): VerdictInput {
  const strip = (v: unknown): unknown => {
    if (v instanceof Date || v === null || typeof v !== 'object') return v;
    if (Array.isArray(v)) return v.map(strip);
    return Object.fromEntries(Object.entries(v).filter(([, x]) => x !== undefined).map(([k, x]) => [k, strip(x)]));
  };
  return strip(input) as VerdictInput;
}

/** One line of a backtest file (JSON text) back into the engine's inputs. */
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

// JSON.parse with every ISO-8601 instant turned back into a Date (the inputs hold times only as Dates).
export function parseVerdictInput(text: string): VerdictInput {
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : value)) as VerdictInput;
}
