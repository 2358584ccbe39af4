// The engine's inputs as JSON text (stored with each visit, and one line of a backtest file) and back.
import type { History, VisitFacts } from './types.ts';

export interface VerdictInput { facts: VisitFacts; history: History }

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** JSON.parse with every ISO-8601 instant turned back into a Date (the inputs hold times only as Dates). */
export function parseVerdictInput(text: string): VerdictInput {
  return JSON.parse(text, (_key, value: unknown) => (typeof value === 'string' && ISO_INSTANT.test(value) ? new Date(value) : value)) as VerdictInput;
}
