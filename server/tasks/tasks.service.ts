// Follow-up tasks (跟进事项) a visit leaves behind: what a rep owes, what a manager sees of the team, and marking
// one done. Reps reach only their own tasks (anyone else's answers the same 404 as a task that does not exist);
// managers list their team's, as with visits.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { AppError, fieldError, notFound } from '../http/errors.ts';
import type { Clock } from '../lib/clock.ts';
import { shanghaiDate } from '../lib/time.ts';
import type { TaskDoc } from './task.model.ts';
import type { RollupHooks } from '../kpis/rollups.service.ts';
import { isDuplicateKey, retryTransient } from '../db/transient.ts';
import { visibleReps, type TeamSource } from '../visits/visit-scope.ts';

/** The slice of the customers service this domain needs. */
export interface CustomerNames {
  namesOf(tenantId: Types.ObjectId, ids: Types.ObjectId[]): Promise<Map<string, string>>;
}

interface Viewer { tenantId: Types.ObjectId; userId: Types.ObjectId; role: string }

export interface TaskFilter {
  status: 'open' | 'done';
  kind: 'followUp';
  /** Managers: one rep's tasks. Ignored for reps, who see only their own. */
  repId?: string;
  limit: number;
}

const TASK = { zh: '跟进事项', en: 'Follow-up task' };
const MAX_OPEN = 500;

export function taskView(t: TaskDoc, customerName: string, today: string) {
  return {
    id: String(t._id), kind: t.kind, repId: String(t.repId), customerId: String(t.customerId), customerName,
    title: t.title, note: t.note, dueDate: t.dueDate, status: t.status,
    // Due dates are calendar days in China time: overdue from the day after the due date.
    overdue: t.status === 'open' && t.dueDate < today,
    visitId: String(t.visitId), doneAt: t.doneAt ?? null, doneNote: t.doneNote ?? null,
  };
}

export type TaskView = ReturnType<typeof taskView>;

/** The open follow-ups of one user due on or before `lastDate`, soonest first (today's screen, reminders). */
export function openDueFilter(viewer: Pick<Viewer, 'tenantId' | 'userId'>, lastDate: string) {
  return {
    filter: { tenantId: viewer.tenantId, repId: viewer.userId, kind: 'followUp' as const, status: 'open' as const, dueDate: op({ $lte: lastDate }) },
    sort: { dueDate: 1 as const, _id: 1 as const },
    limit: MAX_OPEN,
  };
}

export interface NewFollowUp {
  id: Types.ObjectId; visitId: Types.ObjectId; repId: Types.ObjectId; customerId: Types.ObjectId;
  title: string; note: string; dueDate: string; createdAt: Date;
}

export function tasksService(models: Models, customers: CustomerNames, team: TeamSource, clock: Clock, rollups?: Pick<RollupHooks, 'taskChanged'>) {
  async function views(tenantId: Types.ObjectId, tasks: TaskDoc[]): Promise<TaskView[]> {
    const names = await customers.namesOf(tenantId, tasks.map((t) => t.customerId));
    const today = shanghaiDate(clock.now());
    return tasks.map((t) => taskView(t, names.get(String(t.customerId)) ?? '', today));
  }

  return {
    async list(viewer: Viewer, filter: TaskFilter): Promise<TaskView[]> {
      // The visits' scope: a rep their own, a manager their team's (naming another team's rep finds nothing).
      const reps = await visibleReps(team, viewer);
      const named = viewer.role === 'rep' ? undefined : filter.repId;
      const q: Record<string, unknown> = { tenantId: viewer.tenantId, kind: filter.kind, status: filter.status };
      if (reps) q.repId = op({ $in: named ? reps.filter((id) => String(id) === named) : reps });
      else if (named) q.repId = named;
      // What is owed comes soonest-due first; what is done, most recent first.
      const sort: Record<string, 1 | -1> = filter.status === 'open' ? { dueDate: 1, _id: 1 } : { doneAt: -1, _id: -1 };
      const tasks = await models.Task.find(q).sort(sort).limit(filter.limit).lean<TaskDoc[]>();
      return views(viewer.tenantId, tasks);
    },

    /** The open follow-ups of one user due on or before `lastDate` (YYYY-MM-DD), soonest first. */
    async openDueBy(viewer: Viewer, lastDate: string): Promise<TaskView[]> {
      const q = openDueFilter(viewer, lastDate);
      const tasks = await models.Task.find(q.filter).sort(q.sort).limit(q.limit).lean<TaskDoc[]>();
      return views(viewer.tenantId, tasks);
    },

    /**
     * The follow-up task a submitted visit names (visit effect): created once under the id the visit chose, however
     * often it is run. A task already there for the visit (by the unique visit key) counts as done.
     */
    async ensureFollowUp(tenantId: Types.ObjectId, task: NewFollowUp): Promise<void> {
      try {
        await retryTransient(() => models.Task.updateOne(
          { tenantId, _id: task.id },
          { $setOnInsert: { tenantId, visitId: task.visitId, repId: task.repId, customerId: task.customerId, kind: 'followUp', title: task.title, note: task.note, dueDate: task.dueDate, status: 'open', createdAt: task.createdAt } },
          { upsert: true },
        ));
      } catch (err) {
        if (!isDuplicateKey(err)) throw err;
      }
    },

    /**
     * Marks the caller's task done. Repeating it changes nothing and answers the same, so a phone may retry;
     * the conditional update keeps the first doneAt.
     */
    async complete(viewer: Viewer, id: string, input: { note?: string }): Promise<TaskView> {
      const own = { tenantId: viewer.tenantId, _id: id, repId: viewer.userId };
      const note = input.note?.trim() || null;
      const done = await models.Task.findOneAndUpdate(
        { ...own, status: 'open' },
        { $set: { status: 'done', doneAt: clock.now(), doneNote: note } },
        { returnDocument: 'after' },
      ).lean<TaskDoc>();
      const task = done ?? await models.Task.findOne(own).lean<TaskDoc>();
      if (!task) throw notFound(TASK, '/params/id');
      if (done) await rollups?.taskChanged(viewer.tenantId, done._id);
      if (task.status === 'cancelled') {
        throw new AppError('TASK_CANCELLED', [fieldError('/status', 'CANCELLED', '该跟进事项已取消，不能标记完成', 'This follow-up was cancelled and cannot be marked done')]);
      }
      return (await views(viewer.tenantId, [task]))[0]!;
    },
  };
}

export type TasksService = ReturnType<typeof tasksService>;
