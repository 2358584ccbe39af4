// Personal reminders to reps and managers (application message / work notification). Pure: facts in, a draft out.
import { shanghaiMinute } from '../../lib/time.ts';
import { monthDay } from './board.ts';
import { plain, type Block, type Draft, type Line } from './draft.ts';

const STEP_ZH: Record<string, string> = { started: '已开始', checkedIn: '已签到', checkedOut: '已签退' };

export interface OpenVisit { customerName: string; status: string; startedAt: Date }

/** Evening: today's visits not submitted yet. */
export function eveningReminderDraft(input: { repName: string; date: string; visits: OpenVisit[] }): Draft {
  return {
    title: `今日拜访待提交 · ${monthDay(input.date)}`,
    intro: [{ text: `${plain(input.repName)}，您今天还有 ${input.visits.length} 个拜访未提交：` }],
    blocks: [{ lines: input.visits.map((v) => ({ text: `- ${plain(v.customerName)}（${STEP_ZH[v.status] ?? v.status}，${shanghaiMinute(v.startedAt).slice(11)} 开始）` })) }],
    outro: [{ text: '请在拜访后 24 小时内补全并提交。' }],
  };
}

export interface DueTask { title: string; customerName: string; dueDate: string }

/** Morning: follow-ups overdue, due today and due tomorrow, each group under its own heading. */
export function followUpReminderDraft(input: { repName: string; today: string; tomorrow: string; tasks: DueTask[] }): Draft {
  const group = (label: string, tasks: DueTask[]): Block[] => (tasks.length === 0 ? [] : [{
    header: { text: `**${label}（${tasks.length}）**` },
    lines: tasks.map((t) => ({ text: `- ${plain(t.customerName)}：${plain(t.title)}（${monthDay(t.dueDate)}）` })),
  }]);
  const overdue = input.tasks.filter((t) => t.dueDate < input.today);
  return {
    title: `跟进事项提醒 · ${monthDay(input.today)}`,
    intro: [{ text: `${plain(input.repName)}，您有 ${input.tasks.length} 个跟进事项需要处理${overdue.length > 0 ? `，其中 ${overdue.length} 个已逾期` : ''}：` }],
    blocks: [
      ...group('已逾期', overdue),
      ...group('今天到期', input.tasks.filter((t) => t.dueDate === input.today)),
      ...group('明天到期', input.tasks.filter((t) => t.dueDate === input.tomorrow)),
    ],
    outro: [{ text: '完成后请在应用中标记已完成。' }],
  };
}

/** A rep whose next month's plan is not submitted by the due day. */
export function planDraftDueDraft(input: { repName: string; month: string; dueDate: string; today: string; status: 'none' | 'draft' | 'returned' }): Draft {
  const [, m] = input.month.split('-');
  const when = input.dueDate === input.today ? '今天' : monthDay(input.dueDate);
  const state = { none: '尚未创建', draft: '还是草稿', returned: '已被退回，待修改' }[input.status];
  return {
    title: `${Number(m)}月拜访计划待提交`,
    intro: [{ text: `${plain(input.repName)}，您的 ${Number(m)} 月拜访计划${state}，请于${when}前提交给主管审批。` }],
    blocks: [],
    outro: [],
  };
}

export interface WaitingPlan { repName: string; month: string; submittedAt: Date | null }

/** A manager with plans waiting for approval. */
export function planApprovalDraft(input: { managerName: string; plans: WaitingPlan[] }): Draft {
  return {
    title: '拜访计划待审批',
    intro: [{ text: `${plain(input.managerName)}，有 ${input.plans.length} 份拜访计划等待您审批：` }],
    blocks: [{
      lines: input.plans.map((p): Line => ({
        text: `- ${plain(p.repName)}：${Number(p.month.slice(5))}月计划${p.submittedAt ? `（${shanghaiMinute(p.submittedAt)} 提交）` : ''}`,
      })),
    }],
    outro: [],
  };
}

/** One visit close to its 24-hour report deadline. */
export function reportReminderDraft(input: { repName: string; customerName: string; startedAt: Date; deadline: Date; status: string }): Draft {
  return {
    title: '拜访报告即将超时',
    intro: [{ text: `${plain(input.repName)}，您在 ${shanghaiMinute(input.startedAt)} 开始的拜访「${plain(input.customerName)}」（${STEP_ZH[input.status] ?? input.status}）还未提交。` }],
    blocks: [],
    outro: [{ text: `请在 ${shanghaiMinute(input.deadline)} 前提交（拜访后 24 小时内）。` }],
  };
}
