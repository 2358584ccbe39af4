// Writes the database may refuse for the moment, not for good: a deadlock between concurrent inserts of one unique
// key (the local DocumentDB engine reports these instead of E11000 under a storm), a write conflict, a primary
// stepping down. Retried a few times with a short random pause; then the caller sees the error.
const TRANSIENT_CODES = new Set([
  16908292, // deadlock detected (PostgreSQL 40P01, through the FerretDB gateway)
  112, // WriteConflict
  189, // PrimarySteppedDown
  91, // ShutdownInProgress
  11600, // InterruptedAtShutdown
  10107, // NotWritablePrimary
]);

export function isTransient(err: unknown): boolean {
  const e = err as { code?: number; errorLabels?: string[]; errorLabelSet?: Set<string> };
  return (e.code !== undefined && TRANSIENT_CODES.has(e.code)) || Boolean(e.errorLabelSet?.has('TransientTransactionError'));
}

export function isDuplicateKey(err: unknown): boolean {
  return (err as { code?: number }).code === 11000;
}

export async function retryTransient<T>(write: () => Promise<T>, attempts = 6): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await write();
    } catch (err) {
      if (i >= attempts || !isTransient(err)) throw err;
      await new Promise((r) => setTimeout(r, 5 + Math.random() * 20 * i));
    }
  }
}
