// Serves the built web apps: the rep mini-app (miniapp/dist) at /app/ and the manager console (miniapp/console/dist)
// at /console/. Vite names what it puts under assets/ by content hash, so those files are cached for a year;
// index.html is revalidated on every load so a new build reaches phones and desks at once.
import { existsSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import type { Middleware } from 'koa';
import mount from 'koa-mount';
import serve from 'koa-static';
import { AppError } from '../http/errors.ts';

export const MINIAPP_PREFIX = '/app';
export const CONSOLE_PREFIX = '/console';

const notBuilt = (zh: string, en: string) => [
  `${zh}尚未构建：请先运行 npm run build:miniapp（npm start 会自动构建）。`,
  `The ${en} has not been built: run npm run build:miniapp (npm start builds it for you).`,
].join('\n');

/** One built single-page app under a path prefix; `home` also answers at the site root. */
function builtApp(prefix: string, distDir: string, notBuiltText: string, home = false): Middleware {
  const root = resolve(distDir);
  const setHeaders = (res: ServerResponse, path: string) => {
    const hashed = relative(root, path).startsWith(`assets${sep}`);
    res.setHeader('Cache-Control', hashed ? 'public, max-age=31536000, immutable' : 'no-cache');
  };
  const files = mount(prefix, serve(root, { index: 'index.html', setHeaders }));
  const withQuery = (path: string, querystring: string) => (querystring ? `${path}?${querystring}` : path);

  return async function serveApp(ctx, next) {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return next();
    // The query survives the redirect (hosts send people back with ?code=...).
    if ((home && ctx.path === '/') || ctx.path === prefix) {
      ctx.redirect(withQuery(`${prefix}/`, ctx.querystring));
      return;
    }
    if (!ctx.path.startsWith(`${prefix}/`)) return next();
    // Checked per request, so a build made while the server runs is served without a restart.
    if (!existsSync(join(root, 'index.html'))) {
      ctx.status = 503;
      ctx.type = 'text/plain; charset=utf-8';
      ctx.set('Cache-Control', 'no-store');
      ctx.body = notBuiltText;
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

/** The rep's mini-app is the product's front door: `/` leads there. */
export function miniappServer(distDir: string): Middleware {
  return builtApp(MINIAPP_PREFIX, distDir, notBuilt('小程序', 'mini-app'), true);
}

export function consoleServer(distDir: string): Middleware {
  return builtApp(CONSOLE_PREFIX, distDir, notBuilt('管理后台', 'manager console'));
}
