// Customers and people in the console: a manager filters the demo customers by type and by "not visited for 30
// days", imports a CSV with one bad row through the dialog (good rows land, the bad one is reported by row and
// column), prints the QR sheet of two customers (a real PDF with two codes), and opens the location check of a
// customer that 刘洋 (liu.rep) visited through the API 300 m from its stored point. An admin promotes liu.rep to
// manager on the people screen; a manager sees no role controls and the server refuses them.
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startConsoleE2E, shot, type ConsoleE2E } from './console.ts';
import { client, ok, runVisit } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';
import { IMPORT_COLUMNS } from '../../server/customers/import-columns.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const SH_0004 = { lng: 121.4365, lat: 31.1950 };
/** 300 m north of SH-0004's stored point: where liu.rep checks in. */
const NORTH_300 = { lng: SH_0004.lng, lat: SH_0004.lat + 300 / 111_195 };
const DEMO_NAMES = ['华联超市（人民路店）', '好德便利（淮海中路店）', '老百姓大药房（南京西路店）', '联华超市（徐家汇店）', '全家便利（五角场店）', '社区卫生服务中心诊所'];

interface Listed { id: string; code: string; name: string }

async function rowNames(page: Page): Promise<string[]> {
  return page.locator('[data-customers-table] [data-customer-name]').evaluateAll((els) => els.map((e) => e.getAttribute('data-customer-name') ?? ''));
}

/** Waits until the table shows exactly these customers (in any order). */
async function expectRows(page: Page, names: string[]): Promise<void> {
  await expect.poll(async () => (await rowNames(page)).sort(), { timeout: 10_000 }).toEqual([...names].sort());
}

async function pickOption(page: Page, select: string, option: string): Promise<void> {
  await page.locator(select).click();
  await page.locator(`.el-select-dropdown__item[data-option="${option}"]:visible, .el-select-dropdown__item[data-role-option="${option}"]:visible`).click();
}

