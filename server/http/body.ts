// JSON body reader: content type checked, size bounded, parse errors reported as MALFORMED_JSON.
import type { Context, Next } from 'koa';
import getRawBody from 'raw-body';
import { AppError, fieldError } from './errors.ts';

const METHODS_WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * No request needs more nesting than this. JSON.parse accepts any depth, but recursive code downstream
 * (JSON.stringify, validators, BSON, which stops at 100 levels) would overflow the stack and answer 500.
 */
export const MAX_BODY_DEPTH = 64;

/** JSON pointer of the first container nested deeper than maxDepth (the root is level 1); iterative, so any depth is safe. */
export function tooDeepAt(value: unknown, maxDepth = MAX_BODY_DEPTH): string | undefined {
  const stack: { node: unknown; at: string; depth: number }[] = [{ node: value, at: '', depth: 1 }];
  for (let item = stack.pop(); item; item = stack.pop()) {
    if (item.node === null || typeof item.node !== 'object') continue;
    if (item.depth > maxDepth) return item.at;
    for (const [key, child] of Object.entries(item.node)) {
      stack.push({ node: child, at: `${item.at}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, depth: item.depth + 1 });
    }
  }
  return undefined;
}

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
    const deep = tooDeepAt(ctx.request.body);
    if (deep !== undefined) {
      throw new AppError('VALIDATION_FAILED', [
        fieldError(deep, 'TOO_DEEP', `嵌套层级过深（上限 ${MAX_BODY_DEPTH} 层）`, `nested too deeply (limit ${MAX_BODY_DEPTH} levels)`),
      ]);
    }
    return next();
  };
}

declare module 'koa' {
  interface Request { body?: unknown }
}
