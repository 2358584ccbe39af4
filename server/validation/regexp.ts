// Regular expressions from schemas, run by RE2 (re2js): matching time is linear in the input, so no pattern a
// manager writes into a form can stall the process for every tenant. JavaScript syntax is translated first
// (\uXXXX, named groups); what RE2 cannot do in linear time (backreferences, lookaround) does not compile.
import { RE2JS } from 're2js';
import type { RegExpEngine } from 'ajv/dist/types/index.js';

export function compileLinear(pattern: string): { test(input: string): boolean; toString(): string } {
  const re = RE2JS.compile(RE2JS.translateRegExp(pattern));
  // ajv keys its compiled patterns by toString(): each pattern must give its own.
  return { test: (input: string) => re.test(input), toString: () => `linear:${pattern}` };
}

/** The engine ajv builds every `pattern` and `patternProperties` with (its `code.regExp` option). */
export const linearRegExp: RegExpEngine = Object.assign((pattern: string) => compileLinear(pattern), { code: 'linearRegExp' });

/** Why a pattern cannot run in linear time, or null when it can. */
export function linearCompileError(pattern: string): string | null {
  try {
    compileLinear(pattern);
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}
