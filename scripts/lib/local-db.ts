// Starts (or reuses) a local MongoDB-compatible server for development, tests and benchmarks.
// Order of preference: MONGODB_URI (used as is) > `mongod` on PATH > FerretDB v1 with its SQLite backend.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, rmSync, openSync, chmodSync, cpSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const toolsDir = join(repoRoot, '.tools');
const ferretBin = join(toolsDir, 'bin', 'ferretdb');
const FERRET_MODULE = 'github.com/FerretDB/FerretDB';
const FERRET_VERSION = 'v1.24.0';

export type DbKind = 'external' | 'mongod' | 'ferretdb';

export interface LocalDb {
  /** Connection string; callers pick their database with mongoose's `dbName` option. */
  uri: string;
  kind: DbKind;
  dataDir?: string;
  /** True when this call started the server (false when it reused a running one or MONGODB_URI is set). */
  startedNow: boolean;
  stop(): Promise<void>;
}

interface StateFile { pid: number; port: number; kind: DbKind; dataDir: string }

function onPath(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

function run(cmd: string, args: string[], cwd?: string): string {
  const res = spawnSync(cmd, args, { cwd, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (res.error) throw new Error(`${cmd} ${args.join(' ')} failed: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}:\n${res.stderr}`);
  return res.stdout;
}

/**
 * Builds FerretDB once into .tools/bin. `go install ...@v1.24.0` does not work here: the module proxy refuses the
 * deprecation lookup, and the published module lacks build/version/version.txt, so the binary would panic at start.
 * We download the module source, add the version file, and build it ourselves.
 */
export function ensureFerretDb(log: (msg: string) => void = console.warn): string {
  if (existsSync(ferretBin)) return ferretBin;
  if (!onPath('go')) throw new Error('Neither mongod nor the Go toolchain is on PATH: cannot start a local database. Set MONGODB_URI.');
  log(`building FerretDB ${FERRET_VERSION} (SQLite backend) into .tools/bin (once, about a minute)...`);
  const info = JSON.parse(run('go', ['mod', 'download', '-json', `${FERRET_MODULE}@${FERRET_VERSION}`], toolsDirReady())) as { Dir?: string; Error?: string };
  if (!info.Dir) throw new Error(`go mod download failed: ${info.Error ?? 'no Dir'}`);
  const src = join(toolsDir, 'ferretdb-src');
  rmSync(src, { recursive: true, force: true });
  cpSync(info.Dir, src, { recursive: true });
  run('chmod', ['-R', 'u+w', src]);
  writeFileSync(join(src, 'build', 'version', 'version.txt'), `${FERRET_VERSION}\n`);
  mkdirSync(dirname(ferretBin), { recursive: true });
  run('go', ['build', '-o', ferretBin, './cmd/ferretdb'], src);
  chmodSync(ferretBin, 0o755);
  rmSync(src, { recursive: true, force: true });
  return ferretBin;
}

function toolsDirReady(): string {
  mkdirSync(toolsDir, { recursive: true });
  return toolsDir;
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

async function waitFor(check: () => Promise<boolean>, what: string, ms = 30_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

function serverCommand(port: number, dataDir: string): { kind: DbKind; cmd: string; args: string[] } {
  if (onPath('mongod')) {
    return { kind: 'mongod', cmd: 'mongod', args: ['--dbpath', dataDir, '--port', String(port), '--bind_ip', '127.0.0.1', '--quiet'] };
  }
  const bin = ensureFerretDb();
  return {
    kind: 'ferretdb',
    cmd: bin,
    args: [
      '--handler=sqlite', `--sqlite-url=file:${dataDir}/`, `--listen-addr=127.0.0.1:${port}`,
      `--state-dir=${dataDir}`, '--telemetry=disable', '--log-level=warn', '--debug-addr=-',
    ],
  };
}

function spawnServer(port: number, dataDir: string, detached: boolean): { child: ChildProcess; kind: DbKind } {
  mkdirSync(dataDir, { recursive: true });
  const { kind, cmd, args } = serverCommand(port, dataDir);
  const logFd = openSync(join(dataDir, 'server.log'), 'a');
  const child = spawn(cmd, args, { detached, stdio: ['ignore', logFd, logFd] });
  if (detached) child.unref();
  return { child, kind };
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

/** The long-lived development server: data in .data/<name>, reused across starts, stopped with stopNamedDb. */
export async function startNamedDb(name = 'dev', port = Number(process.env.LOCAL_DB_PORT ?? 27027)): Promise<LocalDb> {
  if (process.env.MONGODB_URI) return external(process.env.MONGODB_URI);
  const dataDir = join(repoRoot, '.data', name);
  const statePath = join(dataDir, 'server.json');
  const state = readState(statePath);
  if (state && alive(state.pid) && (await portAnswers(state.port))) {
    return { uri: `mongodb://127.0.0.1:${state.port}`, kind: state.kind, dataDir, startedNow: false, stop: async () => { await stopNamedDb(name); } };
  }
  if (await portAnswers(port)) throw new Error(`port ${port} is taken by another program; set LOCAL_DB_PORT`);
  const { child, kind } = spawnServer(port, dataDir, true);
  writeFileSync(statePath, JSON.stringify({ pid: child.pid ?? 0, port, kind, dataDir } satisfies StateFile));
  await waitFor(() => portAnswers(port), `${kind} on port ${port}`);
  return { uri: `mongodb://127.0.0.1:${port}`, kind, dataDir, startedNow: true, stop: async () => { await stopNamedDb(name); } };
}

export async function stopNamedDb(name = 'dev'): Promise<boolean> {
  const statePath = join(repoRoot, '.data', name, 'server.json');
  const state = readState(statePath);
  if (!state) return false;
  await killAndWait(state.pid);
  rmSync(statePath, { force: true });
  return true;
}

/** A throw-away server on a free port for one test or bench run; its data folder is removed on stop. */
export async function startEphemeralDb(label: string): Promise<LocalDb> {
  if (process.env.MONGODB_URI) return external(process.env.MONGODB_URI);
  const port = await freePort();
  const dataDir = join(repoRoot, '.data', `${label}-${process.pid}-${port}`);
  rmSync(dataDir, { recursive: true, force: true });
  const { child, kind } = spawnServer(port, dataDir, false);
  await waitFor(() => portAnswers(port), `${kind} on port ${port}`);
  return {
    uri: `mongodb://127.0.0.1:${port}`, kind, dataDir, startedNow: true,
    stop: async () => {
      if (child.pid) await killAndWait(child.pid);
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export function namedDbStatus(name = 'dev'): StateFile | undefined {
  const state = readState(join(repoRoot, '.data', name, 'server.json'));
  return state && alive(state.pid) ? state : undefined;
}

function external(uri: string): LocalDb {
  return { uri, kind: 'external', startedNow: false, stop: async () => {} };
}

function readState(path: string): StateFile | undefined {
  try { return JSON.parse(readFileSync(path, 'utf8')) as StateFile; } catch { return undefined; }
}
