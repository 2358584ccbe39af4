// A light pre-check before submit: missing required answers and the cheap limits, in the server's error shape and
// with the server's codes and wording (server/validation/errors.ts). The server stays the judge; this only saves a
// round trip and lets the form point at the first gap while offline.
import { daysBetween, isDate } from './dates.ts';
import { visibleSectionKeys } from './visibility.ts';
import { isBlank, productRows } from './values.ts';
import { CONTACT_LIMITS, type Answers, type FieldErrorLike, type FollowUpRule, type FormDocument, type FormField, type RenderContext } from './types.ts';

const label = (title: string | undefined): string => (title ? `「${title}」` : '该字段');

export function requiredError(field: string, key: string, title?: string): FieldErrorLike {
  return { field, code: 'REQUIRED', message_zh: `${label(title)}为必填项`, message_en: `${title ? `"${key}"` : key} is required` };
}

function tooShort(field: string, title: string, limit: number): FieldErrorLike {
  return { field, code: 'TOO_SHORT', message_zh: `${label(title)}至少 ${limit} 个字`, message_en: `must have at least ${limit} characters` };
}
function tooLong(field: string, title: string, limit: number): FieldErrorLike {
  return { field, code: 'TOO_LONG', message_zh: `${label(title)}最多 ${limit} 个字`, message_en: `must have at most ${limit} characters` };
}
function tooSmall(field: string, title: string, limit: number): FieldErrorLike {
  return { field, code: 'TOO_SMALL', message_zh: `${label(title)}不能小于 ${limit}`, message_en: `must be >= ${limit}` };
}
function tooLarge(field: string, title: string, limit: number): FieldErrorLike {
  return { field, code: 'TOO_LARGE', message_zh: `${label(title)}不能大于 ${limit}`, message_en: `must be <= ${limit}` };
}
function tooFew(field: string, title: string, limit: number): FieldErrorLike {
  return { field, code: 'TOO_FEW_ITEMS', message_zh: `${label(title)}至少选择或填写 ${limit} 项`, message_en: `must have at least ${limit} items` };
}
function tooMany(field: string, title: string, limit: number): FieldErrorLike {
  return { field, code: 'TOO_MANY_ITEMS', message_zh: `${label(title)}最多 ${limit} 项`, message_en: `must have at most ${limit} items` };
}
function badPattern(field: string, title: string): FieldErrorLike {
  return { field, code: 'BAD_PATTERN', message_zh: `${label(title)}格式不正确`, message_en: 'does not match the required pattern' };
}

/** ajv counts characters by code point, not UTF-16 unit. */
const length = (s: string): number => [...s].length;

function checkContact(at: string, value: unknown, out: FieldErrorLike[]): void {
  const c = (value ?? {}) as Record<string, unknown>;
  if (typeof c.name !== 'string' || c.name.trim() === '') out.push(requiredError(`${at}/name`, 'name', '姓名'));
  if (typeof c.phone === 'string' && !CONTACT_LIMITS.phonePattern.test(c.phone)) out.push(badPattern(`${at}/phone`, '电话'));
}

function checkField(at: string, field: FormField, value: unknown, out: FieldErrorLike[]): void {
  const title = field.title;
  switch (field['x-widget']) {
    case 'text':
    case 'textarea':
      if (typeof value !== 'string') return;
      if (field.minLength !== undefined && length(value) < field.minLength) out.push(tooShort(at, title, field.minLength));
      if (field.maxLength !== undefined && length(value) > field.maxLength) out.push(tooLong(at, title, field.maxLength));
      // As on the server: a too-long answer is judged by its length alone, never run through the pattern.
      else if (field.pattern && !safeTest(field.pattern, value)) out.push(badPattern(at, title));
      return;
    case 'number':
    case 'rating':
      if (typeof value !== 'number') return;
      if (field.minimum !== undefined && value < field.minimum) out.push(tooSmall(at, title, field.minimum));
      if (field.maximum !== undefined && value > field.maximum) out.push(tooLarge(at, title, field.maximum));
      return;
    case 'multichoice':
      if (!Array.isArray(value)) return;
      if (field.minItems !== undefined && value.length < field.minItems) out.push(tooFew(at, title, field.minItems));
      if (field.maxItems !== undefined && value.length > field.maxItems) out.push(tooMany(at, title, field.maxItems));
      return;
    case 'products': {
      const rows = productRows(value);
      if (field.minItems !== undefined && rows.length < field.minItems) out.push(tooFew(at, title, field.minItems));
      if (rows.length > (field.maxItems ?? 200)) out.push(tooMany(at, title, field.maxItems ?? 200));
      rows.forEach((row, i) => {
        if (typeof row.name !== 'string' || row.name.trim() === '') out.push(requiredError(`${at}/${i}/name`, 'name', '产品'));
        if (typeof row.qty !== 'number') out.push(requiredError(`${at}/${i}/qty`, 'qty', '数量'));
        else if (row.qty < 0) out.push(tooSmall(`${at}/${i}/qty`, '数量', 0));
      });
      return;
    }
    case 'contact':
      if (field['x-multiple']) {
        if (Array.isArray(value)) value.forEach((c, i) => checkContact(`${at}/${i}`, c, out));
      } else {
        checkContact(at, value, out);
      }
      return;
    default:
      return;
  }
}

