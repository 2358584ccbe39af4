// Initial answers: each visible section created once, with `x-prefill` values from the customer's record.
// Prefill happens only when a section is first created, so a rep who clears a prefilled field keeps it cleared.
import { isDate } from './dates.ts';
import { choiceOptions, toContactAnswer } from './values.ts';
import { pruneAnswers, visibleSectionKeys } from './visibility.ts';
import type { Answers, FormDocument, FormField, FormSection, RenderContext, SectionAnswers } from './types.ts';

export type Prefill = Record<string, unknown>;

// Object.hasOwn is missing from the older webviews some messengers still ship.
const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);

/** `customer.name` looked up as a flat key first, then as a nested path. */
export function prefillValue(prefill: Prefill | undefined, path: string): unknown {
  if (!prefill) return undefined;
  if (has(prefill, path)) return prefill[path];
  let node: unknown = prefill;
  for (const part of path.split('.')) {
    if (!node || typeof node !== 'object' || !has(node, part)) return undefined;
    node = (node as Record<string, unknown>)[part];
  }
  return node;
}

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;
const TIME = /^\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/i;

/** The prefill value as this widget's answer, or undefined when it does not fit (never guess). */
export function coercePrefill(field: FormField, value: unknown): unknown {
  if (value === undefined || value === null) return undefined;
  switch (field['x-widget']) {
    case 'text':
    case 'textarea': {
      if (typeof value !== 'string' && typeof value !== 'number') return undefined;
      const text = String(value).trim();
      return text === '' ? undefined : [...text].slice(0, field.maxLength ?? 200).join('');
    }
    case 'number': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isFinite(n)) return undefined;
      if (field.type === 'integer' && !Number.isInteger(n)) return undefined;
      if ((field.minimum !== undefined && n < field.minimum) || (field.maximum !== undefined && n > field.maximum)) return undefined;
      return n;
    }
    case 'choice':
      return typeof value === 'string' && choiceOptions(field).includes(value) ? value : undefined;
    case 'multichoice': {
      const list = (Array.isArray(value) ? value : [value]).filter((v): v is string => typeof v === 'string');
      const kept = choiceOptions(field).filter((o) => list.includes(o));
      return kept.length > 0 ? kept : undefined;
    }
    case 'datetime': {
      if (typeof value !== 'string') return undefined;
      const ok = field.format === 'date' ? isDate(value) : field.format === 'time' ? TIME.test(value) : DATE_TIME.test(value);
      return ok ? value : undefined;
    }
    case 'yesno':
      return typeof value === 'boolean' ? value : undefined;
    case 'rating':
      return typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= (field.maximum ?? 5) ? value : undefined;
    case 'contact': {
      if (!field['x-multiple']) return toContactAnswer(value);
      const list = (Array.isArray(value) ? value : [value]).map(toContactAnswer).filter((c) => c !== undefined).slice(0, 20);
      return list.length > 0 ? list : undefined;
    }
    default:
      // products and signatures are what happened at this visit: never carried over.
      return undefined;
  }
}

export function sectionDefaults(section: FormSection, prefill: Prefill | undefined): SectionAnswers {
  const out: SectionAnswers = {};
  for (const [key, field] of Object.entries(section.properties)) {
    const path = field['x-prefill'];
    if (!path) continue;
    const value = coercePrefill(field, prefillValue(prefill, path));
    if (value !== undefined) out[key] = value;
  }
  return out;
}

/** The answers the renderer shows and emits: missing visible sections created (and prefilled), then pruned. */
export function normalizeAnswers(schema: FormDocument, context: RenderContext, answers: Answers | undefined, prefill?: Prefill): Answers {
  const withSections: Answers = { ...(answers ?? {}) };
  for (const key of visibleSectionKeys(schema, context)) {
    const section = schema.properties[key];
    if (section && withSections[key] === undefined) withSections[key] = sectionDefaults(section, prefill);
  }
  return pruneAnswers(schema, context, withSections);
}

/** Answers for a new visit. */
export function initialAnswers(schema: FormDocument, context: RenderContext, prefill?: Prefill): Answers {
  return normalizeAnswers(schema, context, {}, prefill);
}
