// Serves the built rep mini-app (miniapp/dist) at /app/. Vite names what it puts under assets/ by content hash,
// so those files are cached for a year; index.html is revalidated on every load so a new build reaches phones at once.
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import { AppError } from '../http/errors.ts';

export const MINIAPP_PREFIX = '/app';

const NOT_BUILT = [
  '小程序尚未构建：请先运行 npm run build:miniapp（npm start 会自动构建）。',
  'The mini-app has not been built: run npm run build:miniapp (npm start builds it for you).',
].join('\n');

export function miniappServer(distDir: string): Middleware {
  const root = resolve(distDir);
  const setHeaders = (res: ServerResponse, path: string) => {
    const hashed = relative(root, path).startsWith(`assets${sep}`);
    res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  const files = mount(MINIAPP_PREFIX, serve(root, { index: 'index.html', setHeaders }));
  const withQuery = (path: string, querystring: string) => (querystring ? `${path}?${querystring}` : path);

  return async function serveMiniapp(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    // The app is the product's front door for now; the query survives (hosts redirect back with ?code=...).
    if (ctx.path === '/' || ctx.path === MINIAPP_PREFIX) {
      ctx.redirect(withQuery(`${MINIAPP_PREFIX}/`, ctx.querystring));
      return;
    }
    if (!ctx.path.startsWith(`${MINIAPP_PREFIX}/`)) return next();
    // Checked per request, so a build made while the server runs is served without a restart.
    if (!existsSync(join(root, 'index.html'))) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = NOT_BUILT;
      return;
    }
    try {
      await files(ctx, next);
    } catch (err) {
      // Undecodable or escaping paths: koa-send throws plain 4xx errors; answer like any unknown route.
      const status = (err as { status?: number }).status;
      if (status !== undefined && status >= 400 && status < 500) throw new AppError('ROUTE_NOT_FOUND');
      throw err;
    }
  };
}
