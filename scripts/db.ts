// `npm run db -- start|stop|status|build`: manage the local development database (data in .data/dev).
import { ensureFerretDb, namedDbStatus, startNamedDb, stopNamedDb } from './lib/local-db.ts';

const cmd = process.argv[2] ?? 'status';
if (cmd === 'start') {
  const db = await startNamedDb();
  console.log(`${db.startedNow ? 'started' : 'reusing'} ${db.kind} at ${db.uri}${db.dataDir ? `, data in ${db.dataDir}` : ''}`);
} else if (cmd === 'stop') {
  console.log((await stopNamedDb()) ? 'local database stopped' : 'no local database was running');
} else if (cmd === 'build') {
  console.log(`FerretDB binary: ${ensureFerretDb(console.log)}`);
} else if (cmd === 'status') {
  const s = namedDbStatus();
  console.log(s ? `${s.kind} running (pid ${s.pid}) on port ${s.port}, data in ${s.dataDir}` : 'not running');
} else {
  console.error('usage: npm run db -- start|stop|status|build');
  process.exit(2);
}
