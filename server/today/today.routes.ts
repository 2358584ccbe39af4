// The rep's day at a glance (managers may ask for their own too).
import { route } from '../http/route.ts';
import type { TodayService } from './today.service.ts';

export function todayRoutes(today: TodayService) {
  return [
    route({
      method: 'get', path: '/me/today', tag: 'me', roles: ['admin', 'manager', 'rep'],
      summary: '今日：待办跟进、未提交拜访、本月客户覆盖 / Today: follow-ups due, unsubmitted visits, this month\'s coverage',
      handler: async ({ auth }) => today.forUser(auth),
    }),
  ];
}
