// The answer columns of a visits export stay put across form versions: a field removed in v2 keeps its column for
// v1 visits, a field added in v2 is empty for them, and every answer reads as a person would write it.
import { describe, expect, it } from 'vitest';
import { answerCells, fieldSpecs, formatAnswer, planFieldColumns, type FormVersionContent } from '../../../server/exports/export-columns.ts';
import { visitRow, VISIT_HEADERS, reasonsText, type ExportVisit, type RowContext } from '../../../server/exports/visit-row.ts';
import type { FormSchema } from '../../../server/forms/form-types.ts';

const field = (title: string, widget: string, extra: Record<string, unknown> = {}) => ({ title, 'x-widget': widget, type: 'string', ...extra });

function form(sections: Record<string, [string, Record<string, ReturnType<typeof field>>]>): FormSchema {
  return {
    type: 'object', title: 'f', 'x-evidence': {},
    properties: Object.fromEntries(Object.entries(sections).map(([k, [title, props]]) => [k, { type: 'object', title, properties: props }])),
  } as unknown as FormSchema;
}

const V1 = form({
  basic: ['基本信息', { purpose: field('拜访目的', 'choice', { enum: ['例行拜访', '新品推广'] }), shelf: field('货架数', 'number', { type: 'integer', 'x-unit': '组' }) }],
  notes: ['备注', { remark: field('备注', 'textarea') }],
});
// v2: shelf removed, competitor added before remark, sections reordered.
const V2 = form({
  notes: ['备注', { competitor: field('竞品活动', 'yesno', { type: 'boolean' }), remark: field('备注', 'textarea') }],
  basic: ['基本信息', { purpose: field('拜访目的', 'choice', { enum: ['例行拜访', '新品推广'] }) }],
});
const versions: FormVersionContent[] = [
  { formId: 'f1', formName: '门店拜访', version: 1, content: V1 },
  { formId: 'f1', formName: '门店拜访', version: 2, content: V2 },
];

describe('the column plan over form versions', () => {
  const columns = planFieldColumns(versions);

  it('lists the latest version\'s fields in their latest order, then the removed field', () => {
    expect(columns.map((c) => c.key)).toEqual(['notes.competitor', 'notes.remark', 'basic.purpose', 'basic.shelf']);
    expect(columns.map((c) => c.header)).toEqual(['备注 / 竞品活动', '备注 / 备注', '基本信息 / 拜访目的', '基本信息 / 货架数（组）（旧版字段）']);
    expect(columns.map((c) => c.removed)).toEqual([false, false, false, true]);
  });

  it('is the same whatever order the versions arrive in', () => {
    expect(planFieldColumns([...versions].reverse())).toEqual(columns);
  });

  it('fills the removed field for a v1 visit and leaves the added one empty', () => {
    const v1 = answerCells(columns, { basic: { purpose: '新品推广', shelf: 4 }, notes: { remark: '店长不在' } }, fieldSpecs(V1));
    expect(v1).toEqual([null, '店长不在', '新品推广', 4]);
    const v2 = answerCells(columns, { basic: { purpose: '例行拜访' }, notes: { competitor: true, remark: '' } }, fieldSpecs(V2));
    expect(v2).toEqual(['是', null, '例行拜访', null]);
  });

  it('merges two forms: shared keys share a column, forms by name', () => {
    const other = form({ basic: ['基本信息', { purpose: field('目的', 'choice', { enum: ['a'] }), mood: field('客户态度', 'rating', { type: 'integer' }) }] });
    const merged = planFieldColumns([...versions, { formId: 'f0', formName: '电话拜访', version: 1, content: other }]);
    expect(merged.map((c) => c.key)).toEqual(['basic.purpose', 'basic.mood', 'notes.competitor', 'notes.remark', 'basic.shelf']);
  });
});

