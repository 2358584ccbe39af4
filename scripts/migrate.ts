// `npm run migrate`: converts a database written by an earlier version into today's shape (idempotent: a second
// run changes nothing). Uses MONGODB_URI / MONGODB_DB when set, else the local development database.
import { openConnection } from '../server/db/connection.ts';
import { migrate } from '../server/db/migrations/index.ts';
import { startNamedDb } from './lib/local-db.ts';

const db = await startNamedDb();
const conn = await openConnection(db.uri, process.env.MONGODB_DB ?? 'fieldvisit');
try {
  await migrate(conn.db!, { log: (r) => console.log(`${r.changed > 0 ? 'changed' : 'nothing to do'}: ${r.describe}${r.changed > 0 ? ` (${r.changed})` : ''}`) });
} finally {
  await conn.close();
}
