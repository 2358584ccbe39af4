// The form builder, as a manager uses it: preview the FMCG template in the gallery, create a form from it, add a
// section only pharmacies see (with a required field), watch the phone preview follow the customer type, meet the
// meta-schema in the JSON view, publish with a note and find version 1 in the history. Then a rep's visit to a
// pharmacy (through the API) pins the new form, and submitting without the new required field is refused.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator, Page } from 'playwright-core';
import { shot, startConsoleE2E, type ConsoleE2E } from './console.ts';
import { screenshotOnFailure } from './harness.ts';
import { client, fixes, burstAt, freshPhoto, ok } from '../helpers/visit-flow.ts';
import type { FieldSchema, FormSchema } from '../../server/forms/form-types.ts';

const FORM_NAME = '快消门店拜访（药店专柜版）';
const PHARMACY = { code: 'SH-0003', lng: 121.4521, lat: 31.2290 };
const SECTION = 'otcCounter';
const FIELD = 'counterDisplay';

/** A plausible answer for a field, from its definition (what a rep would pick). */
function sample(field: FieldSchema, visitDate: string): unknown {
  switch (field['x-widget']) {
    case 'choice': return field.enum?.[0];
    case 'multichoice': return [field.items?.enum[0]];
    case 'yesno': return true;
    case 'number': return field.minimum ?? 1;
    case 'rating': return field.maximum;
    case 'text': case 'textarea': return '已与店长沟通本月陈列与补货计划'.padEnd(field.minLength ?? 0, '。').slice(0, field.maxLength ?? 200);
    case 'datetime': return visitDate;
    case 'contact': return { name: '孙店长', role: '店长' };
    case 'products': return [{ name: '感冒灵颗粒', qty: 10 }];
    default: throw new Error(`no sample for ${field['x-widget']}`);
  }
}

/** Answers to every required field of the sections a class-A pharmacy sees, plus the follow-up. */
function pharmacyAnswers(form: FormSchema, visitDate: string): Record<string, unknown> {
  const answers: Record<string, unknown> = {};
  for (const [key, section] of Object.entries(form.properties)) {
    const when = section['x-visibleWhen'];
    if (when && ((when.customerTypes && !when.customerTypes.includes('药店')) || (when.customerClasses && !when.customerClasses.includes('A')))) continue;
    answers[key] = Object.fromEntries((section.required ?? []).map((f) => [f, sample(section.properties[f]!, visitDate)]));
  }
  const due = new Date(`${visitDate}T00:00:00Z`);
  due.setUTCDate(due.getUTCDate() + 3);
  answers.followUp = { action: form['x-evidence'].followUp?.actions?.[0] ?? '再次拜访', dueDate: due.toISOString().slice(0, 10) };
  return answers;
}

/** Selects `needle` in the textarea, searching from `after` (an empty needle: the caret at the very end). */
async function selectIn(area: Locator, after: string, needle: string): Promise<void> {
  await area.evaluate((node, [a, n]) => {
    const el = node as unknown as { value: string; focus(): void; setSelectionRange(from: number, to: number): void };
    const start = n ? el.value.indexOf(n, el.value.indexOf(a)) : el.value.length;
    el.focus();
    el.setSelectionRange(start, start + n.length);
  }, [after, needle] as const);
}

const shanghaiDate = (d: Date) => new Date(d.getTime() + 8 * 3_600_000).toISOString().slice(0, 10);

async function previewShows(page: Page, scope: string, type: string, section: string): Promise<boolean> {
  await page.locator(`${scope} [data-preview-type="${type}"]`).click();
  await page.locator(`${scope} [data-preview][data-preview-current="${type}"] .fr`).waitFor();
  return (await page.locator(`${scope} [data-preview] [data-section="${section}"]`).count()) > 0;
}

