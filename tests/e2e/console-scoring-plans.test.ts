// The manager console's scoring editor and plan approval in headless Chromium against the real server and database
// (demo tenant): the manager tightens a scoring template, sees the what-if change count the server computes over
// last month's real visits, publishes; approves one rep's plan with its coverage gaps, returns another with a
// comment the rep reads, and sees a 409 when someone else decided first.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { shot, startConsoleE2E, type ConsoleE2E } from './console.ts';
import { screenshotOnFailure } from './harness.ts';
import { as } from '../helpers/test-app.ts';
import { client, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { addDays, shanghaiMonth, shanghaiMonthRange } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((x) => x.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const NOW_MONTH = shanghaiMonth(new Date());
const M = shanghaiMonth(new Date(shanghaiMonthRange(new Date()).start.getTime() - 86_400_000));
const FIRST = `${M}-01`;
const LAST = addDays(`${NOW_MONTH}-01`, -1);
const d = (day: number) => `${M}-${String(day).padStart(2, '0')}`;
const STORE_1 = { lng: 121.4737, lat: 31.2304 }; // SH-0001 华联超市（人民路店）, class A 商超
const STORE_2 = { lng: 121.4693, lat: 31.2223 }; // SH-0002 好德便利（淮海中路店）, class B 便利店
const STORE_3 = { lng: 121.4521, lat: 31.2290 }; // SH-0003 老百姓大药房（南京西路店）, class A 药店

/** Sets an Element Plus number input (by its data attribute) and commits it. */
async function setNumber(page: Page, selector: string, value: number): Promise<void> {
  const input = page.locator(`${selector} input`);
  await input.fill(String(value));
  await input.press('Tab');
}

describe('console: scoring templates and plans', () => {
  let w: ConsoleE2E;
  let zhang: Client;
  let liu: Client;
  let admin: ReturnType<typeof as>;

  beforeAll(async () => {
    w = await startConsoleE2E();
    zhang = client(w.t.server, await w.t.login('demo', 'zhang.rep'));
    liu = client(w.t.server, await w.t.login('demo', 'liu.rep'));
    admin = as(w.t.server, await w.t.login('demo', 'admin'));
  }, 240_000);
  afterAll(async () => w?.close());

  it('edits a scoring template, sees the what-if the server computes over last month, and publishes', async () => {
    // Last month's real visits, 20 minutes each, covering all three of 张伟's customers (so his maintenance score
    // counts): the class-A supermarket three times, the class-A pharmacy and the class-B shop once.
    const visit = async (code: string, store: { lng: number; lat: number }, type: string, cls: string, day: number) => {
      const r = await runVisit(zhang, { qr: await w.qrOf(code), store, checkInAt: new Date(`${d(day)}T10:00:00+08:00`), answers: sampleAnswers(FMCG, type, cls, d(day)), stayMin: 20 });
      expect(r.submitted.verdict.band, JSON.stringify(r.submitted.verdict.reasons)).toBe('green');
    };
    await visit('SH-0001', STORE_1, '商超', 'A', 3);
    await visit('SH-0002', STORE_2, '便利店', 'B', 5);
    await visit('SH-0001', STORE_1, '商超', 'A', 10);
    await visit('SH-0001', STORE_1, '商超', 'A', 17);
    await visit('SH-0003', STORE_3, '药店', 'A', 18);
    // The template in force: the default, published once.
    const created = await ok(await w.manager.post('/api/scoring-templates/from-template').send({ templateKey: 'default' }), 201);
    const id = String(created.id);
    await ok(await w.manager.post(`/api/scoring-templates/${id}/publish`).send({ note: '采用默认考核' }), 201);

    const { page } = await w.desk('wang.manager', '/scoring');
    screenshotOnFailure(page, 'console-scoring-failure');
    await page.locator(`[data-row="${id}"]`).waitFor();
    await page.locator(`[data-row="${id}"] ~ [data-in-force]`).waitFor();
    await expect(page.locator('[data-in-force]').count()).resolves.toBe(1);
    await page.locator('[data-table="scoring"] .el-loading-mask').waitFor({ state: 'detached' }).catch(() => undefined);
    await page.waitForTimeout(300); // the loading mask fades out
    await shot(page, 'scoring');
    await page.locator(`[data-row="${id}"]`).click();
    await page.waitForURL(new RegExp(`#/scoring/${id}`));

    // Weights must add up to 100: the running sum shows 90 and saving is refused until it is back.
    await page.locator('[data-weight="group:behaviour"]').waitFor();
    await setNumber(page, '[data-weight="group:behaviour"]', 10);
    await expect(page.locator('[data-weight-total="groups"]').getAttribute('data-sum')).resolves.toBe('90');
    await page.locator('[data-problems]').waitFor();
    expect(await page.locator('[data-action="save"]').isDisabled()).toBe(true);
    expect(await page.locator('[data-action="publish"]').isDisabled()).toBe(true);
    await setNumber(page, '[data-weight="group:behaviour"]', 20);
    await expect(page.locator('[data-weight-total="groups"]').getAttribute('data-sum')).resolves.toBe('100');
    await shot(page, 'scoring-editor');

    // A class-A customer now needs an hour on site.
    await page.getByRole('tab', { name: '真实性参数' }).click();
    await setNumber(page, '[data-param="minStayMinutes.A"]', 60);
    await page.locator('[data-state="dirty"]').waitFor();

    await page.getByRole('tab', { name: '发布前试算' }).click();
    await page.locator('[data-action="what-if"]').click();
    const verdicts = page.locator('[data-whatif="verdicts"]');
    await verdicts.waitFor();
    const shown = Number(await verdicts.getAttribute('data-count'));
    const shownGrades = Number(await page.locator('[data-whatif="grades"]').getAttribute('data-count'));

    // The page saved the draft first; the server's what-if over the same days gives the same counts.
    const stored = await ok(await w.manager.get(`/api/scoring-templates/${id}`));
    expect((stored.draft as { config: { authenticity: { minStayMinutes: { A: number } } } }).config.authenticity.minStayMinutes.A).toBe(60);
    const server = await ok(await w.manager.post(`/api/scoring-templates/${id}/what-if`).send({ from: FIRST, to: LAST }));
    expect(server.changed).toBe(4);
    expect(shown).toBe(server.changed);
    expect(shownGrades).toBe((server.grades as { changed: number }).changed);
    expect(shownGrades).toBeGreaterThan(0); // valid visits 5 of 5 → 1 of 5 moves 张伟's grade
    await expect(page.locator('[data-table="verdict-changes"] .el-table__body tr').count()).resolves.toBe(4);
    await expect(page.locator('[data-table="grade-changes"]').textContent()).resolves.toContain('张伟');
    await expect(page.locator('[data-table="verdict-changes"]').textContent()).resolves.toContain('停留时间不足');
    await shot(page, 'scoring-what-if');

    await page.locator('[data-action="publish"]').click();
    await page.locator('[data-field="publish-note"]').fill('A类客户最短停留60分钟');
    await page.locator('[data-action="confirm-publish"]').click();
    await page.getByRole('tab', { name: '版本历史' }).click();
    await page.locator('[data-version="2"]').waitFor();
    const versions = (await ok(await w.manager.get(`/api/scoring-templates/${id}/versions`))).items as { version: number; note: string }[];
    expect(versions[0]).toMatchObject({ version: 2, note: 'A类客户最短停留60分钟' });
  }, 180_000);

  it('approves a plan with its coverage gaps, returns another with a comment, and shows a 409 when beaten to it', async () => {
    const ids = { a: await w.customerId('SH-0001'), c4: await w.customerId('SH-0004') };
    const day = (n: number) => `${NOW_MONTH}-${String(n).padStart(2, '0')}`;
    const item = (customerId: string, date: string) => ({ date, customerId, purpose: '例行拜访', visitType: 'onsite', contactName: '王店长', contactPhone: '13800138001' });
    async function submitPlan(rep: Client, items: unknown[]): Promise<string> {
      const opened = await ok(await rep.send('post', '/api/plans', { month: NOW_MONTH }));
      const edited = await ok(await rep.send('put', `/api/plans/${String(opened.id)}/items`, { revision: opened.revision, items }));
      await ok(await rep.send('post', `/api/plans/${String(opened.id)}/submit`, { revision: edited.revision }));
      return String(opened.id);
    }
    // 张伟 plans only one of his three customers: the other two are coverage gaps.
    const zhangPlan = await submitPlan(zhang, [item(ids.a, day(8)), item(ids.a, day(22))]);
    const liuPlan = await submitPlan(liu, [item(ids.c4, day(12))]);

    const { page } = await w.desk('wang.manager', `/plans?month=${NOW_MONTH}`);
    screenshotOnFailure(page, 'console-plans-failure');
    await page.locator(`[data-row="${zhangPlan}"]`).click();
    const detail = page.locator(`[data-plan="${zhangPlan}"]`);
    await detail.waitFor();
    await expect(detail.locator('[data-coverage]').getAttribute('data-gaps')).resolves.toBe('2');
    await expect(detail.locator('[data-coverage]').textContent()).resolves.toContain('好德便利');
    await expect(detail.locator(`[data-day="${day(8)}"]`).textContent()).resolves.toContain('华联超市');
    await page.locator('.main').evaluate((el) => { el.scrollTop = 0; });
    await shot(page, 'plans');
    await detail.locator('[data-field="comment"]').fill('同意，注意补上好德便利和老百姓大药房');
    await detail.locator('[data-action="approve"]').click();
    await page.locator(`[data-plan="${zhangPlan}"][data-status="approved"]`).waitFor();
    const approved = await ok(await zhang.get(`/api/plans/${zhangPlan}`));
    expect(approved.status).toBe('approved');

    await page.locator(`[data-row="${liuPlan}"]`).click();
    const liuDetail = page.locator(`[data-plan="${liuPlan}"]`);
    await liuDetail.waitFor();
    await liuDetail.locator('[data-field="comment"]').fill('只有一家客户，请把五角场店也排进来');
    await liuDetail.locator('[data-action="return"]').click();
    await page.locator(`[data-plan="${liuPlan}"][data-status="returned"]`).waitFor();
    const returned = await ok(await liu.get(`/api/plans/${liuPlan}`));
    expect(returned.status).toBe('returned');
    expect((returned.history as { action: string; comment: string | null }[]).at(-1)).toMatchObject({ action: 'returned', comment: '只有一家客户，请把五角场店也排进来' });

    // 刘洋 resubmits; the manager opens it, but an admin approves it first: the manager's return is a clear 409.
    const edited = await ok(await liu.send('put', `/api/plans/${liuPlan}/items`, { revision: returned.revision, items: [item(ids.c4, day(12)), item(await w.customerId('SH-0005'), day(14))] }));
    await ok(await liu.send('post', `/api/plans/${liuPlan}/submit`, { revision: edited.revision }));
    await page.reload();
    await page.locator(`[data-row="${liuPlan}"]`).click();
    await page.locator(`[data-plan="${liuPlan}"][data-status="submitted"]`).waitFor();
    await ok(await admin.post(`/api/plans/${liuPlan}/approve`).send({}));
    await page.locator(`[data-plan="${liuPlan}"] [data-field="comment"]`).fill('再调整一下日期');
    await page.locator(`[data-plan="${liuPlan}"] [data-action="return"]`).click();
    await page.locator(`[data-plan="${liuPlan}"] [data-conflict]`).waitFor();
    await page.locator(`[data-plan="${liuPlan}"][data-status="approved"]`).waitFor();
    expect((await ok(await liu.get(`/api/plans/${liuPlan}`))).status).toBe('approved');
  }, 180_000);
});