describe('answer formatting', () => {
  it('writes booleans, lists, contacts, products and signatures as people read them', () => {
    expect(formatAnswer(false, { 'x-widget': 'yesno' })).toBe('否');
    expect(formatAnswer(['感冒发烧', '肠胃用药'], { 'x-widget': 'multichoice' })).toBe('感冒发烧、肠胃用药');
    expect(formatAnswer({ contactId: 'x', name: '王店长', role: '店长', phone: '13800000001' }, { 'x-widget': 'contact' })).toBe('王店长（店长） 13800000001');
    expect(formatAnswer([{ name: '可乐', qty: 3, unit: '箱' }, { sku: 'SP-1', name: '雪碧', qty: 2, unit: '瓶' }], { 'x-widget': 'products' })).toBe('可乐 × 3箱；雪碧 [SP-1] × 2瓶');
    expect(formatAnswer('665f1c0a9b1e8a0012345678', { 'x-widget': 'signature' })).toBe('已签名');
    expect(formatAnswer(12.5, { 'x-widget': 'number' })).toBe(12.5);
    expect(formatAnswer('', { 'x-widget': 'text' })).toBeNull();
    expect(formatAnswer(undefined)).toBeNull();
    expect(formatAnswer('x'.repeat(40_000))).toHaveLength(32_767);
  });
});

describe('a visit row', () => {
  const ctx: RowContext = {
    repName: () => '张伟', customerCode: () => 'SH-0001', formName: () => '门店拜访',
    specs: (_f, v) => fieldSpecs(v === 1 ? V1 : V2), columns: planFieldColumns(versions),
  };
  const visit: ExportVisit = {
    _id: 'v1', repId: 'r', customerId: 'c', customer: { name: '华联超市', type: '商超', class: 'A' }, form: { formId: 'f1', version: 1 },
    checkIn: { deviceTime: new Date('2026-03-02T01:00:00Z') }, checkOut: { deviceTime: new Date('2026-03-02T01:04:30Z') },
    submitted: { deviceTime: new Date('2026-03-02T01:06:00Z') },
    answers: { basic: { purpose: '例行拜访', shelf: 3 }, followUp: { action: '补货跟进', dueDate: '2026-03-05' } },
    verdict: { score: 55, band: 'red', reasons: [
      { message_zh: '在店仅 4.5 分钟，A 类客户至少需要 15 分钟', weight: 25, counted: true },
      { message_zh: '定位在围栏外 350 米', weight: 30, counted: false },
    ] },
    override: { band: 'yellow', reason: '店长确认来过', byName: '王经理', at: new Date('2026-03-03T02:00:00Z') },
  };

  it('carries version, Shanghai times, stay, the verdict layers and the reasons with their numbers', () => {
    const row = visitRow(visit, ctx);
    const cell = (h: (typeof VISIT_HEADERS)[number]) => row[VISIT_HEADERS.indexOf(h)];
    expect(row).toHaveLength(VISIT_HEADERS.length + 4);
    expect(cell('表单版本')).toBe(1);
    expect(cell('签到时间')).toBe('2026-03-02 09:00');
    expect(cell('停留(分钟)')).toBe(4.5);
    expect(cell('机器结论')).toEqual({ value: '红灯', band: 'red' });
    expect(cell('主管改判')).toBe('黄灯：店长确认来过（王经理 2026-03-03 10:00）');
    expect(cell('最终结论')).toEqual({ value: '黄灯', band: 'yellow' });
    expect(cell('原因')).toBe('在店仅 4.5 分钟，A 类客户至少需要 15 分钟（扣 25 分）；定位在围栏外 350 米（同类已扣分）');
    expect(cell('跟进事项')).toBe('补货跟进');
    expect(row.slice(VISIT_HEADERS.length)).toEqual([null, null, '例行拜访', 3]);
  });

  it('lets a call-back outrank the override', () => {
    const row = visitRow({ ...visit, callback: { outcome: 'denied', note: '店长说没来' } }, ctx);
    expect(row[VISIT_HEADERS.indexOf('回访结果')]).toBe('不属实：店长说没来');
    expect(row[VISIT_HEADERS.indexOf('最终结论')]).toEqual({ value: '红灯', band: 'red' });
    expect(reasonsText(undefined)).toBe('');
  });
});
