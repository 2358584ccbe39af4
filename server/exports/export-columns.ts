// The answer columns of a visits export, planned over every published version of the forms involved, so a field
// keeps its column whichever version a visit pinned: fields in their latest position first, then fields later
// versions removed (v1 visits still fill them). Pure: no I/O.
import type { FieldSchema, FormSchema } from '../forms/form-types.ts';

/** What a spreadsheet cell holds; null is an empty cell. */
export type CellValue = string | number | null;

export interface FormVersionContent { formId: string; formName: string; version: number; content: FormSchema }

export interface FieldColumn {
  /** `<section>.<field>`: where the answer sits in a visit's answers. */
  key: string;
  section: string;
  field: string;
  /** 区块 / 字段（单位）, from the newest version that has the field. */
  header: string;
  /** No latest version of any form has this field any more. */
  removed: boolean;
}

/** Excel refuses longer cell texts. */
const MAX_CELL_CHARS = 32_767;

function fieldsOf(content: FormSchema): { section: string; field: string; sectionTitle: string; spec: FieldSchema }[] {
  return Object.entries(content.properties ?? {}).flatMap(([section, s]) =>
    Object.entries(s.properties ?? {}).map(([field, spec]) => ({ section, field, sectionTitle: s.title ?? section, spec })));
}

export function headerOf(sectionTitle: string, spec: FieldSchema, removed = false): string {
  const unit = typeof spec['x-unit'] === 'string' ? `（${spec['x-unit']}）` : '';
  return `${sectionTitle} / ${spec.title ?? ''}${unit}${removed ? '（旧版字段）' : ''}`;
}

/**
 * The union of the fields of every version, in a stable order: the latest version of each form (forms by name),
 * section by section; then fields no latest version has, newest version first, in their position there.
 */
export function planFieldColumns(versions: readonly FormVersionContent[]): FieldColumn[] {
  const byForm = new Map<string, FormVersionContent[]>();
  for (const v of versions) byForm.set(v.formId, [...(byForm.get(v.formId) ?? []), v]);
  const forms = [...byForm.values()]
    .map((list) => [...list].sort((a, b) => b.version - a.version))
    .sort((a, b) => a[0]!.formName.localeCompare(b[0]!.formName, 'zh-CN') || a[0]!.formId.localeCompare(b[0]!.formId));
  const columns: FieldColumn[] = [];
  const seen = new Set<string>();
  const add = (f: ReturnType<typeof fieldsOf>[number], removed: boolean) => {
    const key = `${f.section}.${f.field}`;
    if (seen.has(key)) return;
    seen.add(key);
    columns.push({ key, section: f.section, field: f.field, header: headerOf(f.sectionTitle, f.spec, removed), removed });
  };
  for (const [latest] of forms) for (const f of fieldsOf(latest!.content)) add(f, false);
  for (const list of forms) for (const v of list.slice(1)) for (const f of fieldsOf(v.content)) add(f, true);
  return columns;
}

/** The field definitions of one version by `<section>.<field>`, to format that version's answers. */
export function fieldSpecs(content: FormSchema): Map<string, FieldSchema> {
  return new Map(fieldsOf(content).map((f) => [`${f.section}.${f.field}`, f.spec]));
}

const clip = (s: string): string => (s.length > MAX_CELL_CHARS ? `${s.slice(0, MAX_CELL_CHARS - 1)}…` : s);

function contactText(c: unknown): string {
  if (!c || typeof c !== 'object') return String(c ?? '');
  const { name, role, phone } = c as { name?: string; role?: string; phone?: string };
  return [name ?? '', role ? `（${role}）` : '', phone ? ` ${phone}` : ''].join('').trim();
}

function productText(p: unknown): string {
  if (!p || typeof p !== 'object') return String(p ?? '');
  const { name, sku, qty, unit } = p as { name?: string; sku?: string; qty?: number; unit?: string };
  const label = [name, sku && sku !== name ? `[${sku}]` : ''].filter(Boolean).join(' ');
  return qty === undefined ? label : `${label} × ${qty}${unit ?? ''}`;
}

/** One answer as a readable cell: choices as their labels, lists joined, yes/no in Chinese, people and products summarised. */
export function formatAnswer(value: unknown, spec?: Pick<FieldSchema, 'x-widget'>): CellValue {
  if (value === undefined || value === null || value === '') return null;
  const widget = spec?.['x-widget'];
  if (widget === 'signature') return '已签名';
  if (widget === 'contact') return clip((Array.isArray(value) ? value : [value]).map(contactText).filter(Boolean).join('；'));
  if (widget === 'products') return clip((Array.isArray(value) ? value : [value]).map(productText).filter(Boolean).join('；'));
  if (typeof value === 'boolean') return value ? '是' : '否';
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') return clip(value);
  if (Array.isArray(value)) return clip(value.map((x) => (typeof x === 'object' ? JSON.stringify(x) : String(x))).join('、'));
  return clip(JSON.stringify(value));
}

/** The answer cells of one visit in column order; `specs` are the field definitions of the visit's own version. */
export function answerCells(columns: readonly FieldColumn[], answers: Record<string, unknown> | undefined, specs: Map<string, FieldSchema> | undefined): CellValue[] {
  return columns.map((c) => {
    const section = answers?.[c.section];
    const value = section && typeof section === 'object' ? (section as Record<string, unknown>)[c.field] : undefined;
    return formatAnswer(value, specs?.get(c.key));
  });
}
