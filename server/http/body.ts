// JSON body reader: content type checked, size bounded, parse errors reported as MALFORMED_JSON.
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { AppError } from './errors.ts';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function jsonBody(limitBytes: number) {
  return async function readJsonBody(ctx: Context, next: Next): Promise<void> {
    const hasBody = METHODS_WITH_BODY.has(ctx.method) && (Number(ctx.get('content-length') || 0) > 0 || ctx.get('transfer-encoding') !== '');
    if (!hasBody) return next();
    if (!ctx.is('application/json')) throw new AppError('UNSUPPORTED_MEDIA_TYPE');
    let raw: string;
    try {
      raw = await getRawBody(ctx.req, { limit: limitBytes, encoding: 'utf8', length: ctx.get('content-length') || undefined });
    } catch (err) {
      const type = (err as { type?: string }).type;
      if (type === 'entity.too.large') throw new AppError('BODY_TOO_LARGE');
      throw new AppError('MALFORMED_JSON');
    }
    try {
      ctx.request.body = raw.trim() === '' ? undefined : (JSON.parse(raw) as unknown);
    } catch {
      throw new AppError('MALFORMED_JSON');
    }
    return next();
  };
}

declare module 'koa' {
  interface Request { body?: unknown }
}
