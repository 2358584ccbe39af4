// Which sections a customer sees, and the answers cut down to exactly what the server accepts for that customer.
import type { Answers, FormDocument, FormSection, RenderContext, SectionAnswers } from './types.ts';

/** Same rule as the server's visibleSections(): every listed condition must match. */
export function sectionApplies(section: FormSection, context: Pick<RenderContext, 'customerType' | 'customerClass'>): boolean {
  const when = section['x-visibleWhen'];
  if (!when) return true;
  const typeOk = !when.customerTypes || when.customerTypes.includes(context.customerType);
  const classOk = !when.customerClasses || when.customerClasses.includes(context.customerClass);
  return typeOk && classOk;
}

/** Visible section keys in form order. */
export function visibleSectionKeys(schema: FormDocument, context: Pick<RenderContext, 'customerType' | 'customerClass'>): string[] {
  return Object.entries(schema.properties).filter(([, s]) => sectionApplies(s, context)).map(([key]) => key);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

const FOLLOW_UP_KEYS = ['action', 'dueDate', 'note'] as const;

/**
 * Keeps what the server accepts for this customer: one object per visible section (present even when empty,
 * since visible sections are required), only the form's own fields, no blanks, and `followUp` when the form has one.
 * Answers to hidden sections are dropped: the server refuses them with FIELD_NOT_APPLICABLE.
 */
export function pruneAnswers(schema: FormDocument, context: RenderContext, answers: Answers | undefined): Answers {
  const out: Answers = {};
  for (const key of visibleSectionKeys(schema, context)) {
    const fields = schema.properties[key]?.properties ?? {};
    const given = isRecord(answers?.[key]) ? answers[key] : {};
    const kept: SectionAnswers = {};
    for (const name of Object.keys(fields)) {
      const value = given[name];
      if (value !== undefined && value !== null && value !== '' && !(Array.isArray(value) && value.length === 0)) kept[name] = value;
    }
    out[key] = kept;
  }
  const followUp = answers?.followUp;
  if (schema['x-evidence']?.followUp && isRecord(followUp)) {
    const kept: Record<string, unknown> = {};
    for (const k of FOLLOW_UP_KEYS) if (followUp[k] !== undefined && followUp[k] !== '') kept[k] = followUp[k];
    if (Object.keys(kept).length > 0) out.followUp = kept;
  }
  return out;
}
