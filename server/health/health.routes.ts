// /health: the process is up. /ready: the database answers, so a load balancer may send traffic.
import Router from '@koa/router';
import type { Connection } from 'mongoose';
import { pingDb } from '../db/connection.ts';
import { AppError } from '../http/errors.ts';

export function healthRouter(conn: Connection): Router {
  const router = new Router();
  router.get('/health', (ctx) => { ctx.body = { status: 'ok', uptimeSeconds: Math.round(process.uptime()) }; });
  router.get('/ready', async (ctx) => {
    if (!(await pingDb(conn))) throw new AppError('DB_UNAVAILABLE');
    ctx.body = { status: 'ready' };
  });
  return router;
}
