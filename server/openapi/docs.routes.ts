// Serves the OpenAPI document and a browsable Swagger UI page from the locally installed swagger-ui-dist.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Router from '@koa/router';
import swaggerUi from 'swagger-ui-dist';

const ASSETS: Record<string, string> = {
  'swagger-ui.css': 'text/css; charset=utf-8',
  'swagger-ui-bundle.js': 'application/javascript; charset=utf-8',
};

const PAGE = `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>外勤拜访 API 文档 / API docs</title>
<link rel="stylesheet" href="/docs/assets/swagger-ui.css"></head>
<body><div id="ui"></div><script src="/docs/assets/swagger-ui-bundle.js"></script>
<script>window.ui = SwaggerUIBundle({ url: '/openapi.json', dom_id: '#ui', deepLinking: true });</script>
</body></html>`;

export function docsRouter(openapi: () => unknown): Router {
  const router = new Router();
  const dir = swaggerUi.getAbsoluteFSPath();
  const cache = new Map<string, Buffer>();
  router.get('/openapi.json', (ctx) => { ctx.body = openapi(); });
  router.get('/docs', (ctx) => { ctx.type = 'html'; ctx.body = PAGE; });
  router.get('/docs/assets/:file', (ctx) => {
    const file = ctx.params.file ?? '';
    const type = ASSETS[file];
    if (!type) return; // falls through to the 404 envelope
    if (!cache.has(file)) cache.set(file, readFileSync(join(dir, file)));
    ctx.type = type;
    ctx.set('cache-control', 'public, max-age=86400');
    ctx.body = cache.get(file);
  });
  return router;
}
