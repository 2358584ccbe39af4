// One real MongoDB-compatible server per test run (MONGODB_URI, mongod, or the local DocumentDB engine), on free ports.
// Each test file then works in its own database, dropped when the file ends.
import type { TestProject } from 'vitest/node';
import { startEphemeralDb, type LocalDb } from '../../scripts/lib/local-db.ts';

let db: LocalDb | undefined;

export async function setup(project: TestProject): Promise<void> {
  db = await startEphemeralDb('test');
  project.provide('mongoUri', db.uri);
}

export async function teardown(): Promise<void> {
  await db?.stop();
}

declare module 'vitest' {
  export interface ProvidedContext { mongoUri: string }
}
