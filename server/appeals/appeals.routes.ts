// Appeal routes: the rep files from the mini-app (evidence photos first, then the note), the manager decides in the
// console. The rep's steps are idempotent like every other phone step.
import { route } from '../http/route.ts';
import { AppError, fieldError } from '../http/errors.ts';
import type { MultipartBody } from '../http/multipart.ts';
import type { PhotosService } from '../photos/photos.service.ts';
import { photoView, visitView } from '../visits/visits.routes.ts';
import type { AppealsService, FileInput } from './appeals.service.ts';
import type { DecideInput } from './appeal-rules.ts';

const REP = ['rep'] as const;
const MANAGERS = ['admin', 'manager'] as const;
const ID = 'api/common.json#/$defs/IdParams';
const S = (name: string) => `api/appeals.json#/$defs/${name}`;

export function appealRoutes(appeals: AppealsService, photos: PhotosService, photoLimitBytes: number) {
  return [
    route<MultipartBody, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/appeal/photos', tag: 'appeals', roles: REP, status: 201, idempotent: true,
      summary: '上传申诉佐证照片（multipart：file、source、deviceTime；最多 3 张）/ Upload an evidence photo for an appeal (at most 3)',
      params: ID, body: S('AppealPhotoFields'), multipart: { limitBytes: photoLimitBytes },
      handler: async ({ auth, params, body }) => {
        if (!body.file) throw new AppError('VALIDATION_FAILED', [fieldError('/file', 'REQUIRED', '请附上照片文件', 'Attach the photo file')]);
        const f = body.fields;
        const photo = await appeals.addPhoto(auth, params.id, {
          source: (f.source ?? 'unknown') as 'camera' | 'album' | 'unknown', deviceTime: f.deviceTime ? new Date(f.deviceTime) : undefined, data: body.file.data,
        });
        return photoView(photo, photos);
      },
    }),
    route<FileInput, unknown, { id: string }>({
      method: 'post', path: '/visits/:id/appeal', tag: 'appeals', roles: REP, status: 201, idempotent: true,
      summary: '对红灯/黄灯拜访提出申诉（每个拜访一次）/ Appeal the red or yellow verdict of one\'s own visit (once per visit)',
      params: ID, body: S('AppealBody'),
      handler: async ({ auth, params, body }) => visitView(await appeals.file(auth, params.id, body)),
    }),
    route<unknown, { status?: 'pending' | 'decided'; limit?: string }>({
      method: 'get', path: '/appeals', tag: 'appeals', roles: MANAGERS, query: S('AppealsQuery'),
      summary: '申诉列表（主管看本团队，待处理在前）/ Appeals of my team (an admin: all), waiting ones first',
      handler: async ({ auth, query }) => appeals.list(auth, { status: query.status, limit: query.limit ? Number(query.limit) : undefined }),
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/appeals/:id', tag: 'appeals', roles: MANAGERS, params: ID,
      summary: '申诉详情 / Get an appeal with its visit\'s verdict and the evidence photos',
      handler: async ({ auth, params }) => appeals.get(auth, params.id),
    }),
    route<DecideInput, unknown, { id: string }>({
      method: 'post', path: '/appeals/:id/decide', tag: 'appeals', roles: MANAGERS, params: ID, body: S('DecideBody'),
      summary: '处理申诉：维持原判或改判（改判同主管改判，保留机器结论并留痕，通知业务员）/ Uphold or overturn an appeal (an overturn re-judges the visit; audited; the rep is told)',
      handler: async ({ auth, params, body }) => appeals.decide(auth, params.id, body),
    }),
  ];
}
