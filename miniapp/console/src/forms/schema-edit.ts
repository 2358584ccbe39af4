// Structural edits of a form draft, as pure functions: each returns a new schema and leaves its input alone, so
// the builder can keep the last saved copy for "unsaved changes" and tests can compare before and after.
// Key order is display order (the renderer shows `properties` in order), so moves rebuild the objects.
import type { FormField, Widget } from '../../../src/form-renderer/types.ts';
import type { CustomerClass, FormSchema } from '../types/forms.ts';
import { newField } from './widgets.ts';

/** Section and field keys: what the meta-schema allows (fieldKey / sectionKey). */
export const KEY_PATTERN = /^[a-z][a-zA-Z0-9_]{0,39}$/;
/** `followUp` is the answers' own key for the next action. */
const RESERVED_SECTION_KEYS = new Set(['followUp']);

export function clone<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

function uniqueKey(prefix: string, taken: Iterable<string>): string {
  const used = new Set(taken);
  for (let n = 1; ; n += 1) if (!used.has(`${prefix}${n}`)) return `${prefix}${n}`;
}

/** Rebuilds an object with `key` moved by `delta` places (clamped). */
function moved<T>(obj: Record<string, T>, key: string, delta: number): Record<string, T> {
  const keys = Object.keys(obj);
  const from = keys.indexOf(key);
  if (from < 0) return obj;
  const to = Math.max(0, Math.min(keys.length - 1, from + delta));
  keys.splice(from, 1);
  keys.splice(to, 0, key);
  return Object.fromEntries(keys.map((k) => [k, obj[k] as T]));
}

/** Rebuilds an object with `from` renamed to `to` in the same place. */
function renamed<T>(obj: Record<string, T>, from: string, to: string): Record<string, T> {
  return Object.fromEntries(Object.entries(obj).map(([k, v]) => [k === from ? to : k, v]));
}

export type KeyProblem = 'pattern' | 'taken' | 'reserved';

/** Why a key cannot be used (undefined when it can). */
export function keyProblem(key: string, taken: Iterable<string>, section = false): KeyProblem | undefined {
  if (!KEY_PATTERN.test(key)) return 'pattern';
  if (section && RESERVED_SECTION_KEYS.has(key)) return 'reserved';
  if ([...taken].includes(key)) return 'taken';
  return undefined;
}

// ---- sections ----------------------------------------------------------------------------------------------------

/** Appends a section with one text field (a section needs at least one field). */
export function addSection(schema: FormSchema, title: string, fieldTitle: string): { schema: FormSchema; key: string } {
  const next = clone(schema);
  const key = uniqueKey('section', Object.keys(next.properties));
  next.properties[key] = { type: 'object', title, additionalProperties: false, properties: { field1: newField('text', fieldTitle) } } as FormSchema['properties'][string];
  return { schema: next, key };
}

export function removeSection(schema: FormSchema, key: string): FormSchema {
  const next = clone(schema);
  delete next.properties[key];
  return next;
}

export function moveSection(schema: FormSchema, key: string, delta: number): FormSchema {
  const next = clone(schema);
  next.properties = moved(next.properties, key, delta);
  return next;
}

export function renameSection(schema: FormSchema, from: string, to: string): FormSchema {
  if (from === to || keyProblem(to, Object.keys(schema.properties), true)) return schema;
  const next = clone(schema);
  next.properties = renamed(next.properties, from, to);
  return next;
}

export interface Visibility { customerTypes?: string[]; customerClasses?: CustomerClass[] }

/** Who sees the section; empty lists mean "no condition", and no condition at all removes x-visibleWhen. */
export function setVisibility(schema: FormSchema, key: string, v: Visibility): FormSchema {
  const next = clone(schema);
  const section = next.properties[key];
  if (!section) return schema;
  const when: Visibility = {};
  const types = [...new Set((v.customerTypes ?? []).map((t) => t.trim()).filter(Boolean))];
  const classes = [...new Set(v.customerClasses ?? [])].sort();
  if (types.length > 0) when.customerTypes = types;
  if (classes.length > 0) when.customerClasses = classes;
  if (Object.keys(when).length > 0) section['x-visibleWhen'] = when;
  else delete section['x-visibleWhen'];
  return next;
}

// ---- fields ------------------------------------------------------------------------------------------------------

export function addField(schema: FormSchema, sectionKey: string, widget: Widget, title: string): { schema: FormSchema; key: string } {
  const next = clone(schema);
  const section = next.properties[sectionKey];
  if (!section) return { schema, key: '' };
  const key = uniqueKey('field', Object.keys(section.properties));
  section.properties[key] = newField(widget, title);
  return { schema: next, key };
}

