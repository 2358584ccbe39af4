// The visits export streams: 200,000 rows go through the same writer the route uses (rows from visitRow, written
// by writeXlsx) and all come back out of the file, while the heap stays far below what holding the rows would take.
import { createReadStream, createWriteStream, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { writeXlsx } from '../../../server/exports/xlsx-stream.ts';
import { fieldSpecs, planFieldColumns } from '../../../server/exports/export-columns.ts';
import { VISIT_HEADERS, visitRow, type ExportVisit, type RowContext } from '../../../server/exports/visit-row.ts';
import type { FormSchema } from '../../../server/forms/form-types.ts';

const ROWS = 200_000;
const FORM = {
  type: 'object', title: 'f', 'x-evidence': {},
  properties: {
    basic: { type: 'object', title: '基本信息', properties: {
      purpose: { title: '拜访目的', 'x-widget': 'choice', type: 'string', enum: ['例行拜访', '新品推广'] },
      shelf: { title: '货架数', 'x-widget': 'number', type: 'integer', 'x-unit': '组' },
      ok: { title: '陈列达标', 'x-widget': 'yesno', type: 'boolean' },
    } },
    summary: { type: 'object', title: '总结', properties: { text: { title: '拜访小结', 'x-widget': 'textarea', type: 'string', maxLength: 500 } } },
  },
} as unknown as FormSchema;

/** A generated visit: every one distinct, as real data is (no string is shared across rows). */
function visit(i: number): ExportVisit {
  const at = new Date(Date.UTC(2026, 0, 1) + i * 60_000);
  return {
    _id: `v${String(i).padStart(23, '0')}`, repId: `r${i % 200}`, customerId: `c${i % 5000}`,
    customer: { name: `测试门店${i}号`, type: '商超', class: 'ABCD'[i % 4]! }, form: { formId: 'f', version: 1 },
    checkIn: { deviceTime: at }, checkOut: { deviceTime: new Date(at.getTime() + 20 * 60_000) }, submitted: { deviceTime: new Date(at.getTime() + 21 * 60_000) },
    answers: { basic: { purpose: i % 2 ? '例行拜访' : '新品推广', shelf: i % 9, ok: i % 3 === 0 }, summary: { text: `第 ${i} 次拜访：店长反馈良好，约定下周补货。` } },
    verdict: { score: 60 + (i % 40), band: i % 7 === 0 ? 'red' : 'green', reasons: i % 7 === 0 ? [{ message_zh: `在店仅 ${i % 5} 分钟，A 类客户至少需要 15 分钟`, weight: 25, counted: true }] : [] },
  };
}

describe('streaming a 200,000-row visits export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'fv-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every row and reads them all back, with a bounded heap', async () => {
    const columns = planFieldColumns([{ formId: 'f', formName: '门店拜访', version: 1, content: FORM }]);
    const specs = fieldSpecs(FORM);
    const ctx: RowContext = { columns, repName: (id) => `业务员${id}`, customerCode: (id) => id.toUpperCase(), formName: () => '门店拜访', specs: () => specs };
    const startHeap = process.memoryUsage().heapUsed;
    let peak = startHeap;
    const sample = () => { peak = Math.max(peak, process.memoryUsage().heapUsed); };
    const timer = setInterval(sample, 20);
    async function* rows() {
      for (let i = 0; i < ROWS; i += 1) {
        if (i % 2000 === 0) {
          sample();
          await new Promise((r) => setImmediate(r)); // a database cursor yields between batches too
        }
        yield visitRow(visit(i), ctx);
      }
    }
    const file = join(dir, 'visits.xlsx');
    const out = createWriteStream(file);
    const written = await writeXlsx(out, [{ name: '拜访明细', columns: [...VISIT_HEADERS, ...columns.map((c) => c.header)].map((header) => ({ header })), rows: rows() }]);
    clearInterval(timer);
    sample();
    const growthMb = (peak - startHeap) / 2 ** 20;
    expect(written.rows).toEqual([ROWS]);

    // Reading back with exceljs's streaming reader: every data row is there, first and last intact.
    let count = 0;
    let first: unknown[] = [];
    let last: unknown[] = [];
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(createReadStream(file), { worksheets: 'emit', sharedStrings: 'cache', styles: 'ignore', hyperlinks: 'ignore' });
    for await (const sheet of reader) {
      for await (const row of sheet) {
        const values = (row.values as unknown[]).slice(1);
        if (row.number === 1) expect(values.slice(0, 3)).toEqual(['拜访编号', '业务员', '客户编码']);
        else {
          count += 1;
          if (row.number === 2) first = values;
          last = values;
        }
      }
    }
    expect(count).toBe(ROWS);
    expect(first[0]).toBe(`v${'0'.repeat(23)}`);
    expect(last[0]).toBe(`v${String(ROWS - 1).padStart(23, '0')}`);
    expect(last.slice(-4)).toEqual(['例行拜访', (ROWS - 1) % 9, (ROWS - 1) % 3 === 0 ? '是' : '否', `第 ${ROWS - 1} 次拜访：店长反馈良好，约定下周补货。`]);

    // What holding the rows would take, from 20,000 of them held at once (retained memory cannot be collected).
    const before = process.memoryUsage().heapUsed;
    const held = Array.from({ length: ROWS / 10 }, (_, i) => visitRow(visit(i), ctx));
    const holdAllMb = (10 * (process.memoryUsage().heapUsed - before)) / 2 ** 20;
    expect(held).toHaveLength(ROWS / 10);
    console.warn(`[export stream] ${ROWS} rows, file ${(statSync(file).size / 2 ** 20).toFixed(1)} MB, peak heap growth ${growthMb.toFixed(1)} MB, holding all rows ≈ ${holdAllMb.toFixed(0)} MB`);
    expect(growthMb).toBeLessThan(150);
    expect(growthMb).toBeLessThan(holdAllMb / 2);
  }, 300_000); // about 40 s alone; CPU-bound, so much longer beside the browser tests
});
