// Starts (or reuses) a local MongoDB-compatible server for development, tests and benchmarks.
// Order of preference: MONGODB_URI (used as is) > `mongod` on PATH > DocumentDB on PostgreSQL 15 behind the
// FerretDB v2.7 gateway (scripts/lib/documentdb.ts), built once from ../shared/vendor/documentdb.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  buildEngine, clusterAt, engineVersions, initCluster, pgPort, pgRunning, removableBy, spawnGateway, startPostgres, stopPostgres, type Cluster,
} from './documentdb.ts';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');

export type DbKind = 'external' | 'mongod' | 'documentdb';

export interface LocalDb {
  /** Connection string; callers pick their database with mongoose's `dbName` option. */
  uri: string;
  kind: DbKind;
  dataDir?: string;
  /** True when this call started the server (false when it reused a running one or MONGODB_URI is set). */
  startedNow: boolean;
  stop(): Promise<void>;
}

/** What a named database keeps in <dataDir>/server.json: the MongoDB-protocol port and the process behind it. */
interface StateFile { pid: number; port: number; kind: DbKind; dataDir: string; pgPort?: number }

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** Makes sure an engine is available: mongod on PATH, else the DocumentDB build (done once, cached). */
export function ensureEngine(log: (msg: string) => void = console.warn): DbKind {
  if (onPath('mongod')) return 'mongod';
  buildEngine(repoRoot, log);
  return 'documentdb';
}

export async function freePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const srv = createServer();
    srv.once('error', fail);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => ok(port));
    });
  });
}

function portAnswers(port: number): Promise<boolean> {
  return new Promise((ok) => {
    const sock = connect({ port, host: '127.0.0.1' });
    sock.once('connect', () => { sock.destroy(); ok(true); });
    sock.once('error', () => ok(false));
  });
}

function alive(pid: number): boolean {
  try { process.kill(pid, 0); return true; } catch { return false; }
}

async function waitFor(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

async function killAndWait(pid: number): Promise<void> {
  if (!alive(pid)) return;
  process.kill(pid, 'SIGTERM');
  try {
    await waitFor(async () => !alive(pid), `process ${pid} to exit`, 10_000);
  } catch {
    process.kill(pid, 'SIGKILL');
  }
}

interface Started { child: ChildProcess; kind: DbKind; cluster?: Cluster; pgPort?: number }

/** Starts the engine's processes for a data folder; the MongoDB protocol answers on `port` once this resolves. */
async function startEngine(port: number, dataDir: string, opts: { detached: boolean; durable: boolean }): Promise<Started> {
  mkdirSync(dataDir, { recursive: true });
  const kind = ensureEngine();
  if (kind === 'mongod') {
    const logFd = openSync(join(dataDir, 'server.log'), 'a');
    const child = spawn('mongod', ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'], { detached: opts.detached, stdio: ['ignore', logFd, logFd] });
    if (opts.detached) child.unref();
    await waitFor(() => portAnswers(port), `mongod on port ${port}`);
    return { child, kind };
  }
  const cluster = clusterAt(dataDir);
  initCluster(cluster, opts.durable);
  let pg = pgRunning(cluster) ? pgPort(cluster) : undefined;
  if (!pg) {
    pg = await freePort();
    startPostgres(cluster, pg);
  }
  const child = spawnGateway(cluster, port, pg, opts.detached);
  await waitFor(() => portAnswers(port), `the FerretDB gateway on port ${port}`);
  return { child, kind, cluster, pgPort: pg };
}

/** The long-lived development server: data in .data/<name>, reused across starts, stopped with stopNamedDb. */
export async function startNamedDb(name = 'dev', port = Number(process.env.LOCAL_DB_PORT ?? 27027)): Promise<LocalDb> {
  if (process.env.MONGODB_URI) return external(process.env.MONGODB_URI);
  const dataDir = join(repoRoot, '.data', name);
  const statePath = join(dataDir, 'server.json');
  const state = readState(statePath);
  const stop = async () => { await stopNamedDb(name); };
  if (state && alive(state.pid) && (await portAnswers(state.port))) {
    return { uri: `mongodb://127.0.0.1:${state.port}/`, kind: state.kind, dataDir, startedNow: false, stop };
  }
  if (await portAnswers(port)) throw new Error(`port ${port} is taken by another program; set LOCAL_DB_PORT`);
  const started = await startEngine(port, dataDir, { detached: true, durable: true });
  writeFileSync(statePath, JSON.stringify({ pid: started.child.pid ?? 0, port, kind: started.kind, dataDir, pgPort: started.pgPort } satisfies StateFile));
  return { uri: `mongodb://127.0.0.1:${port}/`, kind: started.kind, dataDir, startedNow: true, stop };
}

export async function stopNamedDb(name = 'dev'): Promise<boolean> {
  const dataDir = join(repoRoot, '.data', name);
  const statePath = join(dataDir, 'server.json');
  const state = readState(statePath);
  if (!state) return false;
  await killAndWait(state.pid);
  if (state.kind === 'documentdb') stopPostgres(clusterAt(dataDir));
  rmSync(statePath, { force: true });
  return true;
}

/** Throw-away servers whose run died without stopping them (a killed test run): stopped and removed. */
function sweepAbandoned(label: string): void {
  const root = join(repoRoot, '.data');
  if (!existsSync(root)) return;
  for (const entry of readdirSync(root)) {
    const pid = Number(new RegExp(`^${label}-(\\d+)-\\d+$`).exec(entry)?.[1]);
    if (!pid || alive(pid)) continue;
    const cluster = clusterAt(join(root, entry));
    stopPostgres(cluster);
    for (const dir of removableBy(cluster)) rmSync(dir, { recursive: true, force: true });
  }
}

/** A throw-away server on free ports for one test or bench run; its data folders are removed on stop. */
export async function startEphemeralDb(label: string): Promise<LocalDb> {
  if (process.env.MONGODB_URI) return external(process.env.MONGODB_URI);
  sweepAbandoned(label);
  const port = await freePort();
  const dataDir = join(repoRoot, '.data', `${label}-${process.pid}-${port}`);
  rmSync(dataDir, { recursive: true, force: true });
  const started = await startEngine(port, dataDir, { detached: false, durable: false });
  return {
    uri: `mongodb://127.0.0.1:${port}/`, kind: started.kind, dataDir, startedNow: true,
    stop: async () => {
      if (started.child.pid) await killAndWait(started.child.pid);
      if (started.cluster) stopPostgres(started.cluster);
      for (const dir of started.cluster ? removableBy(started.cluster) : [dataDir]) rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The running named database, with the engine's versions. */
export function namedDbStatus(name = 'dev'): (StateFile & { versions: string }) | undefined {
  const state = readState(join(repoRoot, '.data', name, 'server.json'));
  if (!state || !alive(state.pid)) return undefined;
  const versions = state.kind === 'documentdb' && state.pgPort
    ? engineVersions(state.pgPort)
    : spawnSync('mongod', ['--version'], { encoding: 'utf8' }).stdout?.split('\n')[0] ?? state.kind;
  return { ...state, versions };
}

function external(uri: string): LocalDb {
  return { uri, kind: 'external', startedNow: false, stop: async () => {} };
}

function readState(path: string): StateFile | undefined {
  if (!existsSync(path)) return undefined;
  try { return JSON.parse(readFileSync(path, 'utf8')) as StateFile; } catch { return undefined; }
}
