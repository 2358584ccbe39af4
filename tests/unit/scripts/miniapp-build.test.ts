// When `npm start` rebuilds the mini-app: dist missing, or any source newer than dist/index.html.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { miniappStale } from '../../../scripts/lib/miniapp-build.ts';

describe('miniappStale', () => {
  let dir: string;
  const at = (path: string, seconds: number) => utimesSync(join(dir, path), seconds, seconds);

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'miniapp-'));
    mkdirSync(join(dir, 'src', 'pages'), { recursive: true });
    writeFileSync(join(dir, 'src', 'pages', 'Today.vue'), '<template><div /></template>');
    writeFileSync(join(dir, 'index.html'), '<div id="app"></div>');
    writeFileSync(join(dir, 'vite.config.ts'), 'export default {}');
    for (const p of ['src/pages/Today.vue', 'src/pages', 'src', 'index.html', 'vite.config.ts']) at(p, 1_000);
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  function build(seconds: number) {
    mkdirSync(join(dir, 'dist'), { recursive: true });
    writeFileSync(join(dir, 'dist', 'index.html'), '<html></html>');
    at('dist/index.html', seconds);
  }

  it('is stale without a build', () => {
    expect(miniappStale(dir)).toBe(true);
  });

  it('is fresh when the build is newer than every source', () => {
    build(2_000);
    expect(miniappStale(dir)).toBe(false);
  });

  it.each(['src/pages/Today.vue', 'index.html', 'vite.config.ts'])('is stale once %s changes after the build', (path) => {
    build(2_000);
    at(path, 3_000);
    expect(miniappStale(dir)).toBe(true);
  });

  it('sees a new file deep under src', () => {
    build(2_000);
    mkdirSync(join(dir, 'src', 'api'));
    writeFileSync(join(dir, 'src', 'api', 'client.ts'), 'export {}');
    at('src/api/client.ts', 2_500);
    at('src/api', 1_000);
    at('src', 1_000);
    expect(miniappStale(dir)).toBe(true);
  });

  it('sees a deleted source file (its folder changed)', () => {
    build(2_000);
    rmSync(join(dir, 'src', 'pages', 'Today.vue'));
    expect(miniappStale(dir)).toBe(true);
  });
});
