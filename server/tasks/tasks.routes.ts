// Follow-up task routes: the list (a rep's own, a manager's tenant) and marking one done from the phone.
import { route } from '../http/route.ts';
import type { TasksService } from './tasks.service.ts';

const REP = ['rep'] as const;
const EVERYONE = ['admin', 'manager', 'rep'] as const;
const S = (name: string) => `api/tasks.json#/$defs/${name}`;

interface ListQuery { status?: 'open' | 'done'; kind?: 'followUp'; repId?: string; limit?: string }

export function taskRoutes(tasks: TasksService) {
  return [
    route<unknown, ListQuery>({
      method: 'get', path: '/tasks', tag: 'tasks', roles: EVERYONE, query: S('ListTasksQuery'),
      summary: '跟进事项（业务员看自己的，主管看本企业）/ Follow-up tasks (reps see their own, managers the tenant\'s)',
      handler: async ({ auth, query }) => ({
        items: await tasks.list(auth, { status: query.status ?? 'open', kind: query.kind ?? 'followUp', repId: query.repId, limit: Number(query.limit ?? 100) }),
      }),
    }),
    route<{ note?: string }, unknown, { id: string }>({
      method: 'post', path: '/tasks/:id/complete', tag: 'tasks', roles: REP, idempotent: true,
      summary: '标记跟进事项已完成（可重复调用）/ Mark a follow-up done (repeatable)',
      params: 'api/common.json#/$defs/IdParams', body: S('CompleteTaskBody'), bodyOptional: true,
      handler: async ({ auth, params, body }) => tasks.complete(auth, params.id, body),
    }),
  ];
}
