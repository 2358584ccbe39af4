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
    verdict: v.verdict ?? null, override: v.override ?? null, callback: v.callback ?? null, effectiveBand: effectiveBand(v as Parameters<typeof effectiveBand>[0]) ?? null,
    audit: v.audit ?? [], summary: v.summary ?? null, followUpTaskId: v.followUpTaskId ?? null,
    /** The paging key of GET /visits (`before`). */
    createdAt: v.createdAt,
  };
}

interface ListQuery { status?: string; customerId?: string; limit?: string; before?: string }

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
      handler: async ({ ctx, auth, body }) => visitView(await visits.start(auth, { ...body, sentAt: sentAtOf(ctx) })),
    }),
    route<unknown, ListQuery>({
      method: 'get', path: '/visits', tag: 'visits', roles: EVERYONE, query: S('ListQuery'),
      summary: '拜访列表，最新在前（业务员只看自己的；customerId 即某客户的历史拜访，before 翻页）/ List visits, newest first (a rep sees their own; customerId gives a customer\'s history, page on with before=nextBefore)',
      handler: async ({ auth, query }) => {
        const limit = Number(query.limit ?? 50);
        const items = await visits.list(auth, { status: query.status, customerId: query.customerId, limit, before: query.before ? pageCursor(query.before) : undefined });
        const last = items.at(-1);
        return { items: items.map(visitView), nextBefore: items.length === limit && last ? last.createdAt : null };
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/visits/:id', tag: 'visits', roles: EVERYONE, summary: '拜访详情 / Get a visit', params: ID,
      handler: async ({ auth, params }) => visitView(await visits.load(auth, params.id)),
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
      handler: async ({ auth, params, body }) => {
        if (!body.file) throw new AppError('VALIDATION_FAILED', [fieldError('/file', 'REQUIRED', '请附上照片文件', 'Attach the photo file')]);
        const f = body.fields;
        const photo = await visits.addPhoto(auth, params.id, {
          kind: f.kind!, source: f.source as 'camera' | 'album' | 'unknown', deviceTime: f.deviceTime ? new Date(f.deviceTime) : undefined, data: body.file.data,
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