describe('console form builder', () => {
  let w: ConsoleE2E;
  let formId = '';
  beforeAll(async () => {
    w = await startConsoleE2E();
  }, 240_000);
  afterAll(async () => w?.close());

  it('previews a template, builds a pharmacy-only section, checks JSON and publishes v1', async () => {
    const { page } = await w.desk('wang.manager', '/forms');
    screenshotOnFailure(page, 'console-forms-builder-failure');
    const card = page.locator('[data-template="fmcg-store-visit"]');
    await card.waitFor();
    // The demo's forms are listed with their status.
    await page.locator('[data-form-row][data-status="published"]').first().waitFor();

    // Gallery preview: a phone-sized rendering whose sections follow the customer type.
    await card.locator('[data-action="preview"]').click();
    const dialog = '[data-dialog="template-preview"]';
    await page.locator(`${dialog} [data-preview] [data-section="basic"]`).waitFor();
    expect((await page.locator(`${dialog} .fp-phone`).boundingBox())?.width).toBeGreaterThanOrEqual(375);
    expect(await previewShows(page, dialog, '商超', 'supermarket')).toBe(true);
    expect(await previewShows(page, dialog, '商超', 'pharmacy')).toBe(false);
    expect(await previewShows(page, dialog, '药店', 'pharmacy')).toBe(true);
    expect(await previewShows(page, dialog, '药店', 'supermarket')).toBe(false);
    await page.locator(`${dialog} [data-section="pharmacy"]`).scrollIntoViewIfNeeded();
    await page.waitForTimeout(300); // let the switch's transition settle for the picture
    await shot(page, 'forms-gallery-preview');

    // Use it under a new name (the demo already has a published 快消门店拜访).
    await page.locator('[data-action="use-previewed"]').click();
    await page.locator('[data-input="new-form-name"]').fill(FORM_NAME);
    await page.locator('[data-action="create"]').click();
    await page.waitForURL(/#\/forms\/[0-9a-f]{24}$/);
    formId = /forms\/([0-9a-f]{24})/.exec(page.url())![1]!;
    await page.locator('[data-action="add-section"]').waitFor();
    expect(await page.locator('[data-input="form-name"]').inputValue()).toBe(FORM_NAME);

    // A new section, shown only to pharmacies, with one required choice field.
    await page.locator('[data-action="add-section"]').click();
    const fresh = page.locator('[data-section-editor="section1"]');
    await fresh.waitFor();
    await fresh.locator('[data-input="section-key"]').fill(SECTION);
    await fresh.locator('[data-input="section-key"]').press('Enter');
    const sec = page.locator(`[data-section-editor="${SECTION}"]`);
    await sec.waitFor();
    await sec.locator('[data-input="section-title"]').fill('药店专柜检查');
    await sec.locator('[data-visible-type="药店"]').click();
    await sec.locator('[data-visibility-tag]').waitFor();
    await sec.locator('[data-action="add-field"]').click();
    await sec.locator('[data-widget="choice"]').click();
    const field = sec.locator(`[data-field-editor="${SECTION}.field2"]`);
    await field.waitFor();
    await field.locator('[data-input="field-title"]').fill('品牌专柜陈列');
    await field.locator('[data-action="expand"]').click();
    await field.locator('[data-input="field-options"]').fill('有专柜且达标\n有专柜未达标\n无专柜');
    await field.locator('[data-input="field-key"]').fill(FIELD);
    await field.locator('[data-input="field-key"]').press('Enter');
    const counter = sec.locator(`[data-field-editor="${SECTION}.${FIELD}"]`);
    await counter.locator('[data-input="field-required"]').click();
    await sec.locator(`[data-field-editor="${SECTION}.field1"] [data-action="remove"]`).click();
    await sec.locator(`[data-field-editor="${SECTION}.field1"]`).waitFor({ state: 'detached' });

    // The live preview shows the section to a pharmacy, required and with its options, and hides it from a supermarket.
    const aside = '.fb-preview';
    expect(await previewShows(page, aside, '药店', SECTION)).toBe(true);
    const previewField = page.locator(`${aside} [data-field="${SECTION}.${FIELD}"]`);
    await previewField.locator('[data-option="有专柜未达标"]').waitFor();
    expect(await previewShows(page, aside, '商超', SECTION)).toBe(false);
    expect(await previewShows(page, aside, '药店', SECTION)).toBe(true);
    await page.locator('.fb-preview [data-error-count]').waitFor({ state: 'detached' });
    await sec.scrollIntoViewIfNeeded();
    await page.locator(`${aside} [data-section="${SECTION}"]`).scrollIntoViewIfNeeded();
    await shot(page, 'form-builder');

    // JSON view: a misspelt type is pointed at, and saving is refused.
    await page.locator('#tab-json').click();
    const json = page.locator('[data-input="json"]');
    const good = await json.inputValue();
    const schema = JSON.parse(good) as FormSchema;
    expect(Object.keys(schema.properties).at(-1)).toBe(SECTION);
    expect(schema.properties[SECTION]).toMatchObject({ title: '药店专柜检查', required: [FIELD], 'x-visibleWhen': { customerTypes: ['药店'] } });
    expect(schema.properties[SECTION]!.properties[FIELD]).toMatchObject({ 'x-widget': 'choice', enum: ['有专柜且达标', '有专柜未达标', '无专柜'] });
    // Edit the one word, as a person would (filling 30 KB at once is slow in Chromium's editing pipeline).
    await selectIn(json, `"${FIELD}"`, '"string"');
    await page.keyboard.type('"strng"');
    const pointer = `/schema/properties/${SECTION}/properties/${FIELD}/type`;
    const error = page.locator(`[data-json-error="${pointer}"]`);
    await error.waitFor();
    const line = Number(await error.getAttribute('data-line'));
    expect((await json.inputValue()).split('\n')[line - 1]).toContain('"strng"');
    await page.locator('.fb-preview [data-error-count]').waitFor();
    await shot(page, 'form-json-error');
    await page.locator('[data-action="save"]').click();
    await page.locator('.fv-error-toast').filter({ hasText: pointer }).waitFor();
    const stored = await w.manager.get(`/api/forms/${formId}`);
    expect(stored.body.draft.revision).toBe(1);
    expect(stored.body.draft.schema.properties[SECTION]).toBeUndefined();
    await selectIn(json, `"${FIELD}"`, '"strng"');
    await page.keyboard.type('"string"');
    await page.locator('[data-json-state="valid"]').waitFor();
    // A broken JSON text is refused before it reaches the server.
    await selectIn(json, '', '');
    await page.keyboard.type(',');
    await page.locator('[data-json-state="syntax"]').waitFor();
    await page.locator('[data-action="save"]').click();
    await page.locator('.fv-error-toast').filter({ hasText: 'JSON' }).waitFor();
    await selectIn(json, '', '');
    await page.keyboard.press('Backspace');
    await page.locator('[data-json-state="valid"]').waitFor();
    expect(await json.inputValue()).toBe(good);

    // Save, publish with a note, and find v1 in the history.
    await page.locator('[data-action="save"]').click();
    await page.locator('[data-state="saved"]').waitFor();
    await page.locator('[data-action="publish"]').click();
    await page.locator('[data-input="version-note"]').fill('新增药店专柜检查（仅药店）');
    await page.locator('[data-action="confirm-publish"]').click();
    const v1 = page.locator('[data-version="1"]');
    await v1.waitFor();
    expect(await v1.getAttribute('data-note')).toBe('新增药店专柜检查（仅药店）');
    await page.locator('[data-usage-customers]').waitFor();
    await page.locator('.fvv > .el-loading-mask').waitFor({ state: 'detached' });
    for (const close of await page.locator('.el-message__closeBtn').all()) await close.click().catch(() => undefined);
    await page.locator('.el-message').first().waitFor({ state: 'detached', timeout: 10_000 });
    await shot(page, 'form-versions');
  }, 120_000);

  it('a rep\'s visit to a pharmacy pins the new form and cannot skip its required pharmacy field', async () => {
    expect(formId).not.toBe('');
    // The demo's own FMCG form matches pharmacies just as specifically; the manager retires it.
    const forms = (await w.manager.get('/api/forms')).body.items as { id: string; name: string; source: { templateKey?: string } | null; status: string }[];
    const demo = forms.find((f) => f.id !== formId && f.source?.templateKey === 'fmcg-store-visit' && f.status === 'published');
    expect(demo).toBeDefined();
    expect((await w.manager.post(`/api/forms/${demo!.id}/archive`)).status).toBe(200);
    const usage = await w.manager.get(`/api/forms/${formId}/usage`);
    expect(usage.body.customers.sample.map((c: { name: string }) => c.name)).toContain('老百姓大药房（南京西路店）');

    const rep = client(w.t.server, await w.t.login('demo', 'zhang.rep'));
    const checkInAt = new Date(Date.now() - 30 * 60_000);
    const started = await ok(await rep.send('post', '/api/visits', { qr: await w.qrOf(PHARMACY.code), deviceTime: checkInAt.toISOString(), host: 'browser' }), 201);
    const id = String(started.id);
    expect(started.form).toEqual({ formId, version: 1 });
    const pinned = (await ok(await rep.get(`/api/forms/${formId}/versions/1`))).schema as FormSchema;
    expect(pinned.properties[SECTION]?.required).toEqual([FIELD]);

    await ok(await rep.send('post', `/api/visits/${id}/check-in`, { fixes: fixes(burstAt(PHARMACY, checkInAt)) }));
    for (const kind of ['门头照', '陈列照', '陈列照', '沟通场景照']) await ok(await rep.photo(id, kind, await freshPhoto()), 201);
    const answers = pharmacyAnswers(pinned, shanghaiDate(checkInAt));
    expect(answers[SECTION]).toEqual({ [FIELD]: '有专柜且达标' });
    await ok(await rep.send('put', `/api/visits/${id}/answers`, { answers: { ...answers, [SECTION]: {} } }));
    const out = new Date(checkInAt.getTime() + 20 * 60_000);
    await ok(await rep.send('post', `/api/visits/${id}/check-out`, { fixes: fixes(burstAt(PHARMACY, out).slice(0, 1)), deviceTime: out.toISOString() }));

    const refused = await rep.send('post', `/api/visits/${id}/submit`, { deviceTime: new Date(out.getTime() + 60_000).toISOString() });
    expect(refused.status, JSON.stringify(refused.body)).toBe(422);
    expect(refused.body.error.code).toBe('ANSWERS_INVALID');
    const fields = (refused.body.error.details as { field: string }[]).map((d) => d.field);
    expect(fields).toEqual([`/answers/${SECTION}/${FIELD}`]);

    await ok(await rep.send('put', `/api/visits/${id}/answers`, { answers }));
    const submitted = await ok(await rep.send('post', `/api/visits/${id}/submit`, { deviceTime: new Date(out.getTime() + 60_000).toISOString() }));
    expect(submitted.status).toBe('submitted');
    const visit = await w.t.models.Visit.findOne({ tenantId: w.tenantId, _id: id }).lean();
    expect({ formId: String(visit?.form?.formId), version: visit?.form?.version }).toEqual({ formId, version: 1 });
    expect((visit?.answers as Record<string, unknown>)[SECTION]).toEqual({ [FIELD]: '有专柜且达标' });

    // The history now counts the visit against v1 and links to the visit list filtered by it.
    const { page } = await w.desk('wang.manager', `/forms/${formId}`);
    await page.locator('#tab-versions').click();
    const link = page.locator('[data-visits-link="1"]');
    await link.waitFor();
    expect(await link.textContent()).toBe('1');
    expect(await link.getAttribute('href')).toBe(`#/visits?formId=${formId}&version=1`);
    await page.locator('.fvv > .el-loading-mask').waitFor({ state: 'detached' });
    await shot(page, 'form-usage');
  }, 120_000);
});
