// Builds a complete, valid set of answers for a form and customer: used by benchmarks and demos.
import type { FieldSchema, FormSchema } from '../server/forms/form-types.ts';
import { visibleSections } from '../server/forms/form-compiler.ts';

function valueFor(field: FieldSchema): unknown {
  switch (field['x-widget']) {
    case 'text': return '示例'.slice(0, field.maxLength ?? 2).padEnd(Math.max(field.minLength ?? 0, 1), '好');
    case 'textarea': return '客户反馈良好，本周补货。'.padEnd(field.minLength ?? 0, '好');
    case 'number': return Math.max(field.minimum ?? 0, Math.min(field.maximum ?? 10, 3));
    case 'choice': return field.enum?.[0];
    case 'multichoice': return field.items?.enum.slice(0, Math.max(field.minItems ?? 1, 1));
    case 'datetime': return field.format === 'date' ? '2026-11-20' : field.format === 'time' ? '10:00:00+08:00' : '2026-11-20T10:00:00+08:00';
    case 'yesno': return true;
    case 'rating': return field.maximum ?? 5;
    case 'contact': {
      const one = { name: '王店长', role: '店长', phone: '13800000000' };
      return field['x-multiple'] ? [one] : one;
    }
    case 'products': return Array.from({ length: Math.max(field.minItems ?? 1, 1) }, (_, i) => ({ name: `产品${i + 1}`, qty: 2 }));
    case 'signature': return '0123456789abcdef01234567';
    default: return undefined;
  }
}

export function sampleAnswers(form: FormSchema, customerType: string, customerClass: string, visitDate = '2026-11-20'): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const key of visibleSections(form, customerType, customerClass)) {
    const section = form.properties[key]!;
    const values: Record<string, unknown> = {};
    for (const [fieldKey, field] of Object.entries(section.properties)) values[fieldKey] = valueFor(field);
    answers[key] = values;
  }
  const followUp = form['x-evidence'].followUp;
  if (followUp) {
    const due = new Date(Date.parse(visitDate) + Math.min(3, followUp.maxDays) * 86_400_000).toISOString().slice(0, 10);
    answers.followUp = { action: followUp.actions?.[0] ?? '再次拜访', dueDate: due };
  }
  return answers;
}
