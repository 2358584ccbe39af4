// Idempotent mutations: the first request with a given Idempotency-Key runs; every repeat gets the first
// response back and changes nothing. Concurrent repeats wait for the first to finish.
import type { Context, Middleware } from 'koa';
import type { Model } from 'mongoose';
import { AppError } from './errors.ts';
import type { AuthState } from '../users/auth.ts';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;
const WAIT_MS = 30_000;

interface Remembered { state: 'pending' | 'done'; method: string; path: string; status?: number; body?: unknown }

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function idempotent(Keys: Model<any>): Middleware {
  return async function rememberResponse(ctx: Context, next) {
    const key = ctx.get('idempotency-key');
    if (!KEY_PATTERN.test(key)) {
      throw new AppError('IDEMPOTENCY_KEY_REQUIRED', [{ field: '/headers/idempotency-key', code: 'REQUIRED', message_zh: '缺少或无效的 Idempotency-Key 请求头（客户端生成的唯一编号）', message_en: 'Missing or invalid Idempotency-Key header (a client-generated unique id)' }]);
    }
    const auth = ctx.state.auth as AuthState;
    const id = { tenantId: auth.tenantId, userId: auth.userId, key };
    try {
      await Keys.create({ ...id, method: ctx.method, path: ctx.path, state: 'pending', createdAt: new Date() });
    } catch (err) {
      if ((err as { code?: number }).code !== 11000) throw err;
      return replay(ctx, await waitForFirst(Keys, id));
    }
    try {
      await next();
    } catch (err) {
      if (err instanceof AppError && err.status < 500) {
        await Keys.updateOne(id, { $set: { state: 'done', status: err.status, body: err.toBody() } });
      } else {
        await Keys.deleteOne(id); // a server failure may be retried for real
      }
      throw err;
    }
    const body = ctx.body === undefined ? null : (JSON.parse(JSON.stringify(ctx.body)) as unknown);
    await Keys.updateOne(id, { $set: { state: 'done', status: ctx.status, body } });
  };
}

async function waitForFirst(Keys: Model<unknown>, id: Record<string, unknown>): Promise<Remembered> {
  const until = Date.now() + WAIT_MS;
  for (;;) {
    const found = await Keys.findOne(id).lean<Remembered>();
    if (!found) throw new AppError('REQUEST_IN_PROGRESS'); // the first attempt failed on the server; retry
    if (found.state === 'done' || Date.now() > until) return found;
    await new Promise((r) => setTimeout(r, 50));
  }
}

function replay(ctx: Context, first: Remembered): void {
  if (first.method !== ctx.method || first.path !== ctx.path) throw new AppError('IDEMPOTENCY_KEY_REUSED');
  if (first.state !== 'done') throw new AppError('REQUEST_IN_PROGRESS');
  ctx.status = first.status ?? 200;
  ctx.body = first.body;
  ctx.set('idempotent-replay', 'true');
}