export function removeField(schema: FormSchema, sectionKey: string, fieldKey: string): FormSchema {
  const next = clone(schema);
  const section = next.properties[sectionKey];
  if (!section) return schema;
  delete section.properties[fieldKey];
  setRequiredList(section, (section.required ?? []).filter((k) => k !== fieldKey));
  return next;
}

export function moveField(schema: FormSchema, sectionKey: string, fieldKey: string, delta: number): FormSchema {
  const next = clone(schema);
  const section = next.properties[sectionKey];
  if (!section) return schema;
  section.properties = moved(section.properties, fieldKey, delta);
  if (section.required) setRequiredList(section, section.required);
  return next;
}

/** Moves a field to the end of another section, keeping its required flag (renamed if its key is taken there). */
export function moveFieldToSection(schema: FormSchema, fromSection: string, fieldKey: string, toSection: string): FormSchema {
  const from = schema.properties[fromSection];
  const to = schema.properties[toSection];
  const field = from?.properties[fieldKey];
  if (!from || !to || !field || fromSection === toSection) return schema;
  const next = clone(schema);
  const target = next.properties[toSection]!;
  const key = fieldKey in target.properties ? uniqueKey(fieldKey, Object.keys(target.properties)) : fieldKey;
  target.properties[key] = clone(field);
  if (from.required?.includes(fieldKey)) setRequiredList(target, [...(target.required ?? []), key]);
  return removeFieldIn(next, fromSection, fieldKey);
}

function removeFieldIn(schema: FormSchema, sectionKey: string, fieldKey: string): FormSchema {
  const section = schema.properties[sectionKey]!;
  delete section.properties[fieldKey];
  setRequiredList(section, (section.required ?? []).filter((k) => k !== fieldKey));
  return schema;
}

export function renameField(schema: FormSchema, sectionKey: string, from: string, to: string): FormSchema {
  const section = schema.properties[sectionKey];
  if (!section || from === to || keyProblem(to, Object.keys(section.properties))) return schema;
  const next = clone(schema);
  const s = next.properties[sectionKey]!;
  s.properties = renamed(s.properties, from, to);
  if (s.required) s.required = s.required.map((k) => (k === from ? to : k));
  return next;
}

/** Replaces one field's definition (edits of its labels, options, limits...). */
export function replaceField(schema: FormSchema, sectionKey: string, fieldKey: string, field: FormField): FormSchema {
  const next = clone(schema);
  const section = next.properties[sectionKey];
  if (!section || !(fieldKey in section.properties)) return schema;
  section.properties[fieldKey] = clone(field);
  return next;
}

export function isRequired(schema: FormSchema, sectionKey: string, fieldKey: string): boolean {
  return schema.properties[sectionKey]?.required?.includes(fieldKey) ?? false;
}

export function setRequired(schema: FormSchema, sectionKey: string, fieldKey: string, required: boolean): FormSchema {
  const next = clone(schema);
  const section = next.properties[sectionKey];
  if (!section || !(fieldKey in section.properties)) return schema;
  const list = (section.required ?? []).filter((k) => k !== fieldKey);
  setRequiredList(section, required ? [...list, fieldKey] : list);
  return next;
}

/** Keeps `required` in field order and drops it when empty (the meta-schema accepts either; empty reads as noise). */
function setRequiredList(section: FormSchema['properties'][string], keys: string[]): void {
  const order = Object.keys(section.properties);
  const list = order.filter((k) => keys.includes(k));
  if (list.length > 0) section.required = list;
  else delete section.required;
}

/** Sets or (with undefined / '') removes one property of a field, e.g. 'x-unit', 'minimum', 'description'. */
export function setFieldProp(schema: FormSchema, sectionKey: string, fieldKey: string, prop: string, value: unknown): FormSchema {
  const field = schema.properties[sectionKey]?.properties[fieldKey];
  if (!field) return schema;
  const copy = clone(field) as FormField & Record<string, unknown>;
  if (value === undefined || value === '' || (typeof value === 'number' && Number.isNaN(value))) delete copy[prop];
  else copy[prop] = value;
  return replaceField(schema, sectionKey, fieldKey, copy);
}

// ---- form-level ---------------------------------------------------------------------------------------------------

/** Every customer type a form mentions (in its sections' conditions), for the preview and visibility pickers. */
export function typesInForm(schema: FormSchema): string[] {
  const types = new Set<string>();
  for (const s of Object.values(schema.properties ?? {})) for (const t of s['x-visibleWhen']?.customerTypes ?? []) types.add(t);
  return [...types];
}

/** Field and section counts, for the forms list. */
export function countFields(schema: FormSchema): { sections: number; fields: number } {
  const sections = Object.values(schema.properties ?? {});
  return { sections: sections.length, fields: sections.reduce((n, s) => n + Object.keys(s.properties ?? {}).length, 0) };
}
