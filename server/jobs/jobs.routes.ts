// Notification settings: when each scheduled job runs and which chat robots each team's board goes to (admins).
import { route } from '../http/route.ts';
import type { JobsService, SettingsInput } from './jobs.service.ts';

const ADMIN = ['admin'] as const;

export function jobRoutes(jobs: JobsService) {
  return [
    route({
      method: 'get', path: '/settings/notifications', tag: 'messages', roles: ADMIN,
      summary: '消息与定时任务设置（时间、团队机器人）/ Notification settings: job times and team robots',
      handler: async ({ auth }) => jobs.settings(auth),
    }),
    route<SettingsInput>({
      method: 'put', path: '/settings/notifications', tag: 'messages', roles: ADMIN,
      summary: '修改消息与定时任务设置（只改提交的部分）/ Change notification settings (only what is given)',
      body: 'api/messages.json#/$defs/NotificationSettingsBody',
      handler: async ({ auth, body }) => jobs.updateSettings(auth, body),
    }),
  ];
}
