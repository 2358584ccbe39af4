// Console harness: the e2e world (real server, database with the demo tenant, built apps, Chromium) plus a desktop
// browser at 1440×900 signed in to the manager console, and screenshots a reviewer can look at.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { SCREENSHOTS, startE2E, type E2E } from './harness.ts';

export interface ConsoleE2E extends E2E {
  /** A desktop browser signed in (through the login screen) as `username`, on `/console/#<path>`. */
  desk(username?: string, path?: string): Promise<{ context: BrowserContext; page: Page }>;
}

export async function startConsoleE2E(): Promise<ConsoleE2E> {
  const e2e = await startE2E();
  const contexts: BrowserContext[] = [];
  return {
    ...e2e,
    async desk(username = 'wang.manager', path = '/board') {
      const context = await e2e.browser.newContext({
        viewport: { width: 1440, height: 900 }, locale: 'zh-CN', timezoneId: 'Asia/Shanghai', acceptDownloads: true,
      });
      contexts.push(context);
      const page = await context.newPage();
      page.on('pageerror', (err) => console.error('[console page error]', err.message));
      await page.goto(`${e2e.baseUrl}/console/#/login?next=${encodeURIComponent(path)}`);
      await page.locator(`[data-user="${username}"]`).click();
      await page.locator('[data-who]').waitFor();
      return { context, page };
    },
    async close() {
      for (const c of contexts) await c.close().catch(() => undefined);
      await e2e.close();
    },
  };
}

/** Saves a 1440×900 screenshot of a main screen as .data/e2e-screenshots/console-<name>.png (git-ignored). */
export async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `console-${name}.png`) });
}
