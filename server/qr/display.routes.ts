// The store-screen page (门店屏幕动态码): shows the store's rotating code, refreshed every few seconds. Public,
// but only through a signed link a manager handed out; a scan of a code older than one window is refused.
import Router from '@koa/router';
import QRCode from 'qrcode';
import { AppError } from '../http/errors.ts';
import type { QrService } from './qr.service.ts';

const PAGE = (svgUrl: string) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>到店扫码签到 / Scan to check in</title>
<style>body{margin:0;height:100vh;display:flex;flex-direction:column;align-items:center;justify-content:center;font-family:sans-serif;background:#fff}
img{width:min(80vw,80vh);height:auto}p{color:#333;font-size:20px}</style></head>
<body><img id="code" alt="门头动态二维码" src="${svgUrl}"><p>请用企业微信或钉钉扫码签到（二维码约 20 秒更新一次）</p>
<script>setInterval(function(){document.getElementById('code').src='${svgUrl}&t='+Date.now();},5000);</script></body></html>`;

export function qrDisplayRouter(qr: QrService): Router {
  const router = new Router();
  const code = async (ctx: { params: Record<string, string | undefined>; query: Record<string, unknown> }) => {
    const payload = await qr.currentDisplayCode(ctx.params.tenant ?? '', ctx.params.customerId ?? '', String(ctx.query.k ?? ''));
    if (!payload) throw new AppError('NOT_FOUND');
    return payload;
  };
  router.get('/qr/display/:tenant/:customerId', async (ctx) => {
    await code(ctx);
    ctx.type = 'html';
    ctx.set('cache-control', 'no-store');
    ctx.body = PAGE(`/qr/display/${ctx.params.tenant}/${ctx.params.customerId}/current.svg?k=${encodeURIComponent(String(ctx.query.k))}`);
  });
  router.get('/qr/display/:tenant/:customerId/current.svg', async (ctx) => {
    ctx.type = 'image/svg+xml';
    ctx.set('cache-control', 'no-store');
    ctx.body = await QRCode.toString(await code(ctx), { type: 'svg', errorCorrectionLevel: 'M', margin: 1 });
  });
  return router;
}
