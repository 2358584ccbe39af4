// The review side of the console in Chromium against the real server: a rep of 王经理's team teleports to Beijing
// with a re-used photo (red); the manager finds it first in the queue, reads the reasons with their measured values,
// the photos and the location plot, overrides it with a reason and sees the override audited beside the kept machine
// verdict; then sends another visit to call-back and records the outcome on the call-back list.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { shot, startConsoleE2E, type ConsoleE2E } from './console.ts';
import { screenshotOnFailure } from './harness.ts';
import { client, freshPhoto, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const MIN = 60_000;
const SH_0001 = { lng: 121.4737, lat: 31.2304 };
const SH_0004 = { lng: 121.4365, lat: 31.1950 };
const BEIJING = { lng: 116.4074, lat: 39.9042 };

describe('console: review a red visit, override it, call back another', () => {
  let w: ConsoleE2E;
  let zhang: Client;
  let liu: Client;
  let redId = '';
  let yellowId = '';

  beforeAll(async () => {
    w = await startConsoleE2E();
    zhang = client(w.t.server, await w.t.login('demo', 'zhang.rep'));
    liu = client(w.t.server, await w.t.login('demo', 'liu.rep'));
    const zhangId = String((await w.t.models.User.findOne({ tenantId: w.tenantId, username: 'zhang.rep' }).lean())!._id);
    // A Beijing store held by zhang.rep, 1,000 km from his Shanghai round.
    const bj = await ok(await w.manager.post('/api/customers').send({
      name: '京客隆（朝阳店）', address: '北京市朝阳区朝阳路 1 号', type: '商超', class: 'A', location: { ...BEIJING, system: 'GCJ02' },
      contacts: [{ name: '马店长', role: '店长', phone: '13900139001', isKey: true }],
    }), 201);
    await ok(await w.manager.post(`/api/customers/${String(bj.id)}/claim`).send({ repId: zhangId }));
    const bjQr = String((await ok(await w.manager.get(`/api/customers/${String(bj.id)}/qr`))).payload);

    const start = Date.now() - 5 * 60 * MIN;
    const answers = (type: string, cls: string, at: Date) => sampleAnswers(FMCG, type, cls, shanghaiDate(at));
    const honest = await runVisit(zhang, { qr: await w.qrOf('SH-0001'), store: SH_0001, checkInAt: new Date(start), answers: answers('商超', 'A', new Date(start)) });
    expect(honest.submitted.verdict.band).toBe('green');
    // 25 minutes after leaving 人民路 he "checks in" in Beijing with the storefront photo of that visit.
    const teleportAt = new Date(start + 20 * MIN + 25 * MIN);
    const photos = [honest.pictures[0]!, ...(await Promise.all([1, 2, 3].map(() => freshPhoto())))];
    const red = await runVisit(zhang, { qr: bjQr, store: BEIJING, checkInAt: teleportAt, photos, answers: answers('商超', 'A', teleportAt) });
    const codes = red.submitted.verdict.reasons.map((r) => r.code);
    expect(red.submitted.verdict.band).toBe('red');
    expect(codes).toEqual(expect.arrayContaining(['IMPOSSIBLE_TRAVEL', 'PHOTO_SAME_FILE']));
    redId = red.id;
    // liu.rep leaves 徐家汇 after three minutes: a yellow visit to call back.
    const shortAt = new Date(start + 60 * MIN);
    const short = await runVisit(liu, { qr: await w.qrOf('SH-0004'), store: SH_0004, checkInAt: shortAt, stayMin: 3, answers: answers('商超', 'B', shortAt) });
    expect(['yellow', 'red']).toContain(short.submitted.verdict.band);
    yellowId = short.id;
  }, 300_000);
  afterAll(async () => w?.close());

  it('the manager finds the red visit first, reads its evidence, overrides it and sees the audit', async () => {
    const { page } = await w.desk('wang.manager', '/visits');
    screenshotOnFailure(page, 'failed-console-reviews-detail');
    const rows = page.locator('[data-visits] [data-row]');
    await rows.first().waitFor();
    expect(await rows.first().getAttribute('data-row')).toBe(redId);
    expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-row')))).toContain(yellowId);
    await expect(page.locator('[data-visits] .el-table__row').first().textContent()).resolves.toContain('京客隆');
    await expect(page.locator('[data-visits] .el-table__row').first().locator('[data-top-reasons]').textContent()).resolves.toMatch(/照片与以前的完全相同|不可能的移动速度/);
    await shot(page, 'reviews-queue');

    await rows.first().click();
    await page.waitForURL(new RegExp(`#/visits/${redId}`));
    const travel = page.locator('[data-reason="IMPOSSIBLE_TRAVEL"]');
    await travel.waitFor();
    await expect(travel.textContent()).resolves.toContain('不可能的移动速度');
    await expect(travel.locator('[data-measured]').textContent()).resolves.toMatch(/实测 [\d,.]+ 公里\/小时（阈值 [\d,.]+）/);
    await expect(page.locator('[data-reason="PHOTO_SAME_FILE"]').count()).resolves.toBe(1);
    // The watermarked photos load through their signed links.
    await page.locator('[data-photos][data-count="4"]').waitFor();
    await page.waitForFunction("[...document.querySelectorAll('[data-photos] img')].some((i) => i.naturalWidth > 0)");
    // The plot: the fence circle with the check-in fixes inside, and the previous visit's check-out in Shanghai
    // pinned to the edge with its distance (the impossible trip).
    await expect(page.locator('[data-plot] [data-fence="circle"]').count()).resolves.toBe(1);
    expect(await page.locator('[data-plot] [data-fix="checkin"]:not([data-off-plot])').count()).toBeGreaterThanOrEqual(1);
    await expect(page.locator('[data-plot] [data-fix="previous"][data-off-plot]').textContent()).resolves.toMatch(/1,0\d\d km/);
    await expect(page.locator('[data-nearest]').textContent()).resolves.toMatch(/\d+ m/);
    await expect(page.locator('[data-stay]').textContent()).resolves.toContain('20 分钟');
    await expect(page.locator('[data-audit="machine"]').textContent()).resolves.toContain('机器结论：红灯');
    await expect(page.locator('[data-recent-visit]').count()).resolves.toBeGreaterThanOrEqual(1);

    const reason = '已与门店电话核实，业务员当天确在店内，系手机定位异常';
    await page.locator('[data-action="override"]').click();
    await page.locator('[data-dialog="override"] [data-band="yellow"]').click();
    await page.locator('textarea[data-input="reason"]').fill(reason);
    await page.locator('[data-action="save-override"]').click();
    const entry = page.locator('[data-audit="override"]');
    await entry.waitFor();
    await expect(entry.textContent()).resolves.toContain('改判为黄灯（机器结论：红灯）');
    await expect(entry.locator('[data-audit-detail]').textContent()).resolves.toBe(reason);
    await expect(page.locator('[data-audit="machine"]').textContent()).resolves.toContain('机器结论：红灯');
    await expect(page.locator('[data-visit]').getAttribute('data-band')).resolves.toBe('yellow');
    await page.locator('.el-overlay').first().waitFor({ state: 'hidden' });
    await shot(page, 'visit-detail');

    const stored = (await ok(await w.manager.get(`/api/visits/${redId}`))) as { verdict: { band: string }; effectiveBand: string; audit: Record<string, unknown>[] };
    expect(stored.verdict.band).toBe('red');
    expect(stored.effectiveBand).toBe('yellow');
    expect(stored.audit).toEqual([expect.objectContaining({ action: 'override', band: 'yellow', machineBand: 'red', reason, byName: '王经理' })]);
  }, 120_000);

  it('another team\'s manager sees neither the visits nor their detail', async () => {
    const { page } = await w.desk('li.manager', '/visits');
    await page.locator('[data-visits] .el-table__empty-text').waitFor();
    expect(await page.locator('[data-visits] [data-row]').count()).toBe(0);
    await page.goto(`${w.baseUrl}/console/#/visits/${redId}`);
    await page.locator('[data-missing]').waitFor();
  }, 60_000);

  it('sends a visit to call-back and records the outcome on today\'s list', async () => {
    const { page } = await w.desk('wang.manager', `/visits/${yellowId}`);
    screenshotOnFailure(page, 'failed-console-reviews-callback');
    await page.locator('[data-action="callback"]').click();
    await page.locator('.el-message-box input').fill('核实是否到店、停留多久');
    await page.locator('.el-message-box__btns .el-button--primary').click();
    await page.locator('[data-audit="sendToCallback"]').waitFor();
    await expect(page.locator('[data-audit="sendToCallback"]').textContent()).resolves.toContain('13800138001');

    await page.goto(`${w.baseUrl}/console/#/callbacks`);
    const row = page.locator(`[data-visit-id="${yellowId}"]`);
    await row.waitFor();
    const cbId = (await row.getAttribute('data-callback'))!;
    await expect(page.locator(`.el-table__row:has([data-visit-id="${yellowId}"]) [data-phone]`).getAttribute('href')).resolves.toBe('tel:13800138001');
    const form = page.locator(`[data-outcome-form="${cbId}"]`);
    await form.locator('[data-outcome="confirmed"]').click();
    await form.locator('input[data-input="note"]').fill('周店长确认业务员到店，因盘点提前离开');
    await form.locator('[data-action="save-outcome"]').click();
    await expect.poll(() => page.locator(`[data-outcome-of="${cbId}"]`).textContent()).toBe('属实');
    await shot(page, 'callbacks');

    const stored = (await ok(await w.manager.get(`/api/visits/${yellowId}`))) as { effectiveBand: string; callback: { outcome: string }; audit: { action: string }[] };
    expect(stored.callback.outcome).toBe('confirmed');
    expect(stored.effectiveBand).toBe('green');
    expect(stored.audit.map((a) => a.action)).toEqual(['sendToCallback', 'callback']);
  }, 120_000);
});
