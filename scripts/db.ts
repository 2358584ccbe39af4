// `npm run db -- start|stop|status`: manage the local development database (data in .data/dev).
import { namedDbStatus, startNamedDb, stopNamedDb } from './lib/local-db.ts';

const cmd = process.argv[2] ?? 'status';
if (cmd === 'start') {
  const db = await startNamedDb();
  console.log(`${db.startedNow ? 'started' : 'reusing'} ${db.kind} at ${db.uri}${db.dataDir ? `, data in ${db.dataDir}` : ''}`);
} else if (cmd === 'stop') {
  console.log((await stopNamedDb()) ? 'local database stopped' : 'no local database was running');
} else if (cmd === 'status') {
  const s = namedDbStatus();
  console.log(s ? `${s.kind} running (pid ${s.pid}) on port ${s.port}, data in ${s.dataDir}` : 'not running');
} else {
  console.error('usage: npm run db -- start|stop|status');
  process.exit(2);
}