function safeTest(pattern: string, value: string): boolean {
  try {
    return new RegExp(pattern, 'u').test(value);
  } catch {
    return true; // the server judges patterns this engine cannot compile
  }
}

/** Follow-up step: action and due date, the date within visitDate..visitDate+maxDays. */
export function checkFollowUp(rule: FollowUpRule, visitDate: string, value: unknown): FieldErrorLike[] {
  const at = '/answers/followUp';
  const isEmpty = !value || typeof value !== 'object' || Object.keys(value).length === 0;
  if (isEmpty) return rule.required ? [requiredError(at, 'followUp', '下一步跟进')] : [];
  const f = value as Record<string, unknown>;
  const out: FieldErrorLike[] = [];
  if (isBlank(f.action)) out.push(requiredError(`${at}/action`, 'action', '跟进事项'));
  if (isBlank(f.dueDate)) {
    out.push(requiredError(`${at}/dueDate`, 'dueDate', '完成日期'));
  } else if (isDate(f.dueDate) && isDate(visitDate)) {
    const days = daysBetween(visitDate, f.dueDate);
    if (days < 0) {
      out.push({ field: `${at}/dueDate`, code: 'FOLLOW_UP_IN_PAST', message_zh: '跟进日期不能早于拜访日期', message_en: 'The follow-up date is before the visit date' });
    } else if (days > rule.maxDays) {
      out.push({ field: `${at}/dueDate`, code: 'FOLLOW_UP_TOO_LATE', message_zh: `跟进事项须在拜访后 ${rule.maxDays} 天内完成`, message_en: `The follow-up must be due within ${rule.maxDays} days of the visit` });
    }
  }
  if (typeof f.note === 'string' && length(f.note) > 500) out.push(tooLong(`${at}/note`, '备注', 500));
  return out;
}

export interface CheckOptions {
  /** Check the follow-up too (default: when the form has one). Off when the follow-up is a later step. */
  followUp?: boolean;
}

/** Errors in form order; [] means the pre-check found nothing (the server may still refuse). */
export function checkAnswers(schema: FormDocument, context: RenderContext, answers: Answers, options: CheckOptions = {}): FieldErrorLike[] {
  const out: FieldErrorLike[] = [];
  for (const key of visibleSectionKeys(schema, context)) {
    const section = schema.properties[key];
    if (!section) continue;
    const given = answers[key];
    if (!given || typeof given !== 'object' || Array.isArray(given)) {
      out.push(requiredError(`/answers/${key}`, key, section.title));
      continue;
    }
    const values = given as Record<string, unknown>;
    const required = new Set(section.required ?? []);
    for (const [name, field] of Object.entries(section.properties)) {
      const at = `/answers/${key}/${name}`;
      if (isBlank(values[name])) {
        if (required.has(name)) out.push(requiredError(at, name, field.title));
      } else {
        checkField(at, field, values[name], out);
      }
    }
  }
  const rule = schema['x-evidence']?.followUp;
  if (rule && options.followUp !== false) out.push(...checkFollowUp(rule, context.visitDate, answers.followUp));
  return out;
}
