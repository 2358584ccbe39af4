// Whether a manager's answer pattern is safe to publish. The server matches with RE2 (linear time) whatever the
// pattern; this check protects the phones, which match in JavaScript while the rep types. The ReDoS analysis is
// itself search, so it runs on a time budget per form, and each pattern's result is remembered.
import { isSafePattern } from 'redos-detector';
import { fieldError, type FieldError } from '../http/errors.ts';
import { linearCompileError } from '../validation/regexp.ts';

/** Milliseconds of analysis per pattern, and per form (a form may hold hundreds of patterns). */
const PER_PATTERN_MS = 50;
const PER_FORM_MS = 150;
const REMEMBERED = 2000;

type Verdict = 'ok' | 'BAD_REGEX' | 'UNSUPPORTED_REGEX' | 'UNSAFE_REGEX';
const remembered = new Map<string, Verdict>();

export interface PatternBudget { deadline: number }
export const patternBudget = (now = Date.now()): PatternBudget => ({ deadline: now + PER_FORM_MS });

function analyse(pattern: string, budget: PatternBudget): Verdict | 'NO_TIME' {
  const known = remembered.get(pattern);
  if (known) return known;
  let verdict: Verdict;
  try {
    new RegExp(pattern, 'u');
  } catch {
    verdict = 'BAD_REGEX';
  }
  verdict ??= linearCompileError(pattern) !== null ? 'UNSUPPORTED_REGEX' : 'ok';
  if (verdict === 'ok') {
    const left = budget.deadline - Date.now();
    if (left <= 0) return 'NO_TIME';
    // An analysis that hits its step or time limit is treated as unsafe: such a pattern is too intricate anyway.
    verdict = isSafePattern(pattern, { unicode: true, timeout: Math.min(PER_PATTERN_MS, left), maxSteps: 5000 }).safe ? 'ok' : 'UNSAFE_REGEX';
  }
  if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value as string);
  remembered.set(pattern, verdict);
  return verdict;
}

/**
 * A pattern must compile in JavaScript, in RE2, and be unambiguous (an ambiguous one such as ^(a|a)*$ can
 * backtrack for minutes in a phone's JavaScript engine).
 */
export function checkPattern(pattern: string, at: string, title: string, budget: PatternBudget): FieldError[] {
  switch (analyse(pattern, budget)) {
    case 'ok': return [];
    case 'BAD_REGEX': return [fieldError(at, 'BAD_REGEX', `「${title}」的格式规则不是合法的正则表达式`, `"${title}": the pattern is not a valid regular expression`)];
    case 'UNSUPPORTED_REGEX': return [fieldError(at, 'UNSUPPORTED_REGEX', `「${title}」的格式规则用了不支持的写法（反向引用、前后断言等），请改写`, `"${title}": the pattern uses syntax that cannot run in linear time (backreferences, lookaround); rewrite it`)];
    case 'UNSAFE_REGEX': return [fieldError(at, 'UNSAFE_REGEX', `「${title}」的格式规则有歧义，可能导致手机卡死，请简化（如避免 (a|a)*、(a+)+）`, `"${title}": the pattern is ambiguous and can freeze a phone; simplify it (avoid (a|a)*, (a+)+)`)];
    case 'NO_TIME': return [fieldError(at, 'TOO_MANY_PATTERNS', `表单中格式规则过多或过于复杂，「${title}」未能检查，请减少或简化`, `Too many or too intricate patterns in the form; "${title}" could not be checked, reduce or simplify them`)];
  }
}
