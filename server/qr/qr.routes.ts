// Store codes for managers: the payload, a printable PNG, and key rotation (revokes every printed code).
import QRCode from 'qrcode';
import { qrSheetPdf } from './qr-sheet.ts';
import { route } from '../http/route.ts';
import type { QrService } from './qr.service.ts';
import type { AuthState } from '../users/auth.ts';

const MANAGERS = ['admin', 'manager'] as const;
const ID = 'api/common.json#/$defs/IdParams';

/** `customerExists` keeps codes from being minted for ids of other tenants or deleted customers. */
export interface QrCustomer { name: string; address: string; code: string }

export function qrRoutes(qr: QrService, customerOf: (auth: AuthState, id: string) => Promise<QrCustomer>, fontFile: string) {
  return [
    route<{ customerIds: string[] }>({
      method: 'post', path: '/qr/sheet', tag: 'qr', roles: MANAGERS,
      summary: '批量打印门头二维码（A4 PDF，每页 6 个）/ Printable A4 sheet of store codes for a selection',
      body: 'api/visits.json#/$defs/QrSheetBody',
      handler: async ({ auth, body, ctx }) => {
        const items = [];
        for (const id of body.customerIds) {
          const c = await customerOf(auth, id);
          items.push({ name: c.name, address: c.address, code: c.code, payload: await qr.codeFor(auth.tenantId, id) });
        }
        ctx.type = 'application/pdf';
        ctx.set('content-disposition', 'attachment; filename="store-qr-codes.pdf"');
        return qrSheetPdf(items, fontFile, '门头二维码 / Store QR codes');
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/customers/:id/qr', tag: 'qr', roles: MANAGERS, params: ID,
      summary: '门店二维码内容 / The signed store code of a customer',
      handler: async ({ auth, params }) => {
        await customerOf(auth, params.id);
        return { payload: await qr.codeFor(auth.tenantId, params.id) };
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/customers/:id/qr.png', tag: 'qr', roles: MANAGERS, params: ID,
      summary: '可打印的门店二维码 PNG / Printable store code (PNG)',
      handler: async ({ auth, params, ctx }) => {
        await customerOf(auth, params.id);
        const png = await QRCode.toBuffer(await qr.codeFor(auth.tenantId, params.id), { errorCorrectionLevel: 'M', width: 600, margin: 2 });
        ctx.type = 'image/png';
        ctx.set('content-disposition', `inline; filename="store-${params.id}.png"`);
        return png;
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/customers/:id/qr/display-link', tag: 'qr', roles: MANAGERS, params: ID,
      summary: '门店屏幕动态码页面链接（约 20 秒换一次码）/ Link to the rotating-code page for a store screen',
      handler: async ({ auth, params }) => {
        await customerOf(auth, params.id);
        return { path: await qr.displayPath(auth.tenantId, params.id) };
      },
    }),
    route<{ graceHours?: number }>({
      method: 'post', path: '/qr/rotate', tag: 'qr', roles: ['admin'], bodyOptional: true,
      summary: '轮换二维码密钥（旧码全部作废，可设宽限期）/ Rotate the code key: revokes all printed codes, optional grace',
      body: 'api/visits.json#/$defs/RotateQrBody',
      handler: async ({ auth, body }) => qr.rotate(auth.tenantId, body.graceHours ?? 0),
    }),
  ];
}
