// The plan's life as pure decisions: draft → submitted → approved, or → returned (with a comment) → edited →
// resubmitted. Each command is allowed from some statuses only; anything else is PLAN_WRONG_STATE.
import { AppError, fieldError } from '../http/errors.ts';
import type { PlanAction, PlanDoc, PlanStatus } from './plan.model.ts';

export type PlanCommand = 'edit' | 'submit' | 'approve' | 'return';

const ALLOWED_FROM: Record<PlanCommand, readonly PlanStatus[]> = {
  edit: ['draft', 'returned'],
  submit: ['draft', 'returned'],
  approve: ['submitted'],
  return: ['submitted'],
};

const STATUS_ZH: Record<PlanStatus, string> = { draft: '草稿', submitted: '待审批', approved: '已批准', returned: '已退回' };
const COMMAND_ZH: Record<PlanCommand, string> = { edit: '修改', submit: '提交', approve: '批准', return: '退回' };
const COMMAND_EN: Record<PlanCommand, string> = { edit: 'edited', submit: 'submitted', approve: 'approved', return: 'returned' };

/** The status a command leads to and the history action it records. */
export function nextStep(command: PlanCommand, from: PlanStatus): { status: PlanStatus; action: PlanAction } {
  if (!ALLOWED_FROM[command].includes(from)) {
    throw new AppError('PLAN_WRONG_STATE', [fieldError('/status', 'WRONG_STATE',
      `计划当前状态为「${STATUS_ZH[from]}」，不能${COMMAND_ZH[command]}`,
      `The plan is ${from}; it cannot be ${COMMAND_EN[command]} now`)]);
  }
  switch (command) {
    case 'edit': return { status: from, action: 'edited' };
    case 'submit': return { status: 'submitted', action: from === 'returned' ? 'resubmitted' : 'submitted' };
    case 'approve': return { status: 'approved', action: 'approved' };
    case 'return': return { status: 'returned', action: 'returned' };
  }
}

/** The action that moved the plan from `revision` to the next one, if it has moved on. */
export function actionAfter(plan: Pick<PlanDoc, 'history'>, revision: number): PlanAction | undefined {
  return plan.history.find((h) => h.revision === revision + 1)?.action;
}

/** Whether the step from `revision` was this command (a retry, or the twin of a concurrent request). */
export function wasDoneBy(command: PlanCommand, plan: Pick<PlanDoc, 'history'>, revision: number): boolean {
  const action = actionAfter(plan, revision);
  if (command === 'submit') return action === 'submitted' || action === 'resubmitted';
  if (command === 'approve') return action === 'approved';
  if (command === 'return') return action === 'returned';
  return false; // two edits from one revision are a conflict, whatever they changed
}

export function revisionConflict(current: number): AppError {
  return new AppError('PLAN_REVISION_CONFLICT', [fieldError('/revision', 'STALE', `计划已被修改（当前版本 ${current}），请刷新后重试`, `The plan was changed meanwhile (now revision ${current}); reload and retry`)]);
}
