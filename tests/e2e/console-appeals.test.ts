// Acceptance: a rep appeals a red visit from the mini-app's history with a note and a photo; the manager finds it in
// the console's 申诉 screen and overturns it; the rep's valid visits and score change accordingly, the history
// shows the outcome, and the outcome message to the rep is in the outbox. Real server, database and Chromium.
import { join } from 'node:path';
import { mkdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { near, photoFile, screenshotOnFailure, SCREENSHOTS } from './harness.ts';
import { logIn } from './rep.ts';
import { shot, startConsoleE2E, type ConsoleE2E } from './console.ts';
import { client, ok, runVisit } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const STORE = { code: 'SH-0001', lng: 121.4737, lat: 31.2304 }; // 华联超市（人民路店）: class-A supermarket held by zhang.rep
const NOTE = '当天在店 20 分钟，手机定位软件误报；门店访客登记本上有我的签名。';
const REASON = '访客登记本签名时间与拜访一致，定位异常为手机问题，改判有效。';

interface Kpis { counts: { visits: number; valid: number; green: number; red: number }; indicators: { validVisitRate: { value: number | null } }; score: { total: number; grade: { label: string } | null } }

/** The default scoring template's grade bands (templates/scoring/default.json). */
const gradeOf = (score: number) => (score >= 90 ? '优秀' : score >= 80 ? '良好' : score >= 70 ? '一般' : score >= 60 ? '较差' : '不达标');

describe('appeals: mini-app to console and back', { timeout: 120_000 }, () => {
  let w: ConsoleE2E;
  let visitId: string;
  let repId: string;
  const day = shanghaiDate(new Date(Date.now() - 2 * 3_600_000));
  const kpis = async () => (await ok(await w.manager.get(`/api/kpis?scope=rep&id=${repId}&from=${day}&to=${shanghaiDate(new Date())}`))) as unknown as Kpis;

  beforeAll(async () => {
    w = await startConsoleE2E();
    // 张伟's visit two hours ago, with the phone reporting a mock location: the engine says red.
    const rep = client(w.t.server, await w.t.login('demo', 'zhang.rep'));
    repId = String((await w.t.models.User.findOne({ tenantId: w.tenantId, username: 'zhang.rep' }).lean())!._id);
    const checkInAt = new Date(Date.now() - 2 * 3_600_000);
    const at = near(STORE, 15, 10);
    const visit = await runVisit(rep, {
      qr: await w.qrOf(STORE.code), store: STORE, checkInAt, answers: sampleAnswers(FMCG, '商超', 'A', shanghaiDate(checkInAt)),
      checkInFixes: [0, 1, 2].map((i) => ({ lng: at.lng + i * 0.00001, lat: at.lat, accuracyM: 10, isMock: true, at: new Date(checkInAt.getTime() + i * 6000) })),
    });
    expect(visit.submitted.verdict.band).toBe('red');
    visitId = visit.id;
    // The demo tenant is not connected to a messenger; connect it to WeCom so the outcome can be addressed to 张伟.
    await w.t.models.Tenant.updateOne({ _id: w.tenantId }, { $set: { host: 'wecom' } });
    await w.t.models.User.updateOne({ tenantId: w.tenantId, _id: repId }, { $set: { hostUserId: 'zhangwei' } });
  }, 240_000);
  afterAll(async () => w?.close());

  it('the rep appeals, the manager overturns, the score and the history follow, the rep is told', async () => {
    // The phone: 记录 shows the red visit with its reasons and a 申诉 button; the sheet takes a note and a photo.
    const { page: phone } = await w.phone(near(STORE));
    screenshotOnFailure(phone, 'console-appeals-phone');
    await logIn(phone, w.baseUrl, 'zhang.rep');
    await phone.click('[data-tab="history"]');
    const row = phone.locator('[data-test="history-visit"]').filter({ has: phone.locator('[data-band="red"]') }).first();
    await row.waitFor();
    expect(await row.locator('[data-reason="HOST_MOCK_FLAG"]').count()).toBe(1);
    await row.locator('[data-test="appeal"]').click();
    const sheet = phone.locator('[data-test="appeal-sheet"]');
    await sheet.waitFor();
    await sheet.locator('[data-test="appeal-note"] textarea').fill(NOTE);
    const [chooser] = await Promise.all([phone.waitForEvent('filechooser'), sheet.locator('[data-test="appeal-add-photo"]').click()]);
    await chooser.setFiles(await photoFile());
    await sheet.locator('[data-test="appeal-thumb"] img').waitFor();
    await phone.waitForTimeout(400); // the sheet's slide-in
    await phoneShot(phone, 'miniapp-appeal-sheet');
    await sheet.locator('[data-test="appeal-submit"]').click();
    await row.locator('[data-test="appeal-state"][data-appeal="pending"]').waitFor();
    expect(await row.locator('[data-test="appeal-state"]').textContent()).toContain('申诉中');
    expect(await row.locator('[data-test="appeal"]').count()).toBe(0);

    const stored = (await w.t.models.Appeal.findOne({ tenantId: w.tenantId, visitId }).lean())!;
    expect(stored).toMatchObject({ status: 'pending', note: NOTE, bandAtFiling: 'red' });
    expect(stored.photoIds).toHaveLength(1);
    const before = await kpis();
    expect(before.counts).toMatchObject({ visits: 1, red: 1, green: 0, valid: 0 });
    expect(before.indicators.validVisitRate.value).toBe(0);

    // The console: the appeal with the machine's reasons, the note and the photo; overturned with a reason.
    const { page: desk } = await w.desk('wang.manager', '/appeals');
    screenshotOnFailure(desk, 'console-appeals-desk');
    const card = desk.locator(`[data-appeal="${String(stored._id)}"]`);
    await card.waitFor();
    expect(await card.getAttribute('data-status')).toBe('pending');
    expect(await card.textContent()).toContain(NOTE);
    expect(await card.textContent()).toContain('华联超市');
    expect(await card.locator('[data-reason="HOST_MOCK_FLAG"]').count()).toBe(1);
    expect(await card.locator('[data-link="visit"]').getAttribute('href')).toBe(`#/visits/${visitId}`);
    await card.locator('[data-test="appeal-photo"] img').waitFor();
    expect(await card.locator('[data-test="appeal-photo"] img').evaluate((img) => (img as unknown as { naturalWidth: number }).naturalWidth)).toBeGreaterThan(0);
    await settled(desk);
    await shot(desk, 'appeals');

    await card.locator('[data-decision="overturn"]').click();
    await card.locator('[data-band="green"]').click();
    await card.locator('[data-field="reason"] textarea').fill(REASON);
    await card.locator('[data-action="decide"]').click();
    await card.waitFor({ state: 'detached' });
    await desk.locator('[data-filter="decided"]').click();
    const decided = desk.locator(`[data-appeal="${String(stored._id)}"][data-status="overturned"]`);
    await decided.waitFor();
    expect(await decided.locator('[data-test="appeal-decision"]').textContent()).toContain(REASON);
    await settled(desk);
    await shot(desk, 'appeals-decided');

    // Machine verdict kept, the band that counts green, all three steps audited.
    const visit = await ok(await w.manager.get(`/api/visits/${visitId}`));
    expect(visit).toMatchObject({ verdict: { band: 'red' }, effectiveBand: 'green', override: { band: 'green', machineBand: 'red' }, appeal: { status: 'overturned' } });
    expect((visit.audit as { action: string }[]).map((a) => a.action)).toEqual(['appeal', 'appealDecision']);

    // One red visit became a valid green one: valid-visit rate 0 % → 100 %, a higher score and the grade that goes with it.
    const after = await kpis();
    expect(after.counts).toMatchObject({ visits: 1, red: 0, green: 1, valid: 1 });
    expect(after.indicators.validVisitRate.value).toBe(100);
    expect(after.score.total).toBeGreaterThan(before.score.total);
    expect(after.score.grade?.label).toBe(gradeOf(after.score.total));
    expect(before.score.grade?.label).toBe(gradeOf(before.score.total));

    // The outcome to 张伟 in the outbox, once, on WeCom.
    const messages = await w.t.models.Outbox.find({ tenantId: w.tenantId, job: 'appealOutcome' }).lean();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ target: repId, channel: { kind: 'wecomApp', hostUserId: 'zhangwei' }, title: '申诉结果：已改判' });
    expect(messages[0]!.parts.join('')).toContain('/app/#/history');

    // Back on the phone: the history shows the outcome and the visit as green.
    await phone.reload();
    await phone.click('[data-tab="history"]').catch(() => undefined);
    const outcome = phone.locator('[data-test="appeal-state"][data-appeal="overturned"]');
    await outcome.waitFor();
    expect(await outcome.textContent()).toContain('申诉通过');
    expect(await outcome.textContent()).toContain(REASON);
    const greenRow = phone.locator('[data-test="history-visit"]').filter({ has: outcome });
    expect(await greenRow.locator('[data-band]').first().getAttribute('data-band')).toBe('green');
  });
});

/** Loading masks gone and Element Plus transitions (0.3 s) finished, so the screenshot shows the screen at rest. */
async function settled(page: Page): Promise<void> {
  await page.locator('.el-loading-mask').waitFor({ state: 'detached' }).catch(() => undefined);
  await page.waitForTimeout(400);
}

async function phoneShot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}
