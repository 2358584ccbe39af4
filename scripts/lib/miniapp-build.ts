// Builds the mini-app (miniapp/dist) when it is missing or older than its sources, so `npm start` and the e2e
// tests always serve what is in miniapp/src without anyone remembering `npm run build:miniapp`.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './local-db.ts';

export const miniappDir = join(repoRoot, 'miniapp');

/**
 * Newest modification time (ms) of a file, or of a folder and anything below it (a folder's own time changes when
 * a file in it is added, renamed or deleted); 0 when it does not exist.
 */
function newestMtime(path: string): number {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** True when dist/index.html is missing or older than anything the build reads. */
export function miniappStale(dir = miniappDir): boolean {
  const built = join(dir, 'dist', 'index.html');
  if (!existsSync(built)) return true;
  const sources = Math.max(...['src', 'index.html', 'vite.config.ts'].map((p) => newestMtime(join(dir, p))));
  return sources > statSync(built).mtimeMs;
}

export async function ensureMiniappBuilt(): Promise<void> {
  if (!miniappStale()) return;
  console.log('building the mini-app…');
  // Imported only when needed: vite is a development tool, absent from production installs that ship a build.
  const { build } = await import('vite');
  // Under vitest NODE_ENV is 'test', which would make Vite bundle Vue's development build; phones get production.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = 'production';
  try {
    await build({ configFile: join(miniappDir, 'vite.config.ts'), logLevel: 'warn' });
  } finally {
    process.env.NODE_ENV = nodeEnv;
  }
}
