// Rows of the rep-scores and plans exports. Pure: the service gathers the data, these lay it out.
import { shanghaiMinute } from '../lib/time.ts';
import type { PlanDoc } from '../plans/plan.model.ts';
import type { IndicatorView } from '../kpis/scorecard.ts';
import type { BoardBreach, Light } from '../kpis/board-types.ts';
import type { SheetColumn } from './xlsx-stream.ts';
import { BAND_ZH, type Cell } from './visit-row.ts';

/** One rep's figures as the KPI service reports them: indicators, and the standing the board gives the rep. */
export interface RepScore {
  repName: string;
  teamName: string;
  indicators: Record<string, IndicatorView>;
  score: number | null;
  grade: string | null;
  /** The board's light (综合灯) and the judged indicators outside green behind it. */
  light: Light;
  breaches: readonly Pick<BoardBreach, 'name_zh' | 'value' | 'unit' | 'band'>[];
}

export const LIGHT_ZH: Record<Light, string> = { ...BAND_ZH, none: '暂无数据' };

/** The indicator keys in the order the KPI service lists them (the same scoring config for every rep). */
export function scoreColumns(keys: readonly string[], sample: RepScore | undefined): SheetColumn[] {
  const names = keys.map((k) => {
    const v = sample?.indicators[k];
    return { header: `${v?.name_zh ?? k}${v?.unit ? `（${v.unit}）` : ''}`, maxWidth: 20 };
  });
  return [{ header: '业务员' }, { header: '团队（主管）' }, ...names, { header: '综合得分' }, { header: '等级' }, { header: '综合灯' }, { header: '未达标指标', maxWidth: 60 }];
}

export function scoreRow(keys: readonly string[], r: RepScore): Cell[] {
  const cells: Cell[] = keys.map((k) => {
    const v = r.indicators[k];
    if (!v || v.value === null) return null;
    return { value: Math.round(v.value * 10) / 10, band: v.band };
  });
  const misses = r.breaches.map((b) => `${b.name_zh} ${Math.round(b.value * 10) / 10}${b.unit}（${BAND_ZH[b.band]}）`);
  return [r.repName, r.teamName, ...cells, r.score, r.grade, { value: LIGHT_ZH[r.light], band: r.light }, misses.join('；') || null];
}

export const PLAN_STATUS_ZH = { draft: '草稿', submitted: '待审批', approved: '已批准', returned: '已退回' } as const;
const ACTION_ZH = { created: '创建', edited: '修改', submitted: '提交', approved: '批准', returned: '退回', resubmitted: '重新提交' } as const;
const VISIT_TYPE_ZH = { onsite: '现场', phone: '电话' } as const;
const time = (d: Date | null | undefined) => (d ? shanghaiMinute(new Date(d)) : null);

export const PLAN_SUMMARY_COLUMNS: SheetColumn[] = [
  { header: '业务员' }, { header: '团队（主管）' }, { header: '月份' }, { header: '状态' }, { header: '计划拜访数' },
  { header: '提交时覆盖缺口' }, { header: '提交时间' }, { header: '审批人' }, { header: '审批时间' }, { header: '最近意见', maxWidth: 60 },
];

export function planSummaryRow(p: PlanDoc, teamName: string): Cell[] {
  const lastComment = [...p.history].reverse().find((h) => h.comment)?.comment ?? null;
  return [
    p.repName, teamName, p.month, PLAN_STATUS_ZH[p.status] ?? p.status, p.items.length, p.gapsAtSubmit, time(p.submittedAt),
    p.decidedByName, time(p.decidedAt), lastComment,
  ];
}

export const PLAN_ITEM_COLUMNS: SheetColumn[] = [
  { header: '业务员' }, { header: '月份' }, { header: '计划状态' }, { header: '日期' }, { header: '客户名称' }, { header: '拜访目的' },
  { header: '目的说明', maxWidth: 50 }, { header: '拜访方式' }, { header: '联系人' }, { header: '联系电话' },
];

export function planItemRows(p: PlanDoc): Cell[][] {
  return [...p.items].sort((a, b) => a.date.localeCompare(b.date)).map((i) => [
    p.repName, p.month, PLAN_STATUS_ZH[p.status] ?? p.status, i.date, i.customerName, i.purpose, i.purposeNote || null,
    VISIT_TYPE_ZH[i.visitType] ?? i.visitType, i.contactName, i.contactPhone,
  ]);
}

export const PLAN_HISTORY_COLUMNS: SheetColumn[] = [
  { header: '业务员' }, { header: '月份' }, { header: '时间' }, { header: '操作人' }, { header: '操作' }, { header: '意见', maxWidth: 60 }, { header: '版本号' },
];

export function planHistoryRows(p: PlanDoc): Cell[][] {
  return p.history.map((h) => [p.repName, p.month, time(h.at), h.byName, ACTION_ZH[h.action] ?? h.action, h.comment, h.revision]);
}
