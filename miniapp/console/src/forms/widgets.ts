// The field kinds a manager can add, with their names and the smallest definition the meta-schema accepts
// (schemas/form.meta.schema.json: textField, numberField, choiceField, ...).
import type { FormField, Widget } from '../../../src/form-renderer/types.ts';

export interface WidgetInfo { widget: Widget; zh: string; en: string }

export const WIDGETS: readonly WidgetInfo[] = [
  { widget: 'choice', zh: '单选', en: 'Single choice' },
  { widget: 'multichoice', zh: '多选', en: 'Multiple choice' },
  { widget: 'yesno', zh: '是/否', en: 'Yes / no' },
  { widget: 'number', zh: '数字', en: 'Number' },
  { widget: 'text', zh: '单行文本', en: 'Text' },
  { widget: 'textarea', zh: '多行文本', en: 'Long text' },
  { widget: 'datetime', zh: '日期/时间', en: 'Date / time' },
  { widget: 'rating', zh: '评分', en: 'Rating' },
  { widget: 'contact', zh: '联系人', en: 'Contact' },
  { widget: 'products', zh: '产品清单', en: 'Product list' },
  { widget: 'signature', zh: '签名', en: 'Signature' },
];

export function widgetInfo(widget: string): WidgetInfo | undefined {
  return WIDGETS.find((w) => w.widget === widget);
}

/** Hints every field kind may carry; switching the kind keeps them. */
const COMMON_KEYS = ['title', 'description', 'x-placeholder', 'x-prefill'] as const;

/** A new field of this kind, valid as it stands. */
export function newField(widget: Widget, title: string): FormField {
  const base = { 'x-widget': widget, title } as const;
  switch (widget) {
    case 'text': return { ...base, type: 'string', maxLength: 200 };
    case 'textarea': return { ...base, type: 'string', maxLength: 2000 };
    case 'number': return { ...base, type: 'number', minimum: 0 };
    case 'choice': return { ...base, type: 'string', enum: ['选项1', '选项2'] };
    case 'multichoice': return { ...base, type: 'array', items: { type: 'string', enum: ['选项1', '选项2'] }, uniqueItems: true } as FormField;
    case 'datetime': return { ...base, type: 'string', format: 'date' };
    case 'yesno': return { ...base, type: 'boolean' };
    case 'rating': return { ...base, type: 'integer', minimum: 1, maximum: 5 };
    case 'contact': return { ...base, type: 'object' };
    case 'products': return { ...base, type: 'array' };
    case 'signature': return { ...base, type: 'string' };
  }
}

/** The field as another kind: the shared hints stay, and choice options carry over between single and multiple. */
export function changeWidget(field: FormField, widget: Widget): FormField {
  const next = newField(widget, field.title) as FormField & Record<string, unknown>;
  for (const key of COMMON_KEYS) if (field[key] !== undefined) next[key] = field[key];
  const options = optionsOf(field);
  if (options.length > 0) return withOptions(next, options);
  return next;
}

/** The pick list of a choice (enum) or multichoice (items.enum) field; [] for other kinds. */
export function optionsOf(field: FormField): string[] {
  if (field['x-widget'] === 'choice') return [...(field.enum ?? [])];
  if (field['x-widget'] === 'multichoice') return [...(field.items?.enum ?? [])];
  return [];
}

export function withOptions(field: FormField, options: string[]): FormField {
  if (field['x-widget'] === 'choice') return { ...field, enum: options };
  if (field['x-widget'] === 'multichoice') return { ...field, items: { type: 'string', enum: options } };
  return field;
}

/** One option per line, blanks and repeats dropped (the meta-schema wants unique, non-empty options). */
export function parseLines(text: string): string[] {
  const seen = new Set<string>();
  for (const line of text.split('\n')) {
    const v = line.trim();
    if (v) seen.add(v);
  }
  return [...seen];
}
