// One visit as a row of the visits export: who, where, which form version, the times, and the judgement in all its
// layers (machine verdict with its reasons, a manager's override, the call-back, the band that counts). Pure.
import { shanghaiMinute } from '../lib/time.ts';
import { effectiveBand, type Band } from '../reviews/reviews.service.ts';
import { answerCells, type CellValue, type FieldColumn } from './export-columns.ts';
import type { FieldSchema } from '../forms/form-types.ts';

/** A cell that also asks for a band colour ('none': the grey of "no data"). */
export interface StyledCell { value: CellValue; band?: Band | 'none' | null }
export type Cell = CellValue | StyledCell;

export interface ExportReason { message_zh?: string; weight?: number; counted?: boolean }

/** The parts of a stored visit the export reads (a lean projection). */
export interface ExportVisit {
  _id: unknown;
  repId: unknown;
  customerId: unknown;
  customer?: { name?: string; type?: string; class?: string };
  form: { formId: unknown; version: number };
  visitType?: 'onsite' | 'phone';
  start?: { deviceTime?: Date };
  checkIn?: { deviceTime?: Date };
  checkOut?: { deviceTime?: Date };
  submitted?: { deviceTime?: Date };
  answers?: Record<string, unknown>;
  verdict?: { score?: number; band?: Band; reasons?: ExportReason[] } | null;
  override?: { band?: Band; reason?: string; byName?: string; at?: Date } | null;
  callback?: { outcome?: 'confirmed' | 'denied' | 'unreachable'; note?: string } | null;
}

/** What a row needs besides the visit: names looked up in batches and the column plan. */
export interface RowContext {
  repName(repId: string): string;
  customerCode(customerId: string): string;
  formName(formId: string): string;
  specs(formId: string, version: number): Map<string, FieldSchema> | undefined;
  columns: readonly FieldColumn[];
}

export const BAND_ZH: Record<Band, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
const OUTCOME_ZH = { confirmed: '属实', denied: '不属实', unreachable: '未接通' } as const;

export const VISIT_HEADERS = [
  '拜访编号', '业务员', '客户编码', '客户名称', '客户类型', '等级', '表单', '表单版本', '拜访方式', '签到时间', '签退时间',
  '停留(分钟)', '提交时间', '真实性得分', '机器结论', '主管改判', '回访结果', '最终结论', '原因', '跟进事项', '跟进期限',
] as const;

/** Columns whose content is long prose: a wider cap. */
export const WIDE_VISIT_COLUMNS = new Set(['原因', '主管改判']);

const time = (d: Date | undefined): CellValue => (d ? shanghaiMinute(new Date(d)) : null);

export function reasonsText(reasons: readonly ExportReason[] | undefined): string {
  return (reasons ?? [])
    .filter((r) => r.message_zh)
    .map((r) => `${r.message_zh}${r.counted === false ? '（同类已扣分）' : r.weight ? `（扣 ${r.weight} 分）` : ''}`)
    .join('；');
}

function stayMinutes(v: ExportVisit): CellValue {
  if (v.visitType === 'phone' || !v.checkIn?.deviceTime || !v.checkOut?.deviceTime) return null;
  return Math.round((new Date(v.checkOut.deviceTime).getTime() - new Date(v.checkIn.deviceTime).getTime()) / 6_000) / 10;
}

export function visitRow(v: ExportVisit, ctx: RowContext): Cell[] {
  const formId = String(v.form.formId);
  const machine = v.verdict?.band ?? null;
  const final = effectiveBand(v) ?? null;
  const o = v.override;
  const followUp = v.answers?.followUp as { action?: string; dueDate?: string } | undefined;
  return [
    String(v._id),
    ctx.repName(String(v.repId)),
    ctx.customerCode(String(v.customerId)),
    v.customer?.name ?? '',
    v.customer?.type ?? '',
    v.customer?.class ?? '',
    ctx.formName(formId),
    v.form.version,
    v.visitType === 'phone' ? '电话' : '现场',
    time(v.checkIn?.deviceTime ?? v.start?.deviceTime),
    time(v.checkOut?.deviceTime),
    stayMinutes(v),
    time(v.submitted?.deviceTime),
    typeof v.verdict?.score === 'number' ? v.verdict.score : null,
    { value: machine ? BAND_ZH[machine] : null, band: machine },
    o?.band ? `${BAND_ZH[o.band]}：${o.reason ?? ''}${o.byName ? `（${o.byName}${o.at ? ` ${shanghaiMinute(new Date(o.at))}` : ''}）` : ''}` : null,
    v.callback?.outcome ? `${OUTCOME_ZH[v.callback.outcome]}${v.callback.note ? `：${v.callback.note}` : ''}` : null,
    { value: final ? BAND_ZH[final] : null, band: final },
    reasonsText(v.verdict?.reasons) || null,
    followUp?.action ?? null,
    followUp?.dueDate ?? null,
    ...answerCells(ctx.columns, v.answers, ctx.specs(formId, v.form.version)),
  ];
}
