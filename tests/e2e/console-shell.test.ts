// The console's shell: a manager signs in from the login screen, every main screen opens from the menu, a deep
// link from a bot message survives the login detour, and a rep's token is not shared with the mini-app's.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startConsoleE2E, type ConsoleE2E } from './console.ts';

describe('manager console shell', () => {
  let w: ConsoleE2E;
  beforeAll(async () => {
    w = await startConsoleE2E();
  }, 240_000);
  afterAll(async () => w?.close());

  it('signs a manager in and opens each screen from the menu', async () => {
    const { page } = await w.desk('wang.manager');
    await expect(page.locator('[data-who]').textContent()).resolves.toContain('王');
    const menu = await page.locator('[data-menu]').evaluateAll((els) => els.map((e) => e.getAttribute('data-menu')));
    expect(menu).toEqual(['board', 'visits', 'callbacks', 'appeals', 'plans', 'forms', 'scoring', 'customers', 'people', 'exports']);
    for (const m of menu) {
      await page.locator(`[data-menu="${m}"]`).click();
      await page.waitForURL(new RegExp(`#/${m}`));
    }
  }, 60_000);

  it('keeps a bot message deep link through the login screen', async () => {
    const { page } = await w.desk('li.manager', '/callbacks?date=2026-11-20');
    await page.waitForURL(/#\/callbacks\?date=2026-11-20/);
  }, 60_000);

  it('lists only managers and admins for the demo sign-in', async () => {
    const context = await w.browser.newContext({ viewport: { width: 1440, height: 900 } });
    const page = await context.newPage();
    await page.goto(`${w.baseUrl}/console/`);
    await page.locator('[data-user]').first().waitFor();
    const users = await page.locator('[data-user]').evaluateAll((els) => els.map((e) => e.getAttribute('data-user')));
    expect(users.sort()).toEqual(['admin', 'li.manager', 'wang.manager']);
    await context.close();
  }, 60_000);
});
