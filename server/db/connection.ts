// The one place that opens MongoDB connections (MongoDB, or locally DocumentDB behind the FerretDB v2 gateway).
import mongoose, { type Connection } from 'mongoose';

// Defence in depth against operator injection: filters built from input never carry `$` operators.
mongoose.set('strictQuery', true);
mongoose.set('sanitizeFilter', true);

export async function openConnection(uri: string, dbName: string): Promise<Connection> {
  const conn = mongoose.createConnection(uri, {
    dbName,
    autoIndex: false, // indexes are created explicitly at start-up (ensureIndexes), before serving
    serverSelectionTimeoutMS: 5_000,
  });
  await conn.asPromise();
  return conn;
}

export async function pingDb(conn: Connection): Promise<boolean> {
  try {
    if (!conn.db) return false;
    await conn.db.admin().command({ ping: 1 });
    return true;
  } catch {
    return false;
  }
}
