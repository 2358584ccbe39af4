// Monthly visit plan routes: the rep opens, edits and submits a month; the manager (or an admin) lists the team's
// plans, approves or returns them. Every plan view carries its coverage gaps.
import { route } from '../http/route.ts';
import type { PlanStatus } from './plan.model.ts';
import type { ItemInput } from './plan-items.ts';
import type { PlansService } from './plans.service.ts';

const REP = ['rep'] as const;
const DECIDERS = ['admin', 'manager'] as const;
const EVERYONE = ['admin', 'manager', 'rep'] as const;
const S = (name: string) => `api/plans.json#/$defs/${name}`;
const ID = 'api/common.json#/$defs/IdParams';

type Id = { id: string };

export function planRoutes(plans: PlansService) {
  return [
    route<{ month: string }>({
      method: 'post', path: '/plans', tag: 'plans', roles: REP, body: S('OpenPlanBody'),
      summary: '打开某月的拜访计划（没有则新建草稿，可重复调用）/ Open the visit plan of a month (creates the draft once; repeatable)',
      handler: async ({ auth, body }) => plans.open(auth, body.month),
    }),
    route<unknown, { month: string; status?: PlanStatus; repId?: string }>({
      method: 'get', path: '/plans', tag: 'plans', roles: EVERYONE, query: S('ListPlansQuery'),
      summary: '某月的拜访计划（业务员看自己的，主管看直属下属的，管理员看全部）/ Plans of a month (reps: own; managers: direct reports; admins: all)',
      handler: async ({ auth, query }) => ({ items: await plans.list(auth, query) }),
    }),
    route<unknown, unknown, Id>({
      method: 'get', path: '/plans/:id', tag: 'plans', roles: EVERYONE, params: ID,
      summary: '拜访计划详情（含条目、审批记录与覆盖缺口）/ A visit plan with items, history and coverage gaps',
      handler: async ({ auth, params }) => plans.get(auth, params.id),
    }),
    route<unknown, unknown, Id>({
      method: 'get', path: '/plans/:id/coverage', tag: 'plans', roles: EVERYONE, params: ID,
      summary: '计划未覆盖的客户（按客户等级的拜访频次要求）/ Customers the plan leaves uncovered (visit frequency by class)',
      handler: async ({ auth, params }) => plans.coverage(auth, params.id),
    }),
    route<{ revision: number; items: ItemInput[] }, unknown, Id>({
      method: 'put', path: '/plans/:id/items', tag: 'plans', roles: REP, params: ID, body: S('EditItemsBody'),
      summary: '修改计划条目（草稿或被退回时）/ Replace the plan\'s items (while draft or returned)',
      handler: async ({ auth, params, body }) => plans.editItems(auth, params.id, body),
    }),
    route<{ revision: number }, unknown, Id>({
      method: 'post', path: '/plans/:id/submit', tag: 'plans', roles: REP, params: ID, body: S('SubmitPlanBody'),
      summary: '提交计划给主管审批（有覆盖缺口也可提交）/ Submit the plan for approval (allowed with coverage gaps)',
      handler: async ({ auth, params, body }) => plans.submit(auth, params.id, body),
    }),
    route<{ comment?: string }, unknown, Id>({
      method: 'post', path: '/plans/:id/approve', tag: 'plans', roles: DECIDERS, params: ID, body: S('ApprovePlanBody'), bodyOptional: true,
      summary: '批准拜访计划 / Approve a visit plan',
      handler: async ({ auth, params, body }) => plans.approve(auth, params.id, body),
    }),
    route<{ comment: string }, unknown, Id>({
      method: 'post', path: '/plans/:id/return', tag: 'plans', roles: DECIDERS, params: ID, body: S('ReturnPlanBody'),
      summary: '退回拜访计划（须填写意见）/ Return a visit plan to the rep (a comment is required)',
      handler: async ({ auth, params, body }) => plans.returnPlan(auth, params.id, body),
    }),
  ];
}
