// Store codes for managers: the payload, a printable PNG, and key rotation (revokes every printed code).
import QRCode from 'qrcode';
import { route } from '../http/route.ts';
import type { QrService } from './qr.service.ts';
import type { AuthState } from '../users/auth.ts';

const MANAGERS = ['admin', 'manager'] as const;
const ID = 'api/common.json#/$defs/IdParams';

/** `customerExists` keeps codes from being minted for ids of other tenants or deleted customers. */
export function qrRoutes(qr: QrService, customerExists: (auth: AuthState, id: string) => Promise<unknown>) {
  return [
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/customers/:id/qr', tag: 'qr', roles: MANAGERS, params: ID,
      summary: '门店二维码内容 / The signed store code of a customer',
      handler: async ({ auth, params }) => {
        await customerExists(auth, params.id);
        return { payload: await qr.codeFor(auth.tenantId, params.id) };
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/customers/:id/qr.png', tag: 'qr', roles: MANAGERS, params: ID,
      summary: '可打印的门店二维码 PNG / Printable store code (PNG)',
      handler: async ({ auth, params, ctx }) => {
        await customerExists(auth, params.id);
        const png = await QRCode.toBuffer(await qr.codeFor(auth.tenantId, params.id), { errorCorrectionLevel: 'M', width: 600, margin: 2 });
        ctx.type = 'image/png';
        ctx.set('content-disposition', `inline; filename="store-${params.id}.png"`);
        return png;
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
