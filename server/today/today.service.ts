// "Today" (今日) on the rep's phone: follow-ups due, visits left unsubmitted, and this month's coverage of the
// customers they hold. Each part is one bounded query through its own domain's service, never a load of all visits.
import type { Types } from 'mongoose';
import type { Clock } from '../lib/clock.ts';
import { addDays, shanghaiDate, shanghaiMonth, shanghaiMonthRange } from '../lib/time.ts';
import type { TasksService } from '../tasks/tasks.service.ts';
import type { VisitsService } from '../visits/visits.service.ts';
import type { CustomersService } from '../customers/customers.service.ts';
import type { PlansService, TodayPlanned } from '../plans/plans.service.ts';

interface Viewer { tenantId: Types.ObjectId; userId: Types.ObjectId; role: string; name: string }

export const COVERAGE_CLASSES = ['A', 'B', 'C', 'D'] as const;

export interface Today {
  date: string;
  /** Today's visits of the rep's approved (or submitted) monthly plan, each `done` once visited today. */
  planned: TodayPlanned[];
  followUps: { id: string; customerId: string; customerName: string; title: string; note: string; dueDate: string; overdue: boolean; visitId: string }[];
  awaiting: { visitId: string; customerId: string; customerName: string; status: string; startedAt: Date }[];
  coverage: { month: string; classes: { class: (typeof COVERAGE_CLASSES)[number]; total: number; visited: number }[] };
}

export function todayService(deps: { tasks: TasksService; visits: VisitsService; customers: CustomersService; plans: PlansService }, clock: Clock) {
  async function coverage(viewer: Viewer, now: Date): Promise<Today['coverage']> {
    const { start, end } = shanghaiMonthRange(now);
    const [held, visited] = await Promise.all([
      deps.customers.heldBy(viewer.tenantId, viewer.userId),
      deps.visits.customersVisitedOnSite(viewer, start, end),
    ]);
    const seen = new Set(visited);
    const classes = COVERAGE_CLASSES.map((c) => {
      const ofClass = held.filter((h) => h.class === c);
      return { class: c, total: ofClass.length, visited: ofClass.filter((h) => seen.has(String(h.id))).length };
    });
    return { month: shanghaiMonth(now), classes };
  }

  return {
    async forUser(viewer: Viewer): Promise<Today> {
      const now = clock.now();
      const date = shanghaiDate(now);
      const [followUps, unfinished, cover, planned] = await Promise.all([
        deps.tasks.openDueBy(viewer, addDays(date, 1)),
        deps.visits.unfinished(viewer),
        coverage(viewer, now),
        deps.plans.plannedToday(viewer),
      ]);
      return {
        date,
        planned,
        followUps: followUps.map((t) => ({
          id: t.id, customerId: t.customerId, customerName: t.customerName, title: t.title, note: t.note, dueDate: t.dueDate, overdue: t.overdue, visitId: t.visitId,
        })),
        awaiting: unfinished.map((v) => ({
          visitId: String(v._id), customerId: String(v.customerId), customerName: v.customer.name, status: v.status, startedAt: v.start.deviceTime,
        })),
        coverage: cover,
      };
    },
  };
}

export type TodayService = ReturnType<typeof todayService>;
