// Exporting the month from the console: two visits are made through the visit API (张伟 an honest one, 刘洋 one of
// three minutes at a class-B store), the manager opens #/exports, downloads the month's visits, and the test opens
// the .xlsx the browser saved and finds both visits with their verdicts and reasons; the photos zip downloads too.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { readFileSync } from 'node:fs';
import { startConsoleE2E, shot, type ConsoleE2E } from './console.ts';
import { client, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { shanghaiDate, shanghaiMonth } from '../../server/lib/time.ts';

const FMCG = readBuiltInTemplates().find((t) => t.file.key === 'fmcg-store-visit')!.file.form as FormSchema;
const STORES = {
  'SH-0001': { lng: 121.4737, lat: 31.2304, type: '商超', cls: 'A' },
  'SH-0004': { lng: 121.4365, lat: 31.1950, type: '商超', cls: 'B' },
} as const;
const MIN = 60_000;

describe('console exports', () => {
  let w: ConsoleE2E;
  const made: { id: string; rep: string; band: string }[] = [];

  async function visit(who: Client, rep: string, code: keyof typeof STORES, minutesAgo: number, stayMin: number) {
    const s = STORES[code];
    const checkInAt = new Date(Date.now() - minutesAgo * MIN);
    const r = await runVisit(who, { qr: await w.qrOf(code), store: s, checkInAt, stayMin, answers: sampleAnswers(FMCG, s.type, s.cls, shanghaiDate(checkInAt)) });
    made.push({ id: r.id, rep, band: r.submitted.verdict.band });
  }

  beforeAll(async () => {
    w = await startConsoleE2E();
    await visit(client(w.t.server, await w.t.login('demo', 'zhang.rep')), '张伟', 'SH-0001', 60, 20);
    await visit(client(w.t.server, await w.t.login('demo', 'liu.rep')), '刘洋', 'SH-0004', 30, 3);
  }, 300_000);
  afterAll(async () => w?.close());

  it('the manager exports the month\'s visits and the workbook holds them with verdicts', async () => {
    expect(made.map((m) => m.band)[0]).toBe('green');
    expect(made[1]!.band).not.toBe('green');
    const { page } = await w.desk('wang.manager', '/exports');
    await page.locator('[data-page="exports"] [data-export="visits"]').waitFor();
    await expect(page.locator('[data-test="scope"]').textContent()).resolves.toContain(shanghaiMonth(new Date()));
    await shot(page, 'exports');

    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export-visits"]').click()]);
    expect(file.suggestedFilename()).toBe(`拜访明细_${shanghaiMonth(new Date())}.xlsx`);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(readFileSync(await file.path()) as unknown as ArrayBuffer);
    const sheet = wb.worksheets[0]!;
    const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
    const rows: Record<string, unknown>[] = [];
    sheet.eachRow((row, n) => {
      if (n > 1) rows.push(Object.fromEntries(headers.map((h, i) => [h, (row.values as unknown[])[i + 1] ?? null])));
    });
    const BAND_ZH: Record<string, string> = { green: '绿灯', yellow: '黄灯', red: '红灯' };
    expect(rows.map((r) => [r['拜访编号'], r['业务员'], r['机器结论']])).toEqual(made.map((m) => [m.id, m.rep, BAND_ZH[m.band]]));
    expect(rows[0]).toMatchObject({ 客户编码: 'SH-0001', 表单版本: 1, 最终结论: '绿灯' });
    expect(String(rows[1]!['原因'])).toContain('在店仅 3 分钟');
    expect(headers).toContain('基本信息 / 拜访目的');
  }, 120_000);

  it('narrows to red and yellow visits of a rep and downloads their photos', async () => {
    const { page } = await w.desk('wang.manager', '/exports');
    await page.locator('[data-field="rep"]').click();
    await page.locator('.el-select-dropdown__item', { hasText: '刘洋' }).click();
    await page.locator('[data-field="band"] label', { hasText: made[1]!.band === 'red' ? '红' : '黄' }).click();
    await expect(page.locator('[data-test="scope"]').textContent()).resolves.toContain('刘洋');
    const [file] = await Promise.all([page.waitForEvent('download'), page.locator('[data-action="export-photos"]').click()]);
    expect(file.suggestedFilename()).toMatch(/^拜访照片_.*\.zip$/);
    const zip = readFileSync(await file.path());
    expect(zip.subarray(0, 4)).toEqual(Buffer.from([0x50, 0x4b, 0x03, 0x04]));
    expect(zip.includes(Buffer.from('刘洋'))).toBe(true);
    expect(zip.includes(Buffer.from('张伟'))).toBe(false);
  }, 120_000);
});
