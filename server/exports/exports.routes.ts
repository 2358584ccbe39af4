// Export routes: Excel workbooks and a photo zip, streamed as downloads (GET, so a plain link works too). Managers
// and admins only; names in Chinese in Content-Disposition.
import type { Context } from 'koa';
import { route } from '../http/route.ts';
import type { Band } from '../reviews/reviews.service.ts';
import { attachmentHeader, type PeopleQuery, type RangeQuery } from './export-scope.ts';
import type { ExportFile, ExportsService, VisitsQuery } from './exports.service.ts';
import type { photoZipService } from './photo-zip.ts';

const MANAGERS = ['admin', 'manager'] as const;
const S = (name: string) => `api/exports.json#/$defs/${name}`;

/** Hands the stream to Koa, which pipes it out and destroys it when the client goes away. */
function send(ctx: Context, file: ExportFile) {
  ctx.type = file.type;
  ctx.set('content-disposition', attachmentHeader(file.name, file.asciiName));
  ctx.set('cache-control', 'no-store');
  return file.body;
}

export function exportRoutes(exports: ExportsService, photos: ReturnType<typeof photoZipService>) {
  return [
    route<unknown, VisitsQuery>({
      method: 'get', path: '/exports/visits.xlsx', tag: 'exports', roles: MANAGERS, query: S('VisitsQuery'),
      summary: '导出拜访明细（含结论、原因与各版本表单字段）/ Export visits with verdicts, reasons and the answers of every form version',
      handler: async ({ ctx, auth, query }) => send(ctx, await exports.visitsXlsx(auth, query)),
    }),
    route<unknown, RangeQuery & PeopleQuery>({
      method: 'get', path: '/exports/rep-scores.xlsx', tag: 'exports', roles: MANAGERS, query: S('ScoresQuery'),
      summary: '导出业务员指标、得分与等级 / Export rep KPIs, scores and grades',
      handler: async ({ ctx, auth, query }) => send(ctx, await exports.repScoresXlsx(auth, query)),
    }),
    route<unknown, { month: string } & PeopleQuery>({
      method: 'get', path: '/exports/plans.xlsx', tag: 'exports', roles: MANAGERS, query: S('PlansQuery'),
      summary: '导出月度拜访计划（条目与审批记录）/ Export the month\'s visit plans with items and approval history',
      handler: async ({ ctx, auth, query }) => send(ctx, await exports.plansXlsx(auth, query)),
    }),
    route<unknown, RangeQuery & PeopleQuery & { band?: Band }>({
      method: 'get', path: '/exports/photos.zip', tag: 'exports', roles: MANAGERS, query: S('PhotosQuery'),
      summary: '导出某期间拜访的水印照片（zip，按拜访分文件夹）/ Export the watermarked photos of a period\'s visits as a zip',
      handler: async ({ ctx, auth, query }) => send(ctx, await photos.byRange(auth, query)),
    }),
    route<{ visitIds: string[] }>({
      method: 'post', path: '/exports/photos.zip', tag: 'exports', roles: MANAGERS, body: S('PhotosSelectionBody'),
      summary: '导出所选拜访的水印照片（zip，最多 500 次拜访）/ Export the watermarked photos of chosen visits (zip, up to 500)',
      handler: async ({ ctx, auth, body }) => send(ctx, await photos.bySelection(auth, body.visitIds)),
    }),
  ];
}
