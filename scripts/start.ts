// `npm start`: local database (unless MONGODB_URI), demo tenant with the built-in templates, server, URLs.
import { startNamedDb } from './lib/local-db.ts';
import { loadConfig } from '../server/config.ts';
import { startServer } from '../server/main.ts';
import { DEMO_TENANT } from '../server/tenants/demo-tenant.ts';

const db = await startNamedDb();
console.log(db.kind === 'external'
  ? `database: MONGODB_URI (${db.uri.replace(/\/\/[^@/]*@/, '//***@')})`
  : `database: ${db.startedNow ? 'started' : 'reusing'} local ${db.kind} at ${db.uri}, data in ${db.dataDir} (stop with: npm run db -- stop)`);

// The demo is for trying the product locally: its development login is switched on explicitly here.
const config = loadConfig({ DEV_LOGIN_ENABLED: '1', ...process.env, MONGODB_URI: db.uri });
const running = await startServer(config, { seedDemo: true });
const base = config.publicUrl;
console.log(`
外勤拜访服务已启动 / Field Visit server is up
  API           ${base}/api
  API 文档 docs  ${base}/docs   (OpenAPI: ${base}/openapi.json)
  健康 health    ${base}/health
  就绪 ready     ${base}/ready
  演示企业 demo tenant "${DEMO_TENANT.code}": users ${DEMO_TENANT.users.map((u) => `${u.username} (${u.role})`).join(', ')}
  登录 login     curl -X POST ${base}/api/auth/dev-login -H 'content-type: application/json' -d '{"tenant":"demo","username":"wang.manager"}'
Press Ctrl+C to stop the server (the database keeps running).`);

const stop = () => void running.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
