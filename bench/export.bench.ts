// The visits export at scale, through the writer the route uses (rows from visitRow, written by writeXlsx), into a
// sink that discards the bytes so only the export itself is measured:
// - throughput at 200,000 rows against a 20,000-row run in the same process (target: ≥ 0.7, no slow-down with size);
// - peak heap growth at 200,000 rows against 20,000 (target: ≤ 3×; holding the rows would take 10×).
import { Writable } from 'node:stream';
import { writeXlsx } from '../server/exports/xlsx-stream.ts';
import { fieldSpecs, planFieldColumns } from '../server/exports/export-columns.ts';
import { VISIT_HEADERS, visitRow, type ExportVisit, type RowContext } from '../server/exports/visit-row.ts';
import type { FormSchema } from '../server/forms/form-types.ts';
import type { BenchResult } from './measure.ts';

const FORM = {
  type: 'object', title: 'f', 'x-evidence': {},
  properties: {
    basic: { type: 'object', title: '基本信息', properties: {
      purpose: { title: '拜访目的', 'x-widget': 'choice', type: 'string', enum: ['例行拜访', '新品推广'] },
      shelf: { title: '货架数', 'x-widget': 'number', type: 'integer', 'x-unit': '组' },
      ok: { title: '陈列达标', 'x-widget': 'yesno', type: 'boolean' },
      skus: { title: '断货品项', 'x-widget': 'products', type: 'array' },
    } },
    summary: { type: 'object', title: '总结', properties: { text: { title: '拜访小结', 'x-widget': 'textarea', type: 'string', maxLength: 500 } } },
  },
} as unknown as FormSchema;

function visit(i: number): ExportVisit {
  const at = new Date(Date.UTC(2026, 10, 1) + i * 13_000);
  return {
    _id: `v${String(i).padStart(23, '0')}`, repId: `r${i % 200}`, customerId: `c${i % 6000}`,
    customer: { name: `门店${i % 6000}号`, type: '商超', class: 'ABCD'[i % 4]! }, form: { formId: 'f', version: 1 },
    checkIn: { deviceTime: at }, checkOut: { deviceTime: new Date(at.getTime() + 18 * 60_000) }, submitted: { deviceTime: new Date(at.getTime() + 19 * 60_000) },
    answers: {
      basic: { purpose: i % 2 ? '例行拜访' : '新品推广', shelf: i % 9, ok: i % 3 === 0, skus: [{ name: `产品${i % 50}`, qty: 1 + (i % 5), unit: '箱' }] },
      summary: { text: `第 ${i} 次拜访：店长反馈良好，约定下周补货。` }, followUp: { action: '补货跟进', dueDate: '2026-11-25' },
    },
    verdict: { score: 60 + (i % 40), band: i % 7 === 0 ? 'red' : 'green', reasons: i % 7 === 0 ? [{ message_zh: `在店仅 ${i % 5} 分钟，A 类客户至少需要 15 分钟`, weight: 25, counted: true }] : [] },
  };
}

/** Writes `rows` generated visits; returns rows per second and the peak heap growth in MB. */
async function run(rows: number): Promise<{ rate: number; peakMb: number }> {
  const columns = planFieldColumns([{ formId: 'f', formName: '门店拜访', version: 1, content: FORM }]);
  const specs = fieldSpecs(FORM);
  const ctx: RowContext = { columns, repName: (id) => `业务员${id}`, customerCode: (id) => id.toUpperCase(), formName: () => '门店拜访', specs: () => specs };
  const base = process.memoryUsage().heapUsed;
  let peak = base;
  async function* generate() {
    for (let i = 0; i < rows; i += 1) {
      if (i % 2000 === 0) {
        peak = Math.max(peak, process.memoryUsage().heapUsed);
        await new Promise((r) => setImmediate(r));
      }
      yield visitRow(visit(i), ctx);
    }
  }
  const sink = new Writable({ write(_chunk, _enc, done) { done(); } });
  const start = performance.now();
  await writeXlsx(sink, [{ name: '拜访明细', columns: [...VISIT_HEADERS, ...columns.map((c) => c.header)].map((header) => ({ header })), rows: generate() }]);
  const seconds = (performance.now() - start) / 1000;
  peak = Math.max(peak, process.memoryUsage().heapUsed);
  return { rate: rows / seconds, peakMb: (peak - base) / 2 ** 20 };
}

export async function runExportBenches(): Promise<BenchResult[]> {
  await run(5_000); // warm-up: JIT and exceljs's lazy modules
  const small = await run(20_000);
  const large = await run(200_000);
  console.log(`export: 20k rows ${Math.round(small.rate)} rows/s, peak +${small.peakMb.toFixed(1)} MB; 200k rows ${Math.round(large.rate)} rows/s, peak +${large.peakMb.toFixed(1)} MB`);
  const speed = large.rate / small.rate;
  const memory = large.peakMb / Math.max(small.peakMb, 1);
  return [
    { name: 'visits export rows/s: 200k rows vs 20k', subject: large.rate, baseline: small.rate, ratio: speed, target: '≥ 0.7', pass: speed >= 0.7 },
    { name: 'visits export peak heap MB: 200k rows vs 20k', subject: large.peakMb, baseline: small.peakMb, ratio: memory, target: '≤ 3 (holding: 10)', pass: memory <= 3 },
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const r of await runExportBenches()) console.log(r);
}
