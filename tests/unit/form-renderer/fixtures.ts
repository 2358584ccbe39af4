// Shared fixtures: the built-in templates, the server's compiled validator, and a "rep" that fills a form through
// the same value helpers the widgets use (so a filled form is what the renderer would emit).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildAnswerSchema } from '../../../server/forms/form-compiler.ts';
import { validateAnswers } from '../../../server/forms/form-validators.ts';
import type { AnswerContext, FormSchema } from '../../../server/forms/form-types.ts';
import { ajv } from '../../../server/validation/ajv.ts';
import type { FieldError } from '../../../server/http/errors.ts';
import { templatesDir } from '../../../server/paths.ts';
import { addDays, toDateTimeValue, toTimeValue } from '../../../miniapp/src/form-renderer/dates.ts';
import {
  choiceOptions, contactFromCustomer, editContact, editProductRow, newProductRow, numberFromInput, roundToStep,
  textFromInput, toggleOption,
} from '../../../miniapp/src/form-renderer/values.ts';
import { visibleSectionKeys } from '../../../miniapp/src/form-renderer/visibility.ts';
import type { Answers, CustomerContact, FormDocument, FormField, RenderContext } from '../../../miniapp/src/form-renderer/types.ts';

export interface Template {
  key: string;
  form: FormDocument;
  appliesTo: { customerTypes?: string[]; customerClasses?: string[] };
}

const dir = join(templatesDir, 'forms');
export const templates: Template[] = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Template);

export function template(key: string): Template {
  const t = templates.find((x) => x.key === key);
  if (!t) throw new Error(`no template ${key}`);
  return t;
}

/** Every customer type a template names plus one it does not, each in a key class (A) and a small one (C). */
export function contextsFor(t: Template): RenderContext[] {
  const types = [...(t.appliesTo.customerTypes ?? []), '其他'];
  return types.flatMap((customerType) => ['A', 'C'].map((customerClass) => ({ customerType, customerClass, visitDate: '2026-11-20' })));
}

const validators = new Map<FormDocument, ReturnType<typeof ajv.compile>>();

/** The server's verdict on these answers (the compiled validator the API uses, custom keywords included). */
export function serverErrors(form: FormDocument, context: RenderContext, answers: unknown): FieldError[] {
  let validate = validators.get(form);
  if (!validate) {
    validate = ajv.compile(buildAnswerSchema(form as unknown as FormSchema));
    validators.set(form, validate);
  }
  return validateAnswers(validate, context as AnswerContext, answers);
}

export const CONTACTS: CustomerContact[] = [
  { id: 'c-1', name: '王芳', role: '店长', phone: '138-0013-8000' },
  { id: 'c-2', name: '李明', role: '采购', phone: '(021) 6666' }, // a phone the server pattern would refuse
];

export const SIGNATURE_ID = '65a1f0c2b4d3e2f1a0b9c8d7';

function textFor(field: FormField): string {
  const len = Math.min(field.maxLength ?? 200, Math.max(field.minLength ?? 0, 12));
  return '现场沟通顺利客户反馈积极'.repeat(10).slice(0, len);
}

/** What a rep taps or types for one field, built with the widgets' own value helpers. */
export function fillValue(field: FormField, context: RenderContext): unknown {
  switch (field['x-widget']) {
    case 'text':
    case 'textarea':
      return textFromInput(textFor(field));
    case 'number': {
      const lo = field.minimum ?? 0;
      const n = numberFromInput(String(Math.min(field.maximum ?? lo + 3, lo + 3)));
      return n === undefined ? undefined : roundToStep(n, field.multipleOf);
    }
    case 'choice':
      return choiceOptions(field)[0];
    case 'multichoice': {
      const [a, b] = choiceOptions(field);
      const one = toggleOption(field, undefined, a!);
      return b && (field.maxItems ?? 2) >= 2 ? toggleOption(field, one, b) : one;
    }
    case 'datetime':
      if (field.format === 'date') return addDays(context.visitDate, 2);
      if (field.format === 'time') return toTimeValue('10:30');
      return toDateTimeValue(context.visitDate, '10:30');
    case 'yesno':
      return true;
    case 'rating':
      return field.maximum ?? 5;
    case 'contact': {
      const picked = contactFromCustomer(CONTACTS[1]!);
      if (!field['x-multiple']) return picked;
      const typed = editContact(editContact(editContact(undefined, 'name', '赵强'), 'role', '工程师'), 'phone', '+86 139 0000 0000');
      return [picked, typed];
    }
    case 'products': {
      let rows = [newProductRow(field)];
      rows = editProductRow(rows, 0, 'name', '感冒灵颗粒');
      rows = editProductRow(rows, 0, 'sku', 'SKU-001');
      return editProductRow(rows, 0, 'qty', 12);
    }
    case 'signature':
      return SIGNATURE_ID;
  }
}

/** Every visible field answered, plus the follow-up, as the renderer would hold them (hidden sections absent). */
export function fillAll(form: FormDocument, context: RenderContext): Answers {
  const out: Answers = {};
  for (const key of visibleSectionKeys(form, context)) {
    const section: Record<string, unknown> = {};
    for (const [name, field] of Object.entries(form.properties[key]!.properties)) section[name] = fillValue(field, context);
    out[key] = section;
  }
  const rule = form['x-evidence']?.followUp;
  if (rule) out.followUp = { action: rule.actions?.[0] ?? '再次拜访', dueDate: addDays(context.visitDate, rule.maxDays) };
  return out;
}
