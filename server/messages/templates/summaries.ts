// Messages to managers: the weekly team summary, the morning call-back sample and the visit summary card sent when
// a rep submits a visit. Pure.
import type { VisitSummary } from '../../visits/visit-summary.ts';
import { shanghaiMinute } from '../../lib/time.ts';
import { boardUrl, monthDay } from './board.ts';
import { GAP, plain, type Draft, type Line } from './draft.ts';

const BAND_MARK: Record<string, string> = { green: '🟢', yellow: '🟡', red: '🔴' };
const BAND_ZH: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };

export interface RepWeek { repName: string; visits: number; green: number; yellow: number; red: number; followUpsOverdue: number }

export function weeklySummaryDraft(input: { managerName: string; managerId: string; from: string; to: string; reps: RepWeek[]; publicUrl: string }): Draft {
  const sum = (k: keyof Omit<RepWeek, 'repName'>) => input.reps.reduce((s, r) => s + r[k], 0);
  const rows = [...input.reps].sort((a, b) => b.red - a.red || b.yellow - a.yellow || a.repName.localeCompare(b.repName, 'zh'));
  return {
    title: `团队周报 · ${monthDay(input.from)}–${monthDay(input.to)}`,
    intro: [
      { text: `${plain(input.managerName)}，上周团队共完成拜访 ${sum('visits')} 次：🟢 ${sum('green')}${GAP}🟡 ${sum('yellow')}${GAP}🔴 ${sum('red')}。` },
      ...(sum('followUpsOverdue') > 0 ? [{ text: `逾期未完成的跟进事项 ${sum('followUpsOverdue')} 个。` }] : []),
    ],
    blocks: [{
      lines: rows.map((r): Line => ({
        text: `- ${plain(r.repName)}：拜访 ${r.visits}（🟢${r.green} 🟡${r.yellow} 🔴${r.red}）${r.followUpsOverdue > 0 ? `，逾期跟进 ${r.followUpsOverdue}` : ''}`,
      })),
    }],
    outro: [{ text: `[查看团队看板](${boardUrl(input.publicUrl, input.managerId, input.to)})` }],
  };
}

export interface CallbackItem { repName: string; customerName: string; contactName: string; phone: string; band: string | null }

export function callbackSampleDraft(input: { managerName: string; date: string; items: CallbackItem[]; publicUrl: string }): Draft {
  return {
    title: `今日电话回访抽查 · ${monthDay(input.date)}拜访`,
    intro: [{ text: `${plain(input.managerName)}，请回访以下 ${input.items.length} 个拜访并在系统中记录结果：` }],
    blocks: input.items.map((c) => ({
      lines: [{
        text: `- ${BAND_MARK[c.band ?? ''] ?? '⚪'} ${plain(c.customerName)}（${plain(c.repName)}）：${c.contactName ? plain(c.contactName) : '联系人未知'} ${c.phone ? plain(c.phone) : '无电话'}`,
      }],
    })),
    outro: [{ text: `[打开回访清单](${input.publicUrl.replace(/\/+$/, '')}/console/#/callbacks?date=${input.date})` }],
  };
}

export interface VisitCardInput {
  visitId: string;
  repName: string;
  summary: VisitSummary;
  band: string | null;
  score: number | null;
  submittedAt: Date;
  publicUrl: string;
}

/** 拜访摘要卡: what the customer is like, what was promised, what is open, the next step. */
export function visitCardDraft(input: VisitCardInput): Draft {
  const s = input.summary;
  const verdict = input.band ? `${BAND_MARK[input.band] ?? ''} ${BAND_ZH[input.band] ?? input.band}${input.score === null ? '' : `（${input.score} 分）`}` : '';
  const list = (label: string, items: string[]): Line[] => (items.length === 0 ? [] : [{ text: `**${label}**：${items.map(plain).join('；')}` }]);
  return {
    title: `拜访摘要 · ${plain(s.customer)}`,
    intro: [{ text: `${plain(input.repName)} 于 ${shanghaiMinute(input.submittedAt)} 提交${verdict ? `${GAP}${verdict}` : ''}` }],
    blocks: [{
      lines: [
        ...list('客户标签', s.tags),
        ...list('关键承诺', s.commitments),
        ...list('待办问题', s.openItems),
        ...(s.nextAction ? [{ text: `**下一步**：${monthDay(s.nextAction.dueDate)}前${plain(s.nextAction.action)}` }] : []),
        ...s.highlights.map((h) => ({ text: `**${plain(h.label)}**：${plain(h.value)}` })),
      ],
    }],
    outro: [{ text: `[查看拜访详情](${input.publicUrl.replace(/\/+$/, '')}/console/#/visits/${input.visitId})` }],
  };
}
