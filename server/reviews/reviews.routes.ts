// Manager review routes: confirm or override a verdict, send a visit to call-back (all audited), and the daily
// phone call-back list with outcomes.
import { route } from '../http/route.ts';
import type { Band, CallbackOutcome, ReviewsService } from './reviews.service.ts';
import { visitView } from '../visits/visits.routes.ts';

const MANAGERS = ['admin', 'manager'] as const;
const ID = 'api/common.json#/$defs/IdParams';

export function reviewRoutes(reviews: ReviewsService) {
  return [
    route<{ band: Band; reason: string }, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/override', tag: 'reviews', roles: MANAGERS,
      summary: '主管改判（保留机器结论并留痕）/ Override the verdict with a reason; the machine verdict is kept and audited',
      params: ID, body: 'api/reviews.json#/$defs/OverrideBody',
      handler: async ({ auth, params, body }) => visitView(await reviews.override(auth, params.id, body)),
    }),
    route<{ note?: string }, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/approve', tag: 'reviews', roles: MANAGERS, bodyOptional: true,
      summary: '确认机器结论（留痕，灯色不变）/ Confirm the machine verdict: audited, marks the visit reviewed, the band stays',
      params: ID, body: 'api/reviews.json#/$defs/ReviewNoteBody',
      handler: async ({ auth, params, body }) => visitView(await reviews.approve(auth, params.id, body ?? {})),
    }),
    route<{ note?: string }, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/callback', tag: 'reviews', roles: MANAGERS, bodyOptional: true,
      summary: '转电话回访（加入今日回访名单，附联系人电话）/ Send to a phone call-back: adds the visit to today\'s call-back list with the contact\'s phone',
      params: ID, body: 'api/reviews.json#/$defs/ReviewNoteBody',
      handler: async ({ auth, params, body }) => {
        const { callback, visit } = await reviews.sendToCallback(auth, params.id, body ?? {});
        return { callback, visit: visitView(visit) };
      },
    }),
    route<unknown, { date: string }>({
      method: 'get', path: '/callbacks', tag: 'reviews', roles: MANAGERS,
      summary: '某日电话回访名单（每日任务抽取，黄灯优先；读取不会抽取）/ A day\'s call-back list (drawn by the daily job, yellow first; reading never draws)',
      query: 'api/reviews.json#/$defs/CallbackQuery',
      handler: async ({ auth, query }) => ({ items: await reviews.callbacksOf(auth, query.date) }),
    }),
    route<{ outcome: CallbackOutcome; note?: string }, unknown, { id: string }>({
      method: 'post', path: '/callbacks/:id/outcome', tag: 'reviews', roles: MANAGERS,
      summary: '记录回访结果（优先于机器结论计分）/ Record the call-back outcome (outranks the machine verdict)',
      params: ID, body: 'api/reviews.json#/$defs/OutcomeBody',
      handler: async ({ auth, params, body }) => reviews.recordOutcome(auth, params.id, body),
    }),
  ];
}
