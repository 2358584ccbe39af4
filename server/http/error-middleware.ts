// Turns every thrown error into the one error envelope; 5xx details are logged, never sent.
import type { Context, Next } from 'koa';
import { AppError } from './errors.ts';
import { logger } from '../lib/logger.ts';
import { isTransient } from '../db/transient.ts';

function isDbDown(err: unknown): boolean {
  const name = (err as { name?: string }).name ?? '';
  return /MongoServerSelectionError|MongoNetworkError|MongoNotConnectedError|MongoTopologyClosedError/.test(name);
}

export function toAppError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const e = err as { code?: number; name?: string; status?: number };
  if (e.code === 11000) return new AppError('CONFLICT');
  if (e.name === 'CastError' || e.name === 'BSONError') return new AppError('INVALID_ID');
  if (isDbDown(err)) return new AppError('DB_UNAVAILABLE');
  if (isTransient(err)) return new AppError('DB_BUSY');
  return new AppError('INTERNAL');
}

export async function errorEnvelope(ctx: Context, next: Next): Promise<void> {
  try {
    await next();
    if (ctx.body === undefined) {
      if (ctx.status === 404) throw new AppError('ROUTE_NOT_FOUND');
      // Set, with an Allow header, by the router's allowedMethods() for a known path with another method.
      if (ctx.status === 405 || ctx.status === 501) throw new AppError('METHOD_NOT_ALLOWED');
    }
  } catch (err) {
    const appErr = toAppError(err);
    if (!(err instanceof AppError)) {
      logger.error('request failed', { method: ctx.method, path: ctx.path, err: (err as Error).stack ?? String(err) });
    }
    ctx.status = appErr.status;
    if (appErr.status === 503) ctx.set('Retry-After', '1');
    ctx.body = appErr.toBody();
  }
}
