// Whether a manager's answer patterns are safe to publish. The server matches with RE2 (linear time), so a pattern
// must compile there; and it must be unambiguous, to protect the phones, which match in JavaScript while the rep
// types. JavaScript syntax is checked at once (cheap); the ReDoS analysis runs in a worker thread with a time limit
// per pattern and a budget per form; verdicts are remembered.
import { analyseInWorker } from './ambiguity-worker.ts';
import { fieldError, type FieldError } from '../http/errors.ts';
import { linearCompileError } from '../validation/regexp.ts';
import type { FormSchema } from './form-types.ts';

/** Milliseconds of analysis per pattern, and in all per form. */
const PER_PATTERN_MS = 100;
const PER_FORM_MS = 2_000;
const REMEMBERED = 2000;

type Verdict = 'ok' | 'UNSUPPORTED_REGEX' | 'UNSAFE_REGEX';
const remembered = new Map<string, Verdict>();

/** Syntax only, checked at once: the pattern must compile in JavaScript (the phones check answers with it). */
export function patternSyntaxErrors(pattern: string, at: string, title: string): FieldError[] {
  try {
    new RegExp(pattern, 'u');
    return [];
  } catch {
    return [fieldError(at, 'BAD_REGEX', `「${title}」的格式规则不是合法的正则表达式`, `"${title}": the pattern is not a valid regular expression`)];
  }
}

/**
 * It must also compile in RE2 (the server matches with it) and be unambiguous; an analysis that hits its step or
 * time limit counts as unsafe (such a pattern is too intricate anyway).
 */
async function verdictOf(pattern: string): Promise<Verdict> {
  const known = remembered.get(pattern);
  if (known !== undefined) return known;
  const verdict: Verdict = linearCompileError(pattern) !== null ? 'UNSUPPORTED_REGEX'
    : (await analyseInWorker(pattern, PER_PATTERN_MS)) ? 'ok' : 'UNSAFE_REGEX';
  if (remembered.size >= REMEMBERED) remembered.delete(remembered.keys().next().value as string);
  remembered.set(pattern, verdict);
  return verdict;
}

/** The form's text-field patterns with their pointers (their syntax was checked by checkForm). */
function patternsOf(form: FormSchema): { pattern: string; at: string; title: string }[] {
  return Object.entries(form.properties).flatMap(([sectionKey, section]) => Object.entries(section.properties)
    .filter(([, field]) => typeof field.pattern === 'string')
    .map(([fieldKey, field]) => ({ pattern: field.pattern as string, at: `/properties/${sectionKey}/properties/${fieldKey}/pattern`, title: field.title })));
}

/**
 * Refuses ambiguous patterns (such as ^(a|a)*$, which backtracks for minutes in a phone's JavaScript engine), and
 * those left unchecked once the form's budget is spent. For a form that passed checkForm.
 */
export async function ambiguousPatternErrors(form: FormSchema, now = () => Date.now()): Promise<FieldError[]> {
  const deadline = now() + PER_FORM_MS;
  const errors: FieldError[] = [];
  for (const p of patternsOf(form)) {
    if (!remembered.has(p.pattern) && now() >= deadline) {
      errors.push(fieldError(p.at, 'TOO_MANY_PATTERNS', `表单中格式规则过多或过于复杂，「${p.title}」未能检查，请减少或简化`, `Too many or too intricate patterns in the form; "${p.title}" could not be checked, reduce or simplify them`));
      continue;
    }
    const verdict = await verdictOf(p.pattern);
    if (verdict === 'UNSUPPORTED_REGEX') {
      errors.push(fieldError(p.at, 'UNSUPPORTED_REGEX', `「${p.title}」的格式规则用了不支持的写法（反向引用、前后断言等），请改写`, `"${p.title}": the pattern uses syntax that cannot run in linear time (backreferences, lookaround); rewrite it`));
    } else if (verdict === 'UNSAFE_REGEX') {
      errors.push(fieldError(p.at, 'UNSAFE_REGEX', `「${p.title}」的格式规则有歧义，可能导致手机卡死，请简化（如避免 (a|a)*、(a+)+）`, `"${p.title}": the pattern is ambiguous and can freeze a phone; simplify it (avoid (a|a)*, (a+)+)`));
    }
  }
  return errors;
}
