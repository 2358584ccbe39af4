// Maps the server's error pointers (`/answers/<section>/<field>/...`) to the field that shows them.
import { visibleSectionKeys } from './visibility.ts';
import type { FieldErrorLike, FormDocument, Locale, RenderContext } from './types.ts';

function unescape(segment: string): string {
  return segment.replace(/~1/g, '/').replace(/~0/g, '~');
}

/** Segments under /answers, or null for pointers elsewhere (e.g. /context/visitDate). */
export function answerPath(pointer: string): string[] | null {
  if (pointer !== '/answers' && !pointer.startsWith('/answers/')) return null;
  return pointer.split('/').slice(2).map(unescape);
}

/**
 * The key of the element that shows this error: 'section.field' (also 'followUp.action'), 'section' for errors
 * about a whole section, 'followUp' for the whole follow-up, or null when it names no part of the answers.
 */
export function errorKey(pointer: string): string | null {
  const path = answerPath(pointer);
  if (!path || path.length === 0 || path[0] === '') return null;
  return path.length === 1 ? path[0]! : `${path[0]!}.${path[1]!}`;
}

/** Errors grouped by errorKey(); errors with no key are left out (see unplacedErrors). */
export function errorsByKey(errors: readonly FieldErrorLike[] | undefined): Record<string, FieldErrorLike[]> {
  const out: Record<string, FieldErrorLike[]> = {};
  for (const e of errors ?? []) {
    const key = errorKey(e.field);
    if (key !== null) (out[key] ??= []).push(e);
  }
  return out;
}

/** Where inside a composite field the error sits: 'rows 3' for /answers/s/f/2/name. */
export function itemIndex(pointer: string): number | undefined {
  const path = answerPath(pointer);
  const idx = path?.[2];
  return idx !== undefined && /^\d+$/.test(idx) ? Number(idx) : undefined;
}

/** The message in the UI language, prefixed with the row for errors inside lists. */
export function errorText(e: FieldErrorLike, locale: Locale): string {
  const msg = locale === 'en-US' ? e.message_en : e.message_zh;
  const idx = itemIndex(e.field);
  if (idx === undefined) return msg;
  return locale === 'en-US' ? `Item ${idx + 1}: ${msg}` : `第 ${idx + 1} 项：${msg}`;
}

/** All keys the renderer shows, in display order. */
export function renderedKeys(schema: FormDocument, context: RenderContext, withFollowUp: boolean): string[] {
  const keys: string[] = [];
  for (const s of visibleSectionKeys(schema, context)) {
    keys.push(s);
    for (const f of Object.keys(schema.properties[s]?.properties ?? {})) keys.push(`${s}.${f}`);
  }
  if (withFollowUp && schema['x-evidence']?.followUp) keys.push('followUp', 'followUp.action', 'followUp.dueDate', 'followUp.note');
  return keys;
}

/** Errors no rendered element would show (context errors, hidden or unknown sections): shown above the form. */
export function unplacedErrors(
  errors: readonly FieldErrorLike[] | undefined, schema: FormDocument, context: RenderContext, withFollowUp: boolean,
): FieldErrorLike[] {
  const keys = new Set(renderedKeys(schema, context, withFollowUp));
  return (errors ?? []).filter((e) => {
    const key = errorKey(e.field);
    return key === null || !keys.has(key);
  });
}

/** The first rendered key with an error, to scroll to. */
export function firstErrorKey(
  errors: readonly FieldErrorLike[] | undefined, schema: FormDocument, context: RenderContext, withFollowUp: boolean,
): string | undefined {
  const withErrors = new Set((errors ?? []).map((e) => errorKey(e.field)));
  return renderedKeys(schema, context, withFollowUp).find((k) => withErrors.has(k));
}
