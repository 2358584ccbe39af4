// The phone preview's "who is this visit for" switch: which customer types to offer and the visit date to show.
import type { AppliesTo, CustomerClass, FormSchema } from '../types/forms.ts';
import { typesInForm } from './schema-edit.ts';

export const CLASSES: readonly CustomerClass[] = ['A', 'B', 'C', 'D'];

/**
 * Types worth previewing, most relevant first: those the form applies to, those its sections depend on, then the
 * tenant's usual types. Without any of them the preview still needs one type to render.
 */
export function previewTypes(schema: FormSchema | undefined, appliesTo: AppliesTo | undefined, tenantTypes: readonly string[] = []): string[] {
  const all = [...(appliesTo?.customerTypes ?? []), ...(schema ? typesInForm(schema) : []), ...tenantTypes];
  const unique = [...new Set(all.map((t) => t.trim()).filter(Boolean))];
  return unique.length > 0 ? unique : ['其他'];
}

export function previewClasses(appliesTo: AppliesTo | undefined): CustomerClass[] {
  return appliesTo?.customerClasses?.length ? [...appliesTo.customerClasses] : [...CLASSES];
}

/** Today in Asia/Shanghai: the follow-up dates of the preview count from it. */
export { shanghaiToday } from '../china-time.ts';

/** Whether a schema has the shape the renderer needs (the JSON view may hold anything while being typed). */
export function renderable(schema: unknown): schema is FormSchema {
  if (!schema || typeof schema !== 'object') return false;
  const props = (schema as { properties?: unknown }).properties;
  if (!props || typeof props !== 'object' || Array.isArray(props)) return false;
  return Object.values(props as Record<string, unknown>).every((s) => {
    const fields = (s as { properties?: unknown } | null)?.properties;
    return !!fields && typeof fields === 'object' && !Array.isArray(fields)
      && Object.values(fields as Record<string, unknown>).every((f) => !!f && typeof f === 'object' && typeof (f as { 'x-widget'?: unknown })['x-widget'] === 'string');
  });
}