describe('console: customers, QR codes and people', () => {
  let w: ConsoleE2E;
  let users: Record<string, string>;

  beforeAll(async () => {
    w = await startConsoleE2E();
    users = Object.fromEntries(((await ok(await w.manager.get('/api/users'))).items as { id: string; username: string }[]).map((u) => [u.username, u.id]));
    // Yesterday liu.rep visited SH-0004, checking in 300 m north of where the customer is stored.
    const liu = client(w.t.server, await w.t.login('demo', 'liu.rep'));
    const checkInAt = new Date(Date.now() - 86_400_000);
    await runVisit(liu, { qr: await w.qrOf('SH-0004'), store: NORTH_300, checkInAt, answers: sampleAnswers(FMCG, '商超', 'B', shanghaiDate(checkInAt)) });
  }, 300_000);
  afterAll(async () => w?.close());

  it('filters by type and by "not visited for 30 days"', async () => {
    const { page } = await w.desk('wang.manager', '/customers');
    await expectRows(page, DEMO_NAMES);
    // The visited customer shows its last visit; the others say never.
    const visited = await w.customerId('SH-0004');
    await expect.poll(() => page.locator(`[data-customers-table] tr:has([data-row="${visited}"]) [data-last-visit]`).getAttribute('data-last-visit')).not.toBe('never');
    await shot(page, 'customers');

    await pickOption(page, '[data-filter="type"]', '诊所');
    await expectRows(page, ['社区卫生服务中心诊所']);
    await page.locator('[data-action="reset-filters"]').click();
    await expectRows(page, DEMO_NAMES);

    await page.locator('[data-filter="days"] input').fill('30');
    await page.locator('[data-filter="days"] input').press('Enter');
    await expectRows(page, DEMO_NAMES.filter((n) => n !== '联华超市（徐家汇店）'));
    await page.waitForURL(/days=30/);
    await expect.poll(() => page.locator('.el-loading-mask').count()).toBe(0);
    await shot(page, 'customers-not-visited');
  }, 60_000);

  it('imports a CSV with one bad row: good rows land, the bad row is reported by row and column', async () => {
    const { page } = await w.desk('wang.manager', '/customers');
    const header = IMPORT_COLUMNS.map((c) => c.header).join(',');
    const row = (code: string, name: string, cls: string, lat: string) => [code, name, `上海市黄浦区${name}`, '便利店', cls, '121.48', lat, 'GCJ02', '', '', '', '', '', ''].join(',');
    const csv = [header, row('IMP-001', '导入便利店一号', 'B', '31.23'), row('IMP-002', '导入便利店二号', 'Z', '31.24'), row('IMP-003', '导入便利店三号', 'C', '31.25')].join('\n');

    await page.locator('[data-action="open-import"]').click();
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.locator('[data-action="import-pick"]').click()]);
    await chooser.setFiles({ name: 'customers.csv', mimeType: 'text/csv', buffer: Buffer.from(csv, 'utf8') });
    await expect.poll(() => page.locator('[data-import-filename]').textContent()).toContain('customers.csv');
    await page.locator('[data-action="import-run"]').click();

    const report = page.locator('[data-import-report]');
    await report.waitFor();
    await expect.poll(() => report.locator('[data-count="created"] b').textContent()).toBe('2');
    expect(await report.locator('[data-count="failed"] b').textContent()).toBe('1');
    const error = page.locator('[data-import-errors] tr', { has: page.locator('[data-import-error="3"]') });
    await expect.poll(() => error.textContent()).toContain('客户等级');
    await page.waitForTimeout(300); // the dialog's opening animation, for the screenshot only
    await shot(page, 'customers-import');

    const landed = (await ok(await w.manager.get('/api/customers?q=IMP-'))).items as Listed[];
    expect(landed.map((c) => c.code).sort()).toEqual(['IMP-001', 'IMP-003']);
    // The list behind the dialog refreshed with the new customers.
    await page.keyboard.press('Escape');
    await expect.poll(async () => (await rowNames(page)).filter((n) => n.startsWith('导入')).sort()).toEqual(['导入便利店一号', '导入便利店三号']);
  }, 60_000);

  it('prints the QR sheet of two selected customers as a PDF with two codes', async () => {
    const { page } = await w.desk('wang.manager', '/customers');
    const picked = [await w.customerId('SH-0001'), await w.customerId('SH-0006')];
    await page.locator(`[data-row="${picked[0]!}"]`).waitFor();
    for (const id of picked) await page.locator(`[data-customers-table] tr:has([data-row="${id}"]) .el-checkbox`).first().click();
    await expect.poll(() => page.locator('[data-action="print-qr"]').textContent()).toContain('2');
    const [download] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="print-qr"]').click()]);
    expect(download.suggestedFilename()).toMatch(/\.pdf$/);
    const pdf = readFileSync((await download.path())!);
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text.match(/\/Type \/Page\b/g)).toHaveLength(1); // six codes fit on a page
    // Each QR code is one image (plus its alpha mask, also an image object).
    const images = text.match(/\/Subtype \/Image/g)?.length ?? 0;
    const masks = text.match(/\/SMask \d+ 0 R/g)?.length ?? 0;
    expect(images - masks).toBe(2);
  }, 60_000);

  it('opens the location check of the visited customer and sees the 300 m distance', async () => {
    const { page } = await w.desk('wang.manager', '/customers');
    const id = await w.customerId('SH-0004');
    await page.locator(`[data-action="location-${id}"]`).click();
    const dialog = page.locator('[data-location-dialog]');
    const cell = dialog.locator('[data-distance]').first();
    await cell.waitFor();
    const metres = Number(await cell.getAttribute('data-distance'));
    expect(metres).toBeGreaterThan(280);
    expect(metres).toBeLessThan(330);
    expect(await cell.locator('xpath=ancestor::tr').textContent()).toContain('刘洋');
    expect(await dialog.locator('[data-location-plot] circle').count()).toBeGreaterThan(1);
    expect(await dialog.locator('[data-median-distance]').textContent()).toBe(String(metres));
    await page.waitForTimeout(300);
    await shot(page, 'customers-location');
  }, 60_000);

  it('assigns a second rep to a customer from the claims dialog and shows the history', async () => {
    const { page } = await w.desk('wang.manager', '/customers');
    const id = await w.customerId('SH-0006');
    await page.locator(`[data-action="claims-${id}"]`).click();
    const dialog = page.locator('[data-claims-dialog]');
    await dialog.locator(`[data-holder="${users['chen.rep']!}"]`).waitFor();
    await page.locator('[data-assign-rep]').click();
    await page.locator('.el-select-dropdown__item[data-rep-option="zhang.rep"]:visible').click();
    await dialog.locator('[data-action="assign"]').click();
    await dialog.locator(`[data-holder="${users['zhang.rep']!}"]`).waitFor();
    await expect.poll(() => dialog.locator('[data-claims-history]').textContent()).toContain('王经理');
    const stored = await ok(await w.manager.get(`/api/customers/${id}`));
    expect((stored.assignedReps as string[]).sort()).toEqual([users['chen.rep'], users['zhang.rep']].sort());
  }, 60_000);

  it('an admin promotes liu.rep to manager on the people screen', async () => {
    const { page } = await w.desk('admin', '/people');
    await page.locator('[data-role-select="liu.rep"]').waitFor();
    await page.locator('[data-team="wang.manager"] [data-member="liu.rep"]').waitFor();
    await expect.poll(() => page.locator('.el-loading-mask').count()).toBe(0);
    await shot(page, 'people');
    await pickOption(page, '[data-role-select="liu.rep"]', 'manager');
    await page.locator('.el-message-box').waitFor();
    expect(await page.locator('.el-message-box').textContent()).toContain('刘洋');
    await page.locator('.el-message-box .el-button--primary').click();
    await expect.poll(async () => {
      const items = (await ok(await w.manager.get('/api/users'))).items as { username: string; role: string }[];
      return items.find((u) => u.username === 'liu.rep')?.role;
    }).toBe('manager');

    // The directory sync reports the host's answer: the demo tenant is connected to neither WeCom nor DingTalk.
    await page.locator('[data-action="directory-sync"]').click();
    await expect.poll(() => page.locator('[data-sync-error]').textContent()).toContain('未接入');
  }, 60_000);

  it('a manager sees roles read-only, and the server refuses a role change', async () => {
    const { page } = await w.desk('wang.manager', '/people');
    await page.locator('[data-role="chen.rep"]').waitFor();
    expect(await page.locator('[data-role-select]').count()).toBe(0);
    expect(await page.locator('[data-action="directory-sync"]').count()).toBe(0);
    const refused = await w.manager.patch(`/api/users/${users['chen.rep']!}`).send({ role: 'admin' });
    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('FORBIDDEN');
  }, 60_000);
});
