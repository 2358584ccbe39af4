// End-to-end harness: the built mini-app served by the real server on a fresh database with the demo tenant, and
// headless Chromium posing as a mid-range Android phone in Shanghai (zh-CN, Asia/Shanghai, geolocation allowed).
import { mkdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import gcoordModule from 'gcoord';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { onTestFailed } from 'vitest';
import { ensureMiniappBuilt } from '../../scripts/lib/miniapp-build.ts';
import { repoRoot } from '../../scripts/lib/local-db.ts';
import { DEMO_TENANT } from '../../server/tenants/demo-tenant.ts';
import { seedDemoData } from '../../server/tenants/demo-data.ts';
import { createTestApp, as, type TestApp } from '../helpers/test-app.ts';
import { scenePhoto } from '../helpers/images.ts';

// gcoord ships CommonJS; under NodeNext its default export is the module object.
const gcoord = gcoordModule as unknown as typeof gcoordModule.default;

export const SCREENSHOTS = join(repoRoot, '.data', 'e2e-screenshots'); // .data/ is git-ignored
const ANDROID_UA = 'Mozilla/5.0 (Linux; Android 12; PGBM10 Build/SP1A.210812.016; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.0.0 Mobile Safari/537.36';

export interface LngLat { lng: number; lat: number }

/** Two test files may start together; one builds while the other waits (a directory is an atomic lock). */
async function buildOnce(): Promise<void> {
  const lock = join(repoRoot, '.data', 'miniapp-build.lock');
  mkdirSync(join(repoRoot, '.data'), { recursive: true });
  for (;;) {
    try {
      mkdirSync(lock);
      break;
    } catch {
      const age = Date.now() - (() => { try { return statSync(lock).mtimeMs; } catch { return Date.now(); } })();
      if (age > 180_000) rmSync(lock, { recursive: true, force: true }); // a builder that died
      await new Promise((r) => setTimeout(r, 250));
    }
  }
  try {
    await ensureMiniappBuilt();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

export interface E2E {
  t: TestApp;
  baseUrl: string;
  browser: Browser;
  manager: ReturnType<typeof as>;
  tenantId: string;
  /** A fresh phone: its own storage, geolocation allowed and set to `at` (GCJ-02, as the stores are kept). */
  phone(at: LngLat): Promise<{ context: BrowserContext; page: Page }>;
  /** The signed store code of a demo customer (what is printed at the shop), read through the manager API. */
  qrOf(code: string): Promise<string>;
  customerId(code: string): Promise<string>;
  close(): Promise<void>;
}

export async function startE2E(): Promise<E2E> {
  await buildOnce();
  const t = await createTestApp();
  const { tenantId } = await t.services.tenants.provision(DEMO_TENANT);
  const users = await t.models.User.find({ tenantId }).lean();
  await seedDemoData(t.services, tenantId, Object.fromEntries(users.map((u) => [u.username, u._id])));
  const manager = as(t.server, await t.login('demo', 'wang.manager'));
  const baseUrl = `http://127.0.0.1:${(t.server.address() as AddressInfo).port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const contexts: BrowserContext[] = [];
  const ids = new Map<string, string>();

  async function customerId(code: string): Promise<string> {
    if (!ids.has(code)) {
      const res = await manager.get(`/api/customers?q=${encodeURIComponent(code)}`);
      const found = (res.body.items as { id: string; code: string }[]).find((c) => c.code === code);
      if (!found) throw new Error(`no demo customer ${code}`);
      ids.set(code, found.id);
    }
    return ids.get(code)!;
  }

  return {
    t, baseUrl, browser, manager, tenantId: String(tenantId),
    async phone(at) {
      const context = await browser.newContext({
        viewport: { width: 390, height: 844 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true,
        userAgent: ANDROID_UA, locale: 'zh-CN', timezoneId: 'Asia/Shanghai',
        permissions: ['geolocation'], geolocation: toWgs84(at), serviceWorkers: 'allow',
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error('[page error]', err.message));
      return { context, page };
    },
    async qrOf(code) {
      const res = await manager.get(`/api/customers/${await customerId(code)}/qr`);
      return String(res.body.payload);
    },
    customerId,
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await browser.close();
      await t.close();
    },
  };
}

/** Browsers report WGS84; the demo stores are GCJ-02, so the fake reading is shifted back like a real GPS would be. */
export function toWgs84(p: LngLat & { accuracy?: number }): { longitude: number; latitude: number; accuracy: number } {
  const [lng, lat] = gcoord.transform([p.lng, p.lat], gcoord.GCJ02, gcoord.WGS84) as [number, number];
  return { longitude: lng, latitude: lat, accuracy: p.accuracy ?? 12 };
}

/** A spot a few metres from a point (never exactly on the stored point, which the engine reads as a mock). */
export function near(p: LngLat, metresEast = 12, metresNorth = 9): LngLat {
  return { lng: p.lng + metresEast / (111_320 * Math.cos((p.lat * Math.PI) / 180)), lat: p.lat + metresNorth / 110_540 };
}

export async function setLocation(context: BrowserContext, at: LngLat): Promise<void> {
  await context.setGeolocation(toWgs84(at));
}

let photoSeed = 7_000 + Math.floor(Math.random() * 100_000);
/** A distinct camera-like JPEG for the file chooser. */
export async function photoFile(buffer?: Buffer): Promise<{ name: string; mimeType: string; buffer: Buffer }> {
  const seed = photoSeed++;
  return { name: `IMG_${seed}.jpg`, mimeType: 'image/jpeg', buffer: buffer ?? (await scenePhoto(seed)) };
}

/** Saves a screenshot of the phone when the running test fails (in .data/e2e-screenshots, git-ignored). */
export function screenshotOnFailure(page: Page, name: string): void {
  onTestFailed(async () => {
    mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: join(SCREENSHOTS, `${name.replace(/[^\w-]+/g, '_')}.png`), fullPage: true }).catch(() => undefined);
  });
}
