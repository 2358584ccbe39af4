// Starts the HTTP server: connect, create indexes, listen, shut down cleanly on SIGINT/SIGTERM.
import type { Server } from 'node:http';
import { loadConfig, type Config } from './config.ts';
import { openConnection } from './db/connection.ts';
import { ensureIndexes, registerModels } from './db/models.ts';
import { migrate } from './db/migrations/index.ts';
import { buildApp } from './app.ts';
import { listen } from './http/http-server.ts';
import { logger } from './lib/logger.ts';
import { DEMO_TENANT } from './tenants/demo-tenant.ts';
import { seedDemoData } from './tenants/demo-data.ts';
import { startJobs } from './jobs/runtime.ts';

export interface Running { server: Server; config: Config; close(): Promise<void> }

export async function startServer(config: Config = loadConfig(), options: { seedDemo?: boolean } = {}): Promise<Running> {
  // Store codes and photo links are signed; without secrets nothing could be trusted, so refuse to start.
  if (!config.qrSecret || !config.linkSecret) throw new Error('QR_SECRET (and optionally LINK_SECRET) must be set');
  const conn = await openConnection(config.mongoUri, config.mongoDb);
  const models = registerModels(conn);
  // Documents an earlier version wrote are converted before anything reads them (npm run migrate does the same).
  await migrate(conn.db!, { pendingOnly: true, log: (r) => { if (r.changed > 0) logger.info('migrated', { ...r }); } });
  await ensureIndexes(models);
  const { app, services } = buildApp({ config, conn, models });
  if (options.seedDemo) {
    const { tenantId } = await services.tenants.provision(DEMO_TENANT);
    const users = await models.User.find({ tenantId }).lean();
    await seedDemoData(services, tenantId, Object.fromEntries(users.map((u) => [u.username, u._id])));
  }
  const server = await listen(app, config.port, config.host);
  logger.info('server listening', { url: config.publicUrl });
  // Scheduled jobs and the message sender; every instance may run them (leases keep each run and send single).
  const jobs = config.jobsEnabled ? await startJobs(services) : null;
  return {
    server,
    config,
    async close() {
      await jobs?.stop();
      await new Promise<void>((ok) => server.close(() => ok()));
      await conn.close();
    },
  };
}

const isMain = process.argv[1] && import.meta.url === new URL(`file://${process.argv[1]}`).href;
if (isMain) {
  const running = await startServer(loadConfig(), { seedDemo: process.env.SEED_DEMO === '1' });
  const stop = () => void running.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
