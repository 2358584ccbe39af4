// `npm start`: local database (unless MONGODB_URI), demo tenant with the built-in templates, server, URLs.
import { startNamedDb } from './lib/local-db.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { DEMO_TENANT } from '../server/tenants/demo-tenant.ts';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { repoRoot } from './lib/local-db.ts';
import { ensureMiniappBuilt } from './lib/miniapp-build.ts';

function localSecrets(): { QR_SECRET: string; LINK_SECRET: string } {
  const file = join(repoRoot, '.data', 'secrets.json');
  if (!existsSync(file)) {
    mkdirSync(join(repoRoot, '.data'), { recursive: true });
    writeFileSync(file, JSON.stringify({ QR_SECRET: randomBytes(32).toString('hex'), LINK_SECRET: randomBytes(32).toString('hex') }), { mode: 0o600 });
  }
  return JSON.parse(readFileSync(file, 'utf8')) as { QR_SECRET: string; LINK_SECRET: string };
}

const db = await startNamedDb();
console.log(db.kind === 'external'
  ? `database: MONGODB_URI (${db.uri.replace(/\/\/[^@/]*@/, '//***@')})`
  : `database: ${db.startedNow ? 'started' : 'reusing'} local ${db.kind} at ${db.uri}, data in ${db.dataDir} (stop with: npm run db -- stop)`);

// The demo is for trying the product locally: its development login is switched on explicitly here, and its
// signing secrets are made once and kept beside the local data (printed store codes stay valid across restarts).
const config = loadConfig({ DEV_LOGIN_ENABLED: '1', ...localSecrets(), ...process.env, MONGODB_URI: db.uri });
try {
  await ensureMiniappBuilt();
} catch (err) {
  // The API still works without the app; /app/ then says how to build it.
  console.error(`the web app build failed (the API starts anyway; fix it and run npm run build:miniapp):\n${(err as Error).message}`);
}
const running = await startServer(config, { seedDemo: true });
const base = config.publicUrl;
console.log(`
外勤拜访服务已启动 / Field Visit server is up
  小程序 mini-app  ${base}/app/   (浏览器模式：选择演示业务员登录 / browser mode: pick a demo rep)
  管理后台 console ${base}/console/   (选择演示主管登录 / pick a demo manager)
  API           ${base}/api
  API 文档 docs  ${base}/docs   (OpenAPI: ${base}/openapi.json)
  健康 health    ${base}/health
  就绪 ready     ${base}/ready
  演示企业 demo tenant "${DEMO_TENANT.code}": users ${DEMO_TENANT.users.map((u) => `${u.username} (${u.role})`).join(', ')}
                3 published visit forms and 6 Shanghai customers held by the reps
  登录 login     curl -X POST ${base}/api/auth/dev-login -H 'content-type: application/json' -d '{"tenant":"demo","username":"wang.manager"}'
Press Ctrl+C to stop the server (the database keeps running).`);

const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
