// The local engine: DocumentDB (MongoDB's data model and query semantics inside PostgreSQL 15) behind the FerretDB
// v2.7 gateway, which speaks the MongoDB wire protocol. Built once from the vendored sources into a cache outside
// the clone (`build.sh` in ../shared/vendor/documentdb), then per database folder: a PostgreSQL cluster, the
// extension, and the gateway, each on a free port. PostgreSQL refuses to run as root, so as root the cluster runs
// as the `postgres` user.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { appendFileSync, chownSync, existsSync, mkdirSync, openSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

const PG_BIN = '/usr/lib/postgresql/15/bin';
const FERRETDB_VERSION = 'v2.7.0';
const DOCUMENTDB_VERSION = '0.108-0';

/** Where build.sh unpacks, builds and installs the gateway binary (outside the clone, so a new clone reuses it). */
export const enginePrefix = process.env.DOCUMENTDB_PREFIX ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'documentdb');
const gatewayBin = join(enginePrefix, 'bin', 'ferretdb');

const isRoot = () => process.getuid?.() === 0;

function run(cmd: string, args: string[], opts: { asPostgres?: boolean; input?: string } = {}): string {
  const [c, a] = opts.asPostgres && isRoot() ? ['runuser', ['-u', 'postgres', '--', cmd, ...args]] : [cmd, args];
  const res = spawnSync(c, a, { encoding: 'utf8', input: opts.input, maxBuffer: 16 * 1024 * 1024 });
  if (res.error) throw new Error(`${cmd} failed: ${res.error.message}`);
  if (res.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited ${res.status}:\n${res.stderr}${res.stdout}`);
  return res.stdout;
}

function pgConfig(flag: string): string {
  return run(join(PG_BIN, 'pg_config'), [flag]).trim();
}

/** True when PostgreSQL 15, the extension at the vendored version and the gateway binary are all installed. */
export function engineBuilt(): boolean {
  if (!existsSync(join(PG_BIN, 'postgres')) || !existsSync(join(PG_BIN, 'pg_config')) || !existsSync(gatewayBin)) return false;
  try {
    const control = readFileSync(join(pgConfig('--sharedir'), 'extension', 'documentdb.control'), 'utf8');
    return control.includes(`default_version = '${DOCUMENTDB_VERSION}'`) && existsSync(join(pgConfig('--pkglibdir'), 'pg_documentdb.so'));
  } catch {
    return false;
  }
}

/**
 * The vendored sources: $DOCUMENTDB_VENDOR, else ../shared/vendor/documentdb beside this clone, else beside the
 * local repository it was cloned from (a CI clone in another folder).
 */
export function vendorDir(repoRoot: string): string {
  const candidates = [process.env.DOCUMENTDB_VENDOR, join(repoRoot, '..', 'shared', 'vendor', 'documentdb')];
  const origin = spawnSync('git', ['-C', repoRoot, 'remote', 'get-url', 'origin'], { encoding: 'utf8' }).stdout?.trim();
  if (origin && !origin.includes('://') && existsSync(origin)) candidates.push(join(resolve(repoRoot, origin), '..', 'shared', 'vendor', 'documentdb'));
  const found = candidates.find((d): d is string => Boolean(d) && existsSync(join(d as string, 'build.sh')));
  if (!found) throw new Error(`DocumentDB sources not found (looked in ${candidates.filter(Boolean).join(', ')}); set DOCUMENTDB_VENDOR or MONGODB_URI`);
  return found;
}

/** Builds the engine once (about 15 minutes cold on 2 cores, seconds when already built). Needs root and Go. */
export function buildEngine(repoRoot: string, log: (msg: string) => void = console.warn): void {
  if (engineBuilt()) return;
  if (!isRoot()) throw new Error(`the local database is not built yet and building it needs root: sudo PREFIX=${enginePrefix} bash ${join(vendorDir(repoRoot), 'build.sh')} (or set MONGODB_URI)`);
  log(`building the local database (DocumentDB on PostgreSQL 15 + FerretDB ${FERRETDB_VERSION}) into ${enginePrefix}; about 15 minutes the first time...`);
  const res = spawnSync('bash', [join(vendorDir(repoRoot), 'build.sh')], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, PREFIX: enginePrefix } });
  if (res.status !== 0 || !engineBuilt()) throw new Error(`building the local database failed (logs in ${join(enginePrefix, 'logs')})`);
}

/** Cluster settings: the gateway's requirements (vendor README) plus what makes the planner behave like MongoDB's. */
function clusterSettings(durable: boolean): string[] {
  return [
    "listen_addresses = '127.0.0.1'",
    'max_connections = 300',
    "shared_preload_libraries = 'pg_cron,pg_documentdb_core,pg_documentdb'",
    "cron.database_name = 'postgres'",
    'documentdb.enableCompact = true',
    'documentdb.enableLetAndCollationForQueryMatch = true',
    'documentdb.enableNowSystemVariable = true',
    'documentdb.enableSchemaValidation = true',
    'documentdb.enableBypassDocumentValidation = true',
    'documentdb.enableUserCrud = true',
    'documentdb.maxUserLimit = 100',
    // MongoDB's planner never prefers a collection scan to an eligible index; PostgreSQL would on small tables,
    // and then explain() could not tell a missing index from a small collection.
    'enable_seqscan = off',
    // MongoDB's compound index is one ordered key per document (multikey: per array element). DocumentDB's default
    // keeps a posting list per field and intersects them, so { tenantId, x } = v reads the tenant's whole tenantId
    // list whenever x = v has a hit: 8 ms at 100,000 photos where MongoDB takes microseconds. The composite
    // opclass (marked experimental upstream) keys the whole tuple, like MongoDB; indexes it cannot serve
    // (2dsphere, text, wildcard) keep the default.
    'documentdb.defaultUseCompositeOpClass = on',
    ...(durable ? [] : ['fsync = off', 'synchronous_commit = off', 'full_page_writes = off']),
  ];
}

export interface Cluster { dataDir: string; pgDir: string; stateDir: string }

/**
 * The folders of one database: PostgreSQL's under <dataDir>/pg, which the `postgres` user must be able to reach.
 * When it cannot (a clone under /root), the cluster lives under /tmp instead.
 */
export function clusterAt(dataDir: string): Cluster {
  let pgDir = join(dataDir, 'pg');
  if (isRoot() && spawnSync('runuser', ['-u', 'postgres', '--', 'test', '-x', dataDir]).status !== 0) {
    pgDir = join('/tmp', `fieldvisit-pg-${Buffer.from(dataDir).toString('base64url').slice(-40)}`);
  }
  return { dataDir, pgDir, stateDir: join(dataDir, 'gateway') };
}

/** Creates the cluster once (initdb with trust on 127.0.0.1, local development only). */
export function initCluster(c: Cluster, durable: boolean): void {
  if (existsSync(join(c.pgDir, 'PG_VERSION'))) return;
  mkdirSync(c.pgDir, { recursive: true });
  if (isRoot()) {
    const pg = spawnSync('id', ['-u', 'postgres'], { encoding: 'utf8' });
    const gid = spawnSync('id', ['-g', 'postgres'], { encoding: 'utf8' });
    chownSync(c.pgDir, Number(pg.stdout.trim()), Number(gid.stdout.trim()));
  }
  run(join(PG_BIN, 'initdb'), ['-D', c.pgDir, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--locale=C.UTF-8'], { asPostgres: true });
  appendFileSync(join(c.pgDir, 'postgresql.conf'), `\n# fieldvisit local engine\n${clusterSettings(durable).join('\n')}\nunix_socket_directories = '${c.pgDir}'\n`);
}

export function pgRunning(c: Cluster): boolean {
  return spawnSync(isRoot() ? 'runuser' : join(PG_BIN, 'pg_ctl'), isRoot() ? ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl'), 'status', '-D', c.pgDir] : ['status', '-D', c.pgDir]).status === 0;
}

/** The port a running cluster listens on (line 4 of postmaster.pid). */
export function pgPort(c: Cluster): number | undefined {
  try {
    return Number(readFileSync(join(c.pgDir, 'postmaster.pid'), 'utf8').split('\n')[3]);
  } catch {
    return undefined;
  }
}

export function startPostgres(c: Cluster, port: number): void {
  run(join(PG_BIN, 'pg_ctl'), ['start', '-D', c.pgDir, '-w', '-t', '60', '-l', join(c.pgDir, 'server.log'), '-o', `-p ${port}`], { asPostgres: true });
  run('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-v', 'ON_ERROR_STOP=1', '-q', '-c', 'CREATE EXTENSION IF NOT EXISTS documentdb CASCADE'], { asPostgres: true });
}

export function stopPostgres(c: Cluster): void {
  if (!existsSync(join(c.pgDir, 'postmaster.pid'))) return;
  spawnSync(isRoot() ? 'runuser' : join(PG_BIN, 'pg_ctl'), [...(isRoot() ? ['-u', 'postgres', '--', join(PG_BIN, 'pg_ctl')] : []), 'stop', '-D', c.pgDir, '-m', 'fast', '-w'], { stdio: 'ignore' });
}

/** Starts the FerretDB gateway on `port` in front of the cluster on `pgPortNo`. */
export function spawnGateway(c: Cluster, port: number, pgPortNo: number, detached: boolean): ChildProcess {
  mkdirSync(c.stateDir, { recursive: true });
  const logFd = openSync(join(c.dataDir, 'gateway.log'), 'a');
  const child = spawn(gatewayBin, [
    `--postgresql-url=postgres://postgres@127.0.0.1:${pgPortNo}/postgres`, `--listen-addr=127.0.0.1:${port}`,
    `--state-dir=${c.stateDir}`, '--telemetry=disable', '--debug-addr=-', '--log-level=warn', '--no-auth',
  ], { detached, stdio: ['ignore', logFd, logFd] });
  if (detached) child.unref();
  return child;
}

/** "DocumentDB 0.108-0 on PostgreSQL 15.18 behind FerretDB v2.7.0" for a running cluster. */
export function engineVersions(port: number): string {
  const q = (sql: string) => spawnSync('psql', ['-h', '127.0.0.1', '-p', String(port), '-U', 'postgres', '-d', 'postgres', '-tAc', sql], { encoding: 'utf8' }).stdout?.trim() || '?';
  const gateway = spawnSync(gatewayBin, ['--version'], { encoding: 'utf8' }).stdout?.match(/version: (\S+)/)?.[1] ?? '?';
  return `DocumentDB ${q("SELECT extversion FROM pg_extension WHERE extname = 'documentdb'")} on PostgreSQL ${q('SHOW server_version')} behind FerretDB ${gateway}`;
}

/** Removes a cluster folder that may belong to the postgres user. */
export function removableBy(c: Cluster): string[] {
  return c.pgDir.startsWith(c.dataDir) ? [c.dataDir] : [c.dataDir, c.pgDir];
}
