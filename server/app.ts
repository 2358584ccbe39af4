// Builds the Koa app from its dependencies; main.ts alone listens. Tests drive this without opening a port.
import Koa from 'koa';
import Router from '@koa/router';
import type { Connection } from 'mongoose';
import type { Config } from './config.ts';
import type { Models } from './db/models.ts';
import { errorEnvelope } from './http/error-middleware.ts';
import { mount, type AnyRoute } from './http/route.ts';
import { idempotent } from './http/idempotency.ts';
import { authenticate } from './users/auth.ts';
import { createServices, type Services } from './services.ts';
import { formRoutes } from './forms/forms.routes.ts';
import { scoringRoutes } from './scoring/scoring.routes.ts';
import { templateRoutes } from './templates/templates.routes.ts';
import { userRoutes } from './users/users.routes.ts';
import { customerRoutes } from './customers/customers.routes.ts';
import { qrRoutes } from './qr/qr.routes.ts';
import { qrDisplayRouter } from './qr/display.routes.ts';
import { visitRoutes } from './visits/visits.routes.ts';
import { hostRoutes } from './hosts/hosts.routes.ts';
import { reviewRoutes } from './reviews/reviews.routes.ts';
import { whatIfRoutes } from './scoring/what-if.routes.ts';
import { filesRouter } from './photos/files.routes.ts';
import { healthRouter } from './health/health.routes.ts';
import { docsRouter } from './openapi/docs.routes.ts';
import { buildOpenApi } from './openapi/openapi.ts';
import { taskRoutes } from './tasks/tasks.routes.ts';
import { todayRoutes } from './today/today.routes.ts';
import { planRoutes } from './plans/plans.routes.ts';
import { consoleServer, miniappServer } from './web/miniapp.routes.ts';
import { kpiRoutes } from './kpis/kpis.routes.ts';
import { systemClock, type Clock } from './lib/clock.ts';
import { jobRoutes } from './jobs/jobs.routes.ts';
import { messageRoutes } from './messages/messages.routes.ts';
import { exportRoutes } from './exports/exports.routes.ts';
import { appealRoutes } from './appeals/appeals.routes.ts';

export interface AppDeps {
  config: Config; conn: Connection; models: Models;
  /** What "now" is for every request: receive times, sessions, store codes, idempotency leases. */
  clock?: Clock;
}

export const API_PREFIX = '/api';

export function apiRoutes(services: Services, config: Config, clock: Clock = systemClock): AnyRoute[] {
  return [
    ...userRoutes(services.users, config.devLoginEnabled),
    ...templateRoutes(services.templates),
    ...formRoutes(services.forms),
    ...scoringRoutes(services.scoring),
    ...customerRoutes(services.customers, services.customerImport, services.customerActivity),
    ...qrRoutes(services.qr, (auth, id) => services.customers.load(auth, id, 'tenant'), config.fontFile),
    ...visitRoutes(services.visits, services.photos, config.photoMaxBytes),
    ...reviewRoutes(services.reviews),
    ...appealRoutes(services.appeals, services.photos, config.photoMaxBytes),
    ...whatIfRoutes(services.scoring, services.visits, services.kpis),
    ...hostRoutes(services.hosts, services.photos),
    ...taskRoutes(services.tasks),
    ...todayRoutes(services.today),
    ...jobRoutes(services.jobs),
    ...messageRoutes(services.messages, services.jobs),
    ...planRoutes(services.plans),
    ...kpiRoutes(services.kpis, services.rollups, clock),
    ...exportRoutes(services.exports, services.photoExports),
  ];
}

export function buildApp(deps: AppDeps): { app: Koa; services: Services } {
  const clock = deps.clock ?? systemClock;
  const services = createServices(deps.models, deps.config, deps.conn, clock);
  const routes = apiRoutes(services, deps.config, clock);
  const app = new Koa();
  app.use(errorEnvelope);

  const api = new Router({ prefix: API_PREFIX });
  mount(api, routes, {
    authenticate: authenticate(deps.models, clock),
    bodyLimitBytes: deps.config.bodyLimitBytes,
    idempotency: idempotent(deps.models.IdempotencyKey, {
      clock, leaseMs: deps.config.idempotencyLeaseMs, waitMs: deps.config.idempotencyLeaseMs + 5_000,
      ttlMs: deps.config.idempotencyTtlDays * 86_400_000,
    }),
  });
  app.use(api.routes());
  // Not `throw: true`: thrown errors skip the Allow header a 405 must carry. errorEnvelope turns the bare 405/501 into METHOD_NOT_ALLOWED.
  app.use(api.allowedMethods());

  let openapi: unknown;
  const docs = docsRouter(() => (openapi ??= buildOpenApi(routes, API_PREFIX, deps.config.publicUrl)));
  const health = healthRouter(deps.conn);
  app.use(health.routes());
  app.use(filesRouter(services.photos).routes());
  app.use(qrDisplayRouter(services.qr).routes());
  app.use(docs.routes());
  app.use(miniappServer(deps.config.miniappDist));
  app.use(consoleServer(deps.config.consoleDist));
  return { app, services };
}
