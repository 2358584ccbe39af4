// What a rep does on the phone, as Playwright steps against the mini-app's data-test / data-field addresses.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { photoFile } from './harness.ts';

export async function logIn(page: Page, baseUrl: string, username: string): Promise<void> {
  await page.goto(`${baseUrl}/app/?tenant=demo`);
  await page.click(`[data-user="${username}"]`);
  await page.waitForSelector('[data-test="scan-visit"]');
}

/** 扫码拜访: the browser host asks for the code in a prompt, where the test types the store's code. */
export async function scanStore(page: Page, qr: string): Promise<void> {
  page.once('dialog', (d) => void d.accept(qr));
  await page.click('[data-test="scan-visit"]');
  await page.waitForSelector('[data-test="do-checkIn"]');
}

export async function checkIn(page: Page): Promise<string> {
  await page.click('[data-test="do-checkIn"]');
  await page.waitForSelector('[data-test="checkIn-done"]', { timeout: 20_000 });
  return (await page.textContent('[data-test="checkIn"] [data-test="distance"]')) ?? '';
}

/** Takes a photo of a kind through the file chooser; returns the bytes used. */
export async function takePhoto(page: Page, kind: string, buffer?: Buffer): Promise<Buffer> {
  const file = await photoFile(buffer);
  const before = Number(await page.getAttribute(`[data-kind="${kind}"]`, 'data-count'));
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.click(`[data-test="take-${kind}"]`)]);
  await chooser.setFiles(file);
  await page.waitForSelector(`[data-kind="${kind}"][data-count="${before + 1}"]`);
  return file.buffer;
}

const field = (key: string) => `[data-field="${key}"]`;

/**
 * The store-visit form as a class-A pharmacy (药店) sees it: basic info, stock, the 药店OTC检查 section (shown only to
 * pharmacies), the key-account section (A/B only) and the summary. The receptionist is pre-filled from the key contact.
 */
export async function fillPharmacyForm(page: Page): Promise<void> {
  await page.waitForSelector('[data-section="pharmacy"]');
  expect(await page.locator('[data-section="supermarket"]').count()).toBe(0);
  expect(await page.locator('[data-section="convenience"]').count()).toBe(0);
  await page.click(`${field('basic.visitPurpose')} [data-option="例行拜访"]`);
  await page.click(`${field('basic.storeStatus')} [data-option="正常营业"]`);
  await page.click(`${field('stockOrder.shelfStock')} [data-option="偏低（需补货）"]`);
  await page.click(`${field('stockOrder.orderPlaced')} [data-option="false"]`);
  await page.click(`${field('stockOrder.priceCompliance')} [data-option="按建议零售价执行"]`);
  await page.click(`${field('pharmacy.otcOutOfStockCategories')} [data-option="感冒发烧"]`);
  await page.click(`${field('pharmacy.clerkRecommend')} [data-option="主动推荐"]`);
  await page.click(`${field('keyAccount.upsellIntent')} [data-option="有意向，待确认"]`);
  await page.click(`${field('keyAccount.annualAgreement')} [data-option="符合进度"]`);
  await page.fill(`${field('summary.visitSummary')} textarea`, '店长反馈感冒药缺货，已约定补货并做店员培训。');
}

/** The same form as a class-B convenience store (便利店) sees it: the 便利店陈列检查 section instead of the pharmacy's. */
export async function fillConvenienceForm(page: Page): Promise<void> {
  await page.waitForSelector('[data-section="convenience"]');
  expect(await page.locator('[data-section="pharmacy"]').count()).toBe(0);
  await page.click(`${field('basic.visitPurpose')} [data-option="陈列检查"]`);
  await page.click(`${field('basic.storeStatus')} [data-option="正常营业"]`);
  await page.click(`${field('stockOrder.shelfStock')} [data-option="充足"]`);
  await page.click(`${field('stockOrder.orderPlaced')} [data-option="false"]`);
  await page.click(`${field('stockOrder.priceCompliance')} [data-option="按建议零售价执行"]`);
  await page.click(`${field('convenience.coolerDisplay')} [data-option="共用冰柜且有固定排面"]`);
  await page.click(`${field('convenience.checkoutDisplay')} [data-option="true"]`);
  await page.click(`${field('keyAccount.upsellIntent')} [data-option="暂无"]`);
  await page.click(`${field('keyAccount.annualAgreement')} [data-option="符合进度"]`);
  await page.fill(`${field('summary.visitSummary')} textarea`, '冰柜排面保持良好，收银台陈列到位。');
}

/** 门头照 once, 陈列照 twice, 沟通场景照 once (the store-visit form's minimum); returns the storefront bytes. */
export async function takeRequiredPhotos(page: Page, storefront?: Buffer): Promise<Buffer> {
  const front = await takePhoto(page, '门头照', storefront);
  await takePhoto(page, '陈列照');
  await takePhoto(page, '陈列照');
  await takePhoto(page, '沟通场景照');
  return front;
}

export async function followUp(page: Page, action: string): Promise<void> {
  await page.click(`${field('followUp.action')} [data-option="${action}"]`);
  await page.locator(`${field('followUp.dueDate')} [data-option]`).nth(1).click();
}

export async function checkOut(page: Page): Promise<void> {
  await page.click('[data-test="do-checkOut"]');
  await page.waitForSelector('[data-test="checkOut-done"]', { timeout: 20_000 });
}

export async function submit(page: Page): Promise<void> {
  await page.click('[data-test="submit"]');
}

export async function verdict(page: Page, timeout = 30_000): Promise<{ band: string; score: number; reasons: string[]; text: string }> {
  const card = page.locator('[data-test="verdict"]');
  await card.waitFor({ timeout });
  return {
    band: (await card.getAttribute('data-band')) ?? '',
    score: Number(await card.getAttribute('data-score')),
    reasons: await card.locator('[data-reason]').evaluateAll((els) => els.map((e) => e.getAttribute('data-reason') ?? '')),
    text: (await card.textContent()) ?? '',
  };
}
