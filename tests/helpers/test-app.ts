// Builds the real app on a fresh database of the shared test server; drop() removes the database.
import { randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { inject } from 'vitest';
import request from 'supertest';
import type { Connection } from 'mongoose';
import { loadConfig, type Config } from '../../server/config.ts';
import { openConnection } from '../../server/db/connection.ts';
import { ensureIndexes, registerModels, type Models } from '../../server/db/models.ts';
import { buildApp } from '../../server/app.ts';
import { listen } from '../../server/http/http-server.ts';
import type { Services } from '../../server/services.ts';
import type { Role } from '../../server/users/user.model.ts';

export interface TestApp {
  server: Server;
  conn: Connection;
  models: Models;
  services: Services;
  config: Config;
  /** Logs a user in through the development login and returns a bearer token. */
  login(tenant: string, username: string): Promise<string>;
  /** Provisions a tenant with admin, manager and two reps (built-in templates included). */
  seedTenant(code: string): Promise<{ tenantId: string; users: Record<string, string> }>;
  close(): Promise<void>;
}

export async function createTestApp(overrides: Partial<Config> = {}): Promise<TestApp> {
  const dbName = `t_${randomBytes(6).toString('hex')}`;
  const config: Config = {
    ...loadConfig({ DEV_LOGIN_ENABLED: '1', QR_SECRET: `qr-${randomBytes(16).toString('hex')}`, LINK_SECRET: `link-${randomBytes(16).toString('hex')}` }),
    mongoUri: inject('mongoUri'), mongoDb: dbName, ...overrides,
  };
  const conn = await openConnection(config.mongoUri, dbName);
  const models = registerModels(conn);
  await ensureIndexes(models);
  const { app, services } = buildApp({ config, conn, models });
  const server = await listen(app, 0, '127.0.0.1');

  return {
    server, conn, models, services, config,
    async login(tenant, username) {
      const res = await request(server).post('/api/auth/dev-login').send({ tenant, username });
      if (res.status !== 200) throw new Error(`login ${tenant}/${username} failed: ${res.status} ${JSON.stringify(res.body)}`);
      return res.body.token as string;
    },
    async seedTenant(code) {
      const users: { username: string; name: string; role: Role; manager?: string }[] = [
        { username: 'admin', name: '管理员', role: 'admin' },
        { username: 'manager', name: '王经理', role: 'manager' },
        { username: 'rep', name: '张伟', role: 'rep', manager: 'manager' },
        { username: 'rep2', name: '刘洋', role: 'rep', manager: 'manager' },
      ];
      const { tenantId } = await services.tenants.provision({ code, name: `企业 ${code}`, users });
      const docs = await models.User.find({ tenantId }).lean();
      return { tenantId: String(tenantId), users: Object.fromEntries(docs.map((u) => [u.username, String(u._id)])) };
    },
    async close() {
      await new Promise<void>((ok) => server.close(() => ok()));
      await conn.dropDatabase();
      await conn.close();
    },
  };
}

/** supertest bound to a server with a bearer token. */
export function as(server: Server, token: string) {
  const auth = (t: request.Test) => t.set('authorization', `Bearer ${token}`);
  return {
    get: (url: string) => auth(request(server).get(url)),
    post: (url: string) => auth(request(server).post(url)),
    put: (url: string) => auth(request(server).put(url)),
    patch: (url: string) => auth(request(server).patch(url)),
    delete: (url: string) => auth(request(server).delete(url)),
  };
}
