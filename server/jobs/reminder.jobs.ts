// Personal reminders: the evening "submit today's visits", the morning follow-ups, the monthly plan (draft due,
// approval waiting) and the 24-hour report deadline. Each returns the messages to write; people without a host
// account are counted as skipped.
import type { Types } from 'mongoose';
import { addDays, shanghaiDate, shanghaiDayStart, shanghaiMonth } from '../lib/time.ts';
import type { OutgoingMessage } from '../messages/outbox.ts';
import {
  eveningReminderDraft, followUpReminderDraft, planApprovalDraft, planDraftDueDraft, reportReminderDraft, type WaitingPlan,
} from '../messages/templates/reminders.ts';
import { addMonths, daysInMonth } from '../plans/plan-month.ts';
import { collect, hoursAfter, systemViewer, toPerson, type JobContext, type JobDeps } from './job-context.ts';

type Result = { messages: OutgoingMessage[]; skipped: number };

function groupBy<T>(rows: readonly T[], key: (r: T) => string): Map<string, T[]> {
  const out = new Map<string, T[]>();
  for (const r of rows) out.set(key(r), [...(out.get(key(r)) ?? []), r]);
  return out;
}

export async function eveningReminderJob(ctx: JobContext, deps: JobDeps): Promise<Result> {
  const today = shanghaiDate(ctx.occurrence);
  const open = await deps.data.openVisitsStarted(ctx.tenant._id, shanghaiDayStart(today), ctx.now);
  const people = await deps.data.people(ctx.tenant._id);
  return collect([...groupBy(open, (v) => v.repId)].map(([repId, visits]) => toPerson(ctx, people.get(repId), {
    job: 'eveningReminder', period: ctx.period, target: repId, expiresAt: hoursAfter(ctx.occurrence, 4),
    draft: eveningReminderDraft({ repName: people.get(repId)?.name ?? '', date: today, visits }),
  })));
}

export async function followUpReminderJob(ctx: JobContext, deps: JobDeps): Promise<Result> {
  const today = shanghaiDate(ctx.occurrence);
  const tomorrow = addDays(today, 1);
  const tasks = await deps.data.openTasksDueBy(ctx.tenant._id, tomorrow);
  const names = await deps.customerNames(ctx.tenant._id, tasks.map((t) => t.customerId as Types.ObjectId));
  const people = await deps.data.people(ctx.tenant._id);
  return collect([...groupBy(tasks, (t) => t.repId)].map(([repId, own]) => toPerson(ctx, people.get(repId), {
    job: 'followUpReminder', period: ctx.period, target: repId, expiresAt: hoursAfter(ctx.occurrence, 10),
    draft: followUpReminderDraft({
      repName: people.get(repId)?.name ?? '', today, tomorrow,
      tasks: own.map((t) => ({ title: t.title, dueDate: t.dueDate, customerName: names.get(String(t.customerId)) ?? '' })),
    }),
  })));
}

/** The due day of next month's plan, in this month (the 25th, or the month's last day if shorter). */
export function planDueDate(today: string, draftDueDay: number): string {
  const month = today.slice(0, 7);
  return `${month}-${String(Math.min(draftDueDay, daysInMonth(month))).padStart(2, '0')}`;
}

export async function planReminderJob(ctx: JobContext, deps: JobDeps): Promise<Result> {
  const s = ctx.settings.schedule.planReminder;
  const today = shanghaiDate(ctx.occurrence);
  const thisMonth = shanghaiMonth(ctx.occurrence);
  const nextMonth = addMonths(thisMonth, 1);
  const dueDate = planDueDate(today, s.draftDueDay);
  const viewer = systemViewer(ctx.tenant._id);
  const people = await deps.data.people(ctx.tenant._id);
  const expiresAt = hoursAfter(ctx.occurrence, 10);
  const out: (OutgoingMessage | null)[] = [];

  // Reps: in the days up to the due day, if next month's plan has not gone to the manager.
  if (today >= addDays(dueDate, -s.daysBefore) && today <= dueDate) {
    const status = new Map((await deps.plans.list(viewer, { month: nextMonth })).map((p) => [p.repId, p.status]));
    for (const rep of [...people.values()].filter((p) => p.role === 'rep')) {
      const st = status.get(rep.id);
      if (st === 'submitted' || st === 'approved') continue;
      out.push(toPerson(ctx, rep, {
        job: 'planReminder', period: ctx.period, target: `draft:${rep.id}`, expiresAt,
        draft: planDraftDueDraft({ repName: rep.name, month: nextMonth, dueDate, today, status: st === 'draft' || st === 'returned' ? st : 'none' }),
      }));
    }
  }

  // Managers: every day something waits for them (this month's and next month's plans).
  const waiting = [
    ...await deps.plans.list(viewer, { month: thisMonth, status: 'submitted' }),
    ...await deps.plans.list(viewer, { month: nextMonth, status: 'submitted' }),
  ];
  const byManager = groupBy(waiting.filter((p) => people.get(p.repId)?.managerId), (p) => people.get(p.repId)?.managerId as string);
  for (const [managerId, plans] of byManager) {
    out.push(toPerson(ctx, people.get(managerId), {
      job: 'planReminder', period: ctx.period, target: `approve:${managerId}`, expiresAt,
      draft: planApprovalDraft({ managerName: people.get(managerId)?.name ?? '', plans: plans.map((p): WaitingPlan => ({ repName: p.repName, month: p.month, submittedAt: p.submittedAt })) }),
    }));
  }
  return collect(out);
}

/** Hourly: visits whose 24-hour deadline falls within the next `hoursLeft` hours, reminded once per visit. */
export async function reportReminderJob(ctx: JobContext, deps: JobDeps): Promise<Result> {
  const { hoursLeft } = ctx.settings.schedule.reportReminder;
  const from = hoursAfter(ctx.occurrence, -24);
  const to = hoursAfter(ctx.occurrence, -(24 - hoursLeft));
  const open = await deps.data.openVisitsStarted(ctx.tenant._id, from, to);
  const people = await deps.data.people(ctx.tenant._id);
  return collect(open.map((v) => toPerson(ctx, people.get(v.repId), {
    // Keyed by the visit, not the hour: the overlapping hourly windows remind of a visit once.
    job: 'reportReminder', period: `visit-${v.id}`, target: v.repId, expiresAt: hoursAfter(v.startedAt, 24),
    draft: reportReminderDraft({ repName: people.get(v.repId)?.name ?? '', customerName: v.customerName, startedAt: v.startedAt, deadline: hoursAfter(v.startedAt, 24), status: v.status }),
  })));
}
