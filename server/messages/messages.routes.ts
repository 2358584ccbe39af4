// The delivery log (what was sent when, with status and attempts) and the board preview (rendered, not sent).
import { route } from '../http/route.ts';
import type { JobsService } from '../jobs/jobs.service.ts';
import type { LogQuery, MessagesService, PreviewQuery } from './messages.service.ts';

const MANAGERS = ['admin', 'manager'] as const;
const S = (name: string) => `api/messages.json#/$defs/${name}`;

export function messageRoutes(messages: MessagesService, jobs: JobsService) {
  return [
    route<unknown, LogQuery>({
      method: 'get', path: '/messages/log', tag: 'messages', roles: MANAGERS, query: S('MessageLogQuery'),
      summary: '消息发送记录（状态与每次尝试）/ Delivery log: messages with status and attempts',
      handler: async ({ auth, query }) => messages.log(auth, query),
    }),
    route<unknown, PreviewQuery>({
      method: 'get', path: '/messages/preview/board', tag: 'messages', roles: MANAGERS, query: S('BoardPreviewQuery'),
      summary: '预览团队红黄绿灯看板消息（不发送）/ Preview a team\'s board message without sending it',
      handler: async ({ auth, query }) => messages.previewBoard(auth, query, await jobs.hostInUse(auth.tenantId)),
    }),
  ];
}
