// Builds the web apps (the rep mini-app into miniapp/dist, the manager console into miniapp/console/dist) when
// missing or older than their sources, so `npm start` and the e2e tests always serve what is in the sources
// without anyone remembering `npm run build:miniapp`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './local-db.ts';

export const miniappDir = join(repoRoot, 'miniapp');
export const consoleDir = join(miniappDir, 'console');

/**
 * Newest modification time (ms) of a file, or of a folder and anything below it (a folder's own time changes when
 * a file in it is added, renamed or deleted); 0 when it does not exist. `skip` names folders not to descend into.
 */
function newestMtime(path: string, skip: ReadonlySet<string> = new Set()): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) {
    if (!skip.has(entry)) newest = Math.max(newest, newestMtime(join(path, entry), skip));
  }
  return newest;
}

/** True when dist/index.html is missing or older than anything the build reads. */
function stale(dir: string, sources: string[], skip?: ReadonlySet<string>): boolean {
  const built = join(dir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  return Math.max(...sources.map((p) => newestMtime(p, skip))) > statSync(built).mtimeMs;
}

export function miniappStale(dir = miniappDir): boolean {
  return stale(dir, ['src', 'index.html', 'vite.config.ts'].map((p) => join(dir, p)));
}

/** The console also renders forms with the mini-app's form renderer, so the mini-app's sources count too. */
export function consoleStale(dir = consoleDir): boolean {
  return stale(dir, [dir, join(dir, '..', 'src')], new Set(['dist']));
}

async function viteBuild(configFile: string): Promise<void> {
  // Imported only when needed: vite is a development tool, absent from production installs that ship a build.
  const { build } = await import('vite');
  // Under vitest NODE_ENV is 'test', which would make Vite bundle Vue's development build; browsers get production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile, logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}

export async function ensureMiniappBuilt(): Promise<void> {
  if (miniappStale()) {
    console.log('building the mini-app…');
    await viteBuild(join(miniappDir, 'vite.config.ts'));
  }
  if (consoleStale()) {
    console.log('building the manager console…');
    await viteBuild(join(consoleDir, 'vite.config.ts'));
  }
}
