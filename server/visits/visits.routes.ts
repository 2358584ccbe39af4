// Visit lifecycle routes. Every mutation is idempotent (Idempotency-Key), so a phone may retry any step.
import { route } from '../http/route.ts';
import { sentAtOf } from '../http/sent-at.ts';
import { AppError, fieldError } from '../http/errors.ts';
import type { MultipartBody } from '../http/multipart.ts';
import type { PhotosService } from '../photos/photos.service.ts';
import type { PhotoDoc } from '../photos/photo.model.ts';
import type { FixInput, StartInput, VisitsService } from './visits.service.ts';
import type { VisitDoc } from './visit.model.ts';
import { effectiveBand } from '../reviews/reviews.service.ts';
import { shanghaiDayStart } from '../lib/time.ts';
import { parseQueueCursor, queueCursorText, type Band } from './visit-filters.ts';

const REP = ['rep'] as const;
const EVERYONE = ['admin', 'manager', 'rep'] as const;
const ID = 'api/common.json#/$defs/IdParams';
const S = (name: string) => `api/visits.json#/$defs/${name}`;

export function visitView(v: VisitDoc) {
  const lagMs = v.submitted ? v.submitted.receivedAt.getTime() - v.submitted.deviceTime.getTime() : undefined;
  return {
    id: v._id, repId: v.repId, customerId: v.customerId, customer: v.customer, form: v.form, status: v.status,
    start: v.start, fixes: v.fixes, checkIn: v.checkIn ?? null, checkOut: v.checkOut ?? null, answers: v.answers,
    contactsMet: v.contactsMet, submitted: v.submitted ?? null,
    /** How long the report waited on the phone (offline queue), in seconds. */
    uploadLagSeconds: lagMs === undefined ? null : Math.round(lagMs / 1000),
    verdict: v.verdict ?? null, override: v.override ?? null, callback: v.callback ?? null, review: v.review ?? null, effectiveBand: effectiveBand(v as Parameters<typeof effectiveBand>[0]) ?? null,
    audit: v.audit ?? [], summary: v.summary ?? null, followUpTaskId: v.followUpTaskId ?? null,
    appeal: v.appeal ?? null,
    /** The paging key of GET /visits (`before`). */
    createdAt: v.createdAt,
  };
}

interface ListQuery {
  status?: string; customerId?: string; limit?: string; before?: string;
  repId?: string; from?: string; to?: string; band?: string; formId?: string; version?: string; queue?: string; cursor?: string;
}

/** Combinations the schema cannot express, refused with pointers. */
function checkListQuery(q: ListQuery): void {
  const errors = [];
  if (q.from && q.to && q.from > q.to) errors.push(fieldError('/query/to', 'RANGE', '结束日期不能早于开始日期', 'The end date is before the start date'));
  if (q.version && !q.formId) errors.push(fieldError('/query/version', 'REQUIRES_FORM_ID', '按版本筛选时请同时指定表单 formId', 'Filter by version only together with formId'));
  const queue = q.queue === '1';
  if (queue && q.status && q.status !== 'submitted') errors.push(fieldError('/query/status', 'QUEUE_SUBMITTED_ONLY', '审核队列只包含已提交的拜访', 'The review queue holds submitted visits only'));
  if (queue && q.before) errors.push(fieldError('/query/before', 'USE_CURSOR', '审核队列请用 cursor 翻页', 'Page the review queue with cursor'));
  if (!queue && q.cursor) errors.push(fieldError('/query/cursor', 'QUEUE_ONLY', 'cursor 仅用于审核队列（queue=1）', 'cursor pages the review queue (queue=1) only'));
  if (errors.length > 0) throw new AppError('VALIDATION_FAILED', errors);
}

/** A bare date pages from the start of that day in China time; a date-time is taken as is. */
function pageCursor(before: string): Date {
  return before.length === 10 ? shanghaiDayStart(before) : new Date(before);
}

export function photoView(p: PhotoDoc, photos: PhotosService) {
  return {
    id: p._id, kind: p.kind, source: p.source, format: p.format, width: p.width, height: p.height, sha256: p.sha256,
    exif: p.exif ?? null, receivedAt: p.receivedAt, url: photos.link(p, 'watermarked'),
  };
}

