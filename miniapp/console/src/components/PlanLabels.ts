// Words for plan statuses and history actions (server/plans/plan.model.ts), with the tag colour of each status.
import type { PlanAction, PlanStatus } from '../types/plans.ts';

export const PLAN_STATUS: Record<PlanStatus, [string, string, 'info' | 'warning' | 'success' | 'danger']> = {
  draft: ['草稿', 'Draft', 'info'],
  submitted: ['待审批', 'Submitted', 'warning'],
  approved: ['已批准', 'Approved', 'success'],
  returned: ['已退回', 'Returned', 'danger'],
};

export const PLAN_ACTION: Record<PlanAction, [string, string]> = {
  created: ['创建了计划', 'created the plan'],
  edited: ['修改了计划', 'edited the plan'],
  submitted: ['提交审批', 'submitted it'],
  approved: ['批准', 'approved it'],
  returned: ['退回修改', 'returned it'],
  resubmitted: ['修改后重新提交', 'resubmitted it'],
};
