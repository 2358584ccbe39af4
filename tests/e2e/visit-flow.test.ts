// A rep's visit in the real mini-app (headless Chromium, real server and database): an honest visit at a pharmacy
// (the store-visit form with its pharmacy-only section) ends green; the same rep "teleported" 1,000 km away with a re-used storefront photo ends red, naming both reasons.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { near, screenshotOnFailure, setLocation, startE2E, type E2E } from './harness.ts';
import { checkIn, checkOut, fillPharmacyForm, followUp, logIn, scanStore, submit, takePhoto, takeRequiredPhotos, verdict } from './rep.ts';

const PHARMACY = { code: 'SH-0003', lng: 121.4521, lat: 31.2290 }; // 老百姓大药房（南京西路店）: a class-A pharmacy (15 min stay) on the store-visit form
const BEIJING = { lng: 116.4074, lat: 39.9042 };

describe('visit flow in the mini-app', { timeout: 90_000 }, () => {
  let e: E2E;
  let context: BrowserContext;
  let page: Page;
  let storefront: Buffer;

  beforeAll(async () => {
    e = await startE2E();
    ({ context, page } = await e.phone(near(PHARMACY)));
    // The phone's clock starts 10 minutes behind and is fast-forwarded 16 minutes in each visit: stays are long
    // enough without waiting, and the phone never runs more than 30 minutes ahead of the server (clock skew).
    await page.clock.install({ time: new Date(Date.now() - 10 * 60_000) });
  });
  afterAll(async () => {
    await e?.close();
  });

  it('an honest visit at a pharmacy: scan, check in, photos, form with the pharmacy section, follow-up, check out, submit → green', async () => {
    screenshotOnFailure(page, 'visit-flow-green');
    await logIn(page, e.baseUrl, 'zhang.rep');
    await scanStore(page, await e.qrOf(PHARMACY.code));
    expect(await page.textContent('[data-test="visit-customer"]')).toContain('老百姓大药房');

    const distance = await checkIn(page);
    expect(distance).toMatch(/距门店 \d+ 米/);
    expect(Number(/(\d+)/.exec(distance)![1])).toBeLessThan(40);

    storefront = await takePhoto(page, '门头照');
    await takePhoto(page, '陈列照');
    await page.clock.fastForward('16:00');
    await checkOut(page);
    expect(await page.textContent('[data-test="checkOut"]')).toMatch(/在店 1[5-7] 分钟/);

    // Submitting too early: the phone names what is missing, at the photo kind and at the field, and sends nothing.
    await submit(page);
    expect(await page.textContent('[data-error="photo.陈列照"]')).toContain('还差 1 张');
    expect(await page.textContent('[data-error="photo.沟通场景照"]')).toContain('还差 1 张');
    expect(await page.textContent('[data-error="pharmacy.clerkRecommend"]')).toContain('必填');
    expect(await page.locator('[data-error="followUp"]').count()).toBe(1);
    expect(await e.t.models.Visit.findOne({ tenantId: e.tenantId }).lean()).toMatchObject({ status: 'checkedOut' });

    await takePhoto(page, '陈列照');
    await takePhoto(page, '沟通场景照');
    await fillPharmacyForm(page);
    await followUp(page, '补货跟进');
    expect(await page.locator('[data-error]').count()).toBe(0);
    await submit(page);

    const v = await verdict(page);
    expect(v.band, v.text).toBe('green');
    expect(v.score).toBeGreaterThanOrEqual(80);
    const stored = await e.t.models.Visit.find({ tenantId: e.tenantId }).lean();
    expect(stored).toHaveLength(1);
    expect(stored[0]!.answers).toMatchObject({ pharmacy: { otcOutOfStockCategories: ['感冒发烧'], clerkRecommend: '主动推荐' }, followUp: { action: '补货跟进' } });
    expect(stored[0]!.answers).not.toHaveProperty('supermarket');
  });

  it('记录 lists the visit with its band, and the follow-up the rep owes can be marked done', async () => {
    screenshotOnFailure(page, 'visit-flow-history');
    await page.click('[data-test="back-today"]');
    await page.click('[data-tab="history"]');
    const row = page.locator('[data-test="history-visit"]').first();
    await row.waitFor();
    expect(await row.textContent()).toContain('老百姓大药房');
    expect(await row.locator('[data-band]').getAttribute('data-band')).toBe('green');
    await page.click('.van-tab:nth-child(2)');
    const task = page.locator('[data-test="task"]');
    await task.waitFor();
    expect(await task.textContent()).toContain('补货跟进');
    await task.locator('[data-test="complete-task"]').click();
    await page.click('.van-dialog__confirm');
    await task.waitFor({ state: 'detached' });
    expect(await e.t.models.Task.find({ tenantId: e.tenantId }).lean()).toMatchObject([{ title: '补货跟进', status: 'done' }]);
  });

  it('the same rep teleported to Beijing minutes later, re-using the storefront photo → red with both reasons', async () => {
    screenshotOnFailure(page, 'visit-flow-red');
    await page.click('[data-tab="today"]');
    await setLocation(context, near(BEIJING));
    await scanStore(page, await e.qrOf(PHARMACY.code));
    await checkIn(page);
    await takeRequiredPhotos(page, storefront);
    await fillPharmacyForm(page);
    await followUp(page, '再次拜访');
    await page.clock.fastForward('16:00');
    await checkOut(page);
    await submit(page);

    const v = await verdict(page);
    expect(v.band, v.text).toBe('red');
    expect(v.reasons).toEqual(expect.arrayContaining(['IMPOSSIBLE_TRAVEL', 'PHOTO_SAME_FILE']));
    // Reasons are in plain words for the rep, not codes.
    expect(v.text).toContain('公里/小时');
    expect(v.text).toContain('完全相同');
  });

  it('a forged store code is refused with the reason in plain words, and the rep can cancel the visit', async () => {
    screenshotOnFailure(page, 'visit-flow-forged');
    await page.click('[data-test="back-today"]');
    const genuine = await e.qrOf(PHARMACY.code);
    await scanStore(page, genuine.slice(0, -4) + (genuine.endsWith('AAAA') ? 'BBBB' : 'AAAA'));
    const problem = page.locator('[data-test="visit-problem"]');
    await problem.waitFor();
    expect(await problem.getAttribute('data-code')).toBe('QR_INVALID');
    expect(await problem.textContent()).toContain('伪造');
    await page.click('[data-test="discard"]');
    await page.click('.van-dialog__confirm');
    await page.waitForSelector('[data-test="scan-visit"]');
    expect(await page.locator('[data-test="awaiting-item"]').count()).toBe(0);
    expect(await e.t.models.Visit.countDocuments({ tenantId: e.tenantId })).toBe(2);
  });
});