export function visitRoutes(visits: VisitsService, photos: PhotosService, photoLimitBytes: number) {
  return [
    route<StartInput>({
      method: 'post', path: '/visits', tag: 'visits', roles: REP, status: 201, idempotent: true,
      summary: '开始拜访（扫码或选择客户）/ Start a visit by scanning the store code or picking the customer',
      body: S('StartVisitBody'),
      handler: async ({ ctx, auth, body }) => visitView(await visits.start(auth, { ...body, sentAt: sentAtOf(ctx), startKey: ctx.get('idempotency-key') || undefined })),
    }),
    route<unknown, ListQuery>({
      method: 'get', path: '/visits', tag: 'visits', roles: EVERYONE, query: S('ListQuery'),
      summary: '拜访列表，最新在前（业务员只看自己的，主管看本团队的；按业务员、日期、灯色、客户、表单版本、状态筛选；queue=1 为审核队列：红灯、黄灯优先，未审核在前）/ List visits, newest first (a rep their own, a manager their team\'s; filters by rep, check-in dates, effective band, customer, form version, status; queue=1 is the review queue: red then yellow, unreviewed first; page on with before=nextBefore, or cursor=nextCursor in the queue)',
      handler: async ({ auth, query }) => {
        checkListQuery(query);
        const limit = Number(query.limit ?? 50);
        const filter = {
          status: query.status, customerId: query.customerId, repId: query.repId, from: query.from, to: query.to,
          bands: query.band ? (query.band.split(',') as Band[]) : undefined, formId: query.formId,
          version: query.version ? Number(query.version) : undefined, limit,
        };
        if (query.queue === '1') {
          const page = await visits.queue(auth, { ...filter, cursor: query.cursor ? parseQueueCursor(query.cursor) : undefined });
          return { items: page.items.map(visitView), nextBefore: null, nextCursor: page.next ? queueCursorText(page.next) : null };
        }
        const items = await visits.list(auth, { ...filter, before: query.before ? pageCursor(query.before) : undefined });
        const last = items.at(-1);
        return { items: items.map(visitView), nextBefore: items.length === limit && last ? last.createdAt : null, nextCursor: null };
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/visits/:id', tag: 'visits', roles: EVERYONE, summary: '拜访详情 / Get a visit', params: ID,
      handler: async ({ auth, params }) => visitView(await visits.load(auth, params.id)),
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/visits/:id/context', tag: 'visits', roles: ['admin', 'manager'], params: ID,
      summary: '审核所需的旁证：围栏、业务员近期拜访、扣分原因及实测值 / What a reviewer needs beside a visit: the fence used, the rep\'s recent visits, the reasons with measured values',
      handler: async ({ auth, params }) => visits.context(auth, params.id),
    }),
    route<{ fixes: FixInput[]; host?: string }, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/check-in', tag: 'visits', roles: REP, idempotent: true,
      summary: '签到：一组定位 / Check in with a burst of location fixes', params: ID, body: S('CheckInBody'),
      handler: async ({ ctx, auth, params, body }) => visitView(await visits.checkIn(auth, params.id, { ...body, sentAt: sentAtOf(ctx) })),
    }),
    route<{ answers: Record<string, unknown>; contactsMet?: string[] }, unknown, { id: string }>({
      method: 'put', path: '/visits/:id/answers', tag: 'visits', roles: REP, idempotent: true,
      summary: '保存填写草稿 / Save the answers as a draft', params: ID, body: S('AnswersBody'),
      handler: async ({ auth, params, body }) => visitView(await visits.saveAnswers(auth, params.id, body)),
    }),
    route<MultipartBody, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/photos', tag: 'visits', roles: REP, status: 201, idempotent: true,
      summary: '上传照片（multipart：file、kind、source、deviceTime）/ Upload a photo', params: ID, body: S('PhotoFields'),
      multipart: { limitBytes: photoLimitBytes },
      handler: async ({ ctx, auth, params, body }) => {
        if (!body.file) throw new AppError('VALIDATION_FAILED', [fieldError('/file', 'REQUIRED', '请附上照片文件', 'Attach the photo file')]);
        const f = body.fields;
        const photo = await visits.addPhoto(auth, params.id, {
          kind: f.kind!, source: f.source as 'camera' | 'album' | 'unknown', deviceTime: f.deviceTime ? new Date(f.deviceTime) : undefined, data: body.file.data,
          uploadKey: ctx.get('idempotency-key') || undefined,
        });
        return photoView(photo, photos);
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/visits/:id/photos', tag: 'visits', roles: EVERYONE, summary: '拜访照片（含限时链接）/ Photos with expiring links', params: ID,
      handler: async ({ auth, params }) => {
        const visit = await visits.load(auth, params.id);
        return { items: (await photos.ofVisit(auth.tenantId, visit._id)).map((p) => photoView(p, photos)) };
      },
    }),
    route<{ fixes: FixInput[]; deviceTime: string; host?: string }, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/check-out', tag: 'visits', roles: REP, idempotent: true,
      summary: '签退 / Check out', params: ID, body: S('CheckOutBody'),
      handler: async ({ ctx, auth, params, body }) => visitView(await visits.checkOut(auth, params.id, { ...body, sentAt: sentAtOf(ctx) })),
    }),
    route<{ deviceTime: string }, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/submit', tag: 'visits', roles: REP, idempotent: true,
      summary: '提交：校验留痕与填写，给出真实性结论 / Submit: evidence and answers checked, authenticity verdict returned', params: ID, body: S('SubmitBody'),
      handler: async ({ ctx, auth, params, body }) => visitView(await visits.submit(auth, params.id, { ...body, sentAt: sentAtOf(ctx) })),
    }),
  ];
}
