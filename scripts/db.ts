// `npm run db -- start|stop|status|build`: manage the local development database (data in .data/dev).
import { ensureEngine, namedDbStatus, startNamedDb, stopNamedDb } from './lib/local-db.ts';
import { enginePrefix } from './lib/documentdb.ts';

const cmd = process.argv[2] ?? 'status';
if (process.env.MONGODB_URI && cmd !== 'status') {
  console.log('MONGODB_URI is set: no local database is used');
} else if (cmd === 'start') {
  const db = await startNamedDb();
  console.log(`${db.startedNow ? 'started' : 'reusing'} ${db.kind} at ${db.uri}${db.dataDir ? `, data in ${db.dataDir}` : ''}`);
} else if (cmd === 'stop') {
  console.log((await stopNamedDb()) ? 'local database stopped' : 'no local database was running');
} else if (cmd === 'build') {
  const kind = ensureEngine(console.log);
  console.log(kind === 'mongod' ? 'mongod is on PATH: nothing to build' : `local database built (DocumentDB + FerretDB gateway in ${enginePrefix})`);
} else if (cmd === 'status') {
  if (process.env.MONGODB_URI) {
    console.log(`MONGODB_URI is set (${process.env.MONGODB_URI.replace(/\/\/[^@/]*@/, '//***@')}): no local database is used`);
  } else {
    const s = namedDbStatus();
    console.log(s ? `${s.versions}: running (pid ${s.pid}) on port ${s.port}${s.pgPort ? ` (PostgreSQL on ${s.pgPort})` : ''}, data in ${s.dataDir}` : 'not running');
  }
} else {
  console.error('usage: npm run db -- start|stop|status|build');
  process.exit(2);
}
