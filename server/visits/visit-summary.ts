// The visit summary card (拜访摘要卡), built on submit from the answers and the pinned form. Pure.
import type { FormSchema } from '../forms/form-types.ts';

export interface VisitSummary {
  customer: string;
  tags: string[];
  commitments: string[];
  openItems: string[];
  nextAction?: { action: string; dueDate: string; note?: string };
  highlights: { label: string; value: string }[];
}

const TAG_TITLE = /意向|画像|偏好|态度|阶段|等级|类型|敏感|接受度/;
const OPEN_TITLE = /缺货|问题|整改|疑问|待办|风险|投诉|需求/;
const COMMIT_TITLE = /承诺|同意|确认|答应/;

function text(value: unknown): string {
  if (Array.isArray(value)) return value.map(text).filter(Boolean).join('、');
  if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    return String(o.name ?? o.action ?? JSON.stringify(o));
  }
  if (typeof value === 'boolean') return value ? '是' : '否';
  return value === undefined || value === null ? '' : String(value);
}

export function buildSummary(form: FormSchema, customer: { name: string; type: string; class: string }, answers: Record<string, unknown>): VisitSummary {
  const summary: VisitSummary = { customer: customer.name, tags: [`${customer.type}`, `${customer.class}类客户`], commitments: [], openItems: [], highlights: [] };
  for (const [sectionKey, section] of Object.entries(form.properties)) {
    const values = answers[sectionKey] as Record<string, unknown> | undefined;
    if (!values) continue;
    for (const [fieldKey, field] of Object.entries(section.properties)) {
      const value = values[fieldKey];
      const shown = text(value);
      if (!shown) continue;
      const title = field.title;
      if (TAG_TITLE.test(title) && (field['x-widget'] === 'choice' || field['x-widget'] === 'multichoice')) summary.tags.push(...shown.split('、'));
      else if (COMMIT_TITLE.test(title) && value === true) summary.commitments.push(title);
      else if (OPEN_TITLE.test(title) && field['x-widget'] !== 'yesno') summary.openItems.push(`${title}：${shown}`);
      else if (field['x-widget'] === 'textarea' && summary.highlights.length < 3) summary.highlights.push({ label: title, value: shown.slice(0, 120) });
    }
  }
  const followUp = answers.followUp as { action: string; dueDate: string; note?: string } | undefined;
  if (followUp) {
    summary.nextAction = followUp;
    summary.commitments.push(`${followUp.dueDate} 前${followUp.action}`);
  }
  summary.tags = [...new Set(summary.tags)];
  return summary;
}
