// Offline: the network drops right after check-in. The rest of the visit is done and waits on the phone, survives a
// reload while still offline, and arrives exactly once when the network returns, with a verdict the app shows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import { near, screenshotOnFailure, startE2E, toWgs84, type E2E } from './harness.ts';
import { checkIn, checkOut, fillConvenienceForm, fillPharmacyForm, followUp, logIn, scanStore, submit, takePhoto, takeRequiredPhotos, verdict } from './rep.ts';

/** In the page: the visit's outbox bar is gone once nothing of the visit waits on the phone. */
const NOTHING_WAITING = `!document.querySelector('[data-test="outbox"]')`;
const PHARMACY = { code: 'SH-0003', lng: 121.4521, lat: 31.2290 };
const CONVENIENCE = { code: 'SH-0002', lng: 121.4693, lat: 31.2223 }; // 好德便利（淮海中路店）, class B, 1.8 km away

describe('offline visit', { timeout: 90_000 }, () => {
  let e: E2E;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    e = await startE2E();
    ({ context, page } = await e.phone(near(PHARMACY, -8, 14)));
    await page.clock.install({ time: new Date(Date.now() - 10 * 60_000) });
  });
  afterAll(async () => {
    await e?.close();
  });

  const waiting = async () => Number(await page.getAttribute('[data-test="outbox"]', 'data-count'));

  it('is captured offline, survives a reload, and arrives exactly once when the network returns', async () => {
    screenshotOnFailure(page, 'offline');
    await logIn(page, e.baseUrl, 'zhang.rep');
    // The app shell must be cached before the network goes (a phone that opened the app once).
    await page.evaluate('navigator.serviceWorker.ready.then(() => true)');
    await scanStore(page, await e.qrOf(PHARMACY.code));
    await checkIn(page);
    await page.waitForFunction(NOTHING_WAITING); // start + check-in are on the server

    await context.setOffline(true);
    await takeRequiredPhotos(page);
    await takePhoto(page, '门头照'); // one more than the minimum: the count must still come out right
    await fillPharmacyForm(page);
    await followUp(page, '寄送样品');
    await page.clock.fastForward('16:00');
    await checkOut(page);
    const pressed = Date.now();
    await submit(page);
    await page.waitForSelector('[data-test="submitting"]');
    const queued = await waiting();
    expect(queued).toBeGreaterThanOrEqual(8); // 5 photos, answers, check-out, submit
    expect(await page.textContent('[data-test="outbox"]')).toContain(`待上传 ${queued} 项`);

    const url = page.url();
    await page.reload();
    expect(page.url()).toBe(url);
    await page.waitForSelector('[data-test="submitting"]');
    expect(await waiting()).toBe(queued);
    const tenantId = e.tenantId;
    expect(await e.t.models.Visit.findOne({ tenantId }).lean()).toMatchObject({ status: 'checkedIn' });

    await page.waitForTimeout(1500); // the phone stays offline a little longer: the queue must not age the steps
    const back = Date.now();
    await context.setOffline(false);
    const v = await verdict(page, 45_000);
    expect(v.band, v.text).toBe('green');
    await page.waitForFunction(NOTHING_WAITING);

    const visits = await e.t.models.Visit.find({ tenantId }).lean();
    expect(visits).toHaveLength(1);
    const visit = visits[0]!;
    expect(visit.status).toBe('submitted');
    expect(visit.fixes.filter((f) => f.phase === 'checkin')).toHaveLength(3);
    expect(visit.fixes.filter((f) => f.phase === 'checkout')).toHaveLength(2);
    expect(await e.t.models.Photo.countDocuments({ tenantId, visitId: visit._id })).toBe(5);
    expect(await e.t.models.Task.find({ tenantId, visitId: visit._id }).lean()).toMatchObject([{ kind: 'followUp', title: '寄送样品' }]);
    expect(visit.effects ?? [], 'every effect of the submit was carried out').toEqual([]);
    // The submit carries the phone's time of the tap; X-Sent-At (same clock) the time it finally left the phone.
    const submitted = (visit as unknown as { submitted: { deviceTime: Date; sentAt: Date } }).submitted;
    expect(submitted.sentAt.getTime() - submitted.deviceTime.getTime()).toBeGreaterThanOrEqual(back - pressed - 1000);
  });

  it('a visit started with no network at all (scan offline) is worked from the phone cache and arrives once', async () => {
    screenshotOnFailure(page, 'offline-start');
    await page.click('[data-test="back-today"]');
    await context.setGeolocation(toWgs84(near(CONVENIENCE, 10, -6)));
    const qr = await e.qrOf(CONVENIENCE.code);
    await context.setOffline(true);
    await scanStore(page, qr);
    // Customer and form come from what the phone cached when it was last online.
    expect(await page.textContent('[data-test="visit-customer"]')).toContain('好德便利');
    expect(await checkIn(page)).toMatch(/距门店 \d+ 米/);
    await takeRequiredPhotos(page);
    await fillConvenienceForm(page);
    await followUp(page, '报价');
    await page.clock.fastForward('11:00');
    await checkOut(page);
    await submit(page);
    await page.waitForSelector('[data-test="submitting"]');
    expect(await waiting()).toBeGreaterThanOrEqual(9); // start, check-in, 4 photos, answers, check-out, submit

    await context.setOffline(false);
    const v = await verdict(page, 45_000);
    expect(v.band, v.text).toBe('green');
    const customerId = await e.customerId(CONVENIENCE.code);
    const visits = await e.t.models.Visit.find({ tenantId: e.tenantId, customerId }).lean();
    expect(visits).toHaveLength(1);
    expect(visits[0]).toMatchObject({ status: 'submitted', start: { method: 'qr' }, answers: { convenience: { checkoutDisplay: true } } });
    expect(await e.t.models.Photo.countDocuments({ tenantId: e.tenantId, visitId: visits[0]!._id })).toBe(4);
    expect(await e.t.models.Task.countDocuments({ tenantId: e.tenantId, visitId: visits[0]!._id })).toBe(1);
  });
});
