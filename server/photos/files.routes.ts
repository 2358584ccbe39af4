// Photo files behind signed, expiring links (/files/photos/:id/:variant?tenant&exp&sig), for <img> tags.
import Router from '@koa/router';
import type { PhotosService } from './photos.service.ts';

export function filesRouter(photos: PhotosService): Router {
  const router = new Router();
  router.get('/files/photos/:id/:variant', async (ctx) => {
    const q = ctx.query;
    const file = await photos.openLink(ctx.params.id ?? '', ctx.params.variant ?? '', String(q.tenant ?? ''), Number(q.exp ?? 0), String(q.sig ?? ''));
    ctx.type = file.type;
    ctx.set('cache-control', 'private, max-age=600');
    ctx.body = file.data;
  });
  return router;
}
