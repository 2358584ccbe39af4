// The built mini-app is served at /app/ from a dist folder (a tiny one made here, not the real build): hashed
// assets cached for a year, index.html revalidated, redirects to the app, and a clear 503 while nothing is built.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';

const INDEX = '<!doctype html><html><head><script type="module" src="/app/assets/index-3f9a1c.js"></script></head><body><div id="app"></div></body></html>';
const SCRIPT = 'console.log("外勤拜访");';

describe('serving the mini-app', () => {
  let t: TestApp;
  let dist: string;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'miniapp-dist-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'index-3f9a1c.js'), SCRIPT);
    writeFileSync(join(dist, '.env'), 'SECRET=1');
    t = await createTestApp({ miniappDist: dist });
  });
  afterAll(async () => {
    await t.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at /app/ with no-cache', async () => {
    const res = await request(t.server).get('/app/');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.text).toBe(INDEX);
    const direct = await request(t.server).get('/app/index.html');
    expect(direct.status).toBe(200);
    expect(direct.headers['cache-control']).toBe('no-cache');
  });

  it('serves hashed assets as immutable for a year', async () => {
    const res = await request(t.server).get('/app/assets/index-3f9a1c.js');
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/javascript/);
    expect(res.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(res.text).toBe(SCRIPT);
    expect((await request(t.server).head('/app/assets/index-3f9a1c.js')).status).toBe(200);
  });

  it('redirects /app and / to /app/, keeping the query (hosts come back with ?code=)', async () => {
    const bare = await request(t.server).get('/app');
    expect(bare.status).toBe(302);
    expect(bare.headers.location).toBe('/app/');
    const root = await request(t.server).get('/?code=abc&state=x');
    expect(root.status).toBe(302);
    expect(root.headers.location).toBe('/app/?code=abc&state=x');
  });

  it('answers unknown files, hidden files and escaping paths like any unknown route, never with a file outside dist', async () => {
    expectError(await request(t.server).get('/app/assets/missing-000.js'), 404, 'ROUTE_NOT_FOUND');
    expectError(await request(t.server).get('/app/.env'), 404, 'ROUTE_NOT_FOUND');
    expectError(await request(t.server).get('/app/%2e%2e/%2e%2e/package.json'), 404, 'ROUTE_NOT_FOUND');
    expectError(await request(t.server).get('/app/%E0%A4%A'), 404, 'ROUTE_NOT_FOUND');
    // Only reads: a POST to the app is no route.
    expectError(await request(t.server).post('/app/').send({}), 404, 'ROUTE_NOT_FOUND');
  });

  it('leaves the API alone', async () => {
    expectError(await request(t.server).get('/api/no-such-thing'), 404, 'ROUTE_NOT_FOUND');
    expect((await request(t.server).get('/health')).status).toBe(200);
  });

  it('without a build, /app/ answers 503 saying in Chinese and English how to build it; a later build is served without restart', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'miniapp-none-'));
    const other = await createTestApp({ miniappDist: join(empty, 'dist') });
    try {
      const res = await request(other.server).get('/app/');
      expect(res.status).toBe(503);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      expect(res.text).toContain('npm run build:miniapp');
      expect(res.text).toMatch(/小程序尚未构建/);
      expect(res.text).toMatch(/has not been built/);
      expect((await request(other.server).get('/app/assets/index-3f9a1c.js')).status).toBe(503);

      mkdirSync(join(empty, 'dist'));
      writeFileSync(join(empty, 'dist', 'index.html'), INDEX);
      const built = await request(other.server).get('/app/');
      expect(built.status).toBe(200);
      expect(built.text).toBe(INDEX);
    } finally {
      await other.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});
