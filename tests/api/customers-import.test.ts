// Customer import on a real database: CSV and xlsx (built here with exceljs), row-level errors by row number and
// column, idempotent re-import, dry runs, refused files, and the downloadable template.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import type request from 'supertest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { bulkXlsx } from '../helpers/xlsx-bulk.ts';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const IMPORT_LIMIT = 5 * 1024 * 1024;
const HEADER = ['客户编码', '客户名称', '地址', '客户类型', '客户等级', '经度', '纬度', '坐标系', '联系人', '职务', '电话', '关键人', '负责人账号'];
const ROWS = [
  ['KH001', '仁和大药房', '南京市中山路 1 号', '药店', 'A', '118.7969', '32.0603', 'GCJ02', '李明', '店长', '13800138000', '是', 'rep'],
  ['KH001', '仁和大药房', '南京市中山路 1 号', '药店', 'A', '118.7969', '32.0603', 'GCJ02', '周红', '采购', '025-84561234', '', ''],
  ['KH002', '康乐诊所', '南京市汉中路 8 号', '诊所', 'c', '118.77', '32.04', '百度', '', '', '', '', ''],
  ['KH003', '坐标填反', '南京市某路', '药店', 'B', '32.04', '118.77', '', '', '', '', '', ''],
  ['', '没有编码', '南京市某路', '药店', 'B', '118.77', '32.04', '', '', '', '12345', '', ''],
  ['KH005', '未知业务员', '南京市某路', '商超', 'D', '118.77', '32.04', '', '', '', '', '', 'nobody'],
];

const csvOf = (rows: string[][]) => `\uFEFF${[HEADER, ...rows].map((r) => r.map((c) => (/[",\n]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(',')).join('\r\n')}\r\n`;

async function xlsxOf(rows: (string | number)[][]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const ws = wb.addWorksheet('客户');
  ws.addRow(HEADER);
  for (const r of rows) ws.addRow(r);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

function binary(req: request.Test): request.Test {
  return req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  });
}

describe('customer import', () => {
  let t: TestApp;
  let tenantId: string;
  let users: Record<string, string>;
  let manager: ReturnType<typeof as>;
  const upload = (body: string | Buffer, type: string, query = '') => manager.post(`/api/customers/import${query}`).set('content-type', type).send(body);
  const snapshot = async () => JSON.stringify(await t.models.Customer.find({ tenantId }).sort({ code: 1 }).lean());

  beforeAll(async () => {
    t = await createTestApp();
    ({ tenantId, users } = await t.seedTenant('imp-a'));
    manager = as(t.server, await t.login('imp-a', 'manager'));
  });
  afterAll(async () => { await t.close(); });

  it('a CSV keeps the good rows, reports bad ones by row and column, and re-importing changes nothing', async () => {
    const res = await upload(csvOf(ROWS), 'text/csv; charset=utf-8');
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ dryRun: false, rows: 6, created: 2, updated: 1, unchanged: 0, failed: 3 });
    expect(res.body.errors.map((e: { row: number; column: string; code: string }) => [e.row, e.column, e.code])).toEqual([
      [5, '经度', 'COORDINATES_SWAPPED'], [6, '联系人', 'REQUIRED'], [6, '客户编码', 'REQUIRED'], [7, '负责人账号', 'UNKNOWN_REP'],
    ]);
    for (const e of res.body.errors) expect(e.message_zh && e.message_en).toBeTruthy();

    const kh1 = await t.models.Customer.findOne({ tenantId, code: 'KH001' }).lean();
    expect(kh1?.contacts.map((c) => [c.name, c.phone, c.isKey])).toEqual([['李明', '13800138000', true], ['周红', '025-84561234', false]]);
    expect(kh1?.assignedReps.map(String)).toEqual([users.rep]);
    expect(kh1?.claims).toMatchObject([{ action: 'assign', repName: '张伟' }]);
    const kh2 = await t.models.Customer.findOne({ tenantId, code: 'KH002' }).lean();
    expect(kh2).toMatchObject({ class: 'C', point: { type: 'Point' }, pointMeta: { system: 'GCJ02', original: { lng: 118.77, lat: 32.04, system: 'BD09' } } });

    const before = await snapshot();
    const again = await upload(csvOf(ROWS), 'text/csv');
    expect(again.body).toMatchObject({ created: 0, updated: 0, unchanged: 3, failed: 3 });
    expect(await snapshot()).toBe(before);
    expect(await t.models.Customer.countDocuments({ tenantId })).toBe(2);
  });

  it('an xlsx updates by code, keeps contact ids, and a dry run only reports', async () => {
    const contactId = String((await t.models.Customer.findOne({ tenantId, code: 'KH001' }).lean())?.contacts[0]?._id);
    const rows = [
      ['KH001', '仁和大药房（新址）', '南京市中山路 2 号', '药店', 'A', 118.7969, 32.0603, 'GCJ02', '李明', '店长', 13800138000, '是', 'rep'],
      ['KH010', '新客户', '南京市珠江路 5 号', '便利店', 'D', 118.78, 32.05, 'WGS84', '', '', '', '', ''],
      ['KH011', '等级错误', '南京市某路', '药店', 'E', 118.78, 32.05, '', '', '', '', '', ''],
    ];
    const before = await snapshot();
    const dry = await upload(await xlsxOf(rows), XLSX, '?dryRun=true');
    expect(dry.status, JSON.stringify(dry.body)).toBe(200);
    expect(dry.body).toMatchObject({ dryRun: true, created: 1, updated: 1, unchanged: 0, failed: 1 });
    expect(dry.body.errors).toEqual([expect.objectContaining({ row: 4, column: '客户等级', code: 'NOT_ALLOWED_VALUE' })]);
    expect(await snapshot()).toBe(before);

    const real = await upload(await xlsxOf(rows), XLSX);
    expect(real.body).toMatchObject({ dryRun: false, created: 1, updated: 1, failed: 1 });
    const kh1 = await t.models.Customer.findOne({ tenantId, code: 'KH001' }).lean();
    expect(kh1).toMatchObject({ name: '仁和大药房（新址）', address: '南京市中山路 2 号' });
    expect(String(kh1?.contacts[0]?._id)).toBe(contactId);
    expect((await upload(await xlsxOf(rows), XLSX)).body).toMatchObject({ created: 0, updated: 0, unchanged: 2 });
    expect(await t.models.Customer.countDocuments({ tenantId })).toBe(3);
  });

  it('refuses files that are not what they claim, or not importable at all', async () => {
    const before = await snapshot();
    expectError(await upload('客户编码,客户名称\nKH1,甲\n', XLSX), 415, 'UNSUPPORTED_FILE', { field: '', code: 'NOT_XLSX' });
    expectError(await upload(Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]), XLSX), 415, 'UNSUPPORTED_FILE');
    expectError(await upload(Buffer.from([0xbf, 0xcd, 0xbb, 0xa7, 0x2c, 0x0a]), 'text/csv'), 415, 'UNSUPPORTED_FILE', { code: 'NOT_UTF8' }); // GBK
    expectError(await upload(await xlsxOf([]), 'text/csv'), 415, 'UNSUPPORTED_FILE');
    expectError(await upload('{"a":1}', 'application/json'), 415, 'UNSUPPORTED_FILE', { code: 'UNSUPPORTED_TYPE' });
    expectError(await upload('客户名称,地址\n甲,乙\n', 'text/csv'), 400, 'IMPORT_HEADER_INVALID', { code: 'MISSING_COLUMN' });
    expectError(await manager.post('/api/customers/import').set('content-type', 'text/csv'), 400, 'VALIDATION_FAILED', { code: 'EMPTY_FILE' });
    expectError(await upload(Buffer.alloc(5 * 1024 * 1024 + 1, 0x41), 'text/csv'), 413, 'BODY_TOO_LARGE');
    const rep = as(t.server, await t.login('imp-a', 'rep'));
    expectError(await rep.post('/api/customers/import').set('content-type', 'text/csv').send(csvOf(ROWS)), 403, 'FORBIDDEN');
    expect(await snapshot()).toBe(before);
  });

  describe('a huge sheet is refused after the first rows, without stalling the server or filling its memory', () => {
    const row = (n: number) => [`KH${n}`, `客户${n}`, '上海市人民路', '商超', 'C', '121.47', '31.23'];
    let other: ReturnType<typeof as>;
    beforeAll(async () => {
      await t.seedTenant('imp-b');
      other = as(t.server, await t.login('imp-b', 'rep'));
    });

    /** Uploads while another tenant asks for its profile every 50 ms; reports the slowest answer and heap growth. */
    async function uploadUnderWatch(file: Buffer) {
      const heapBefore = process.memoryUsage().heapUsed;
      let peak = heapBefore;
      let slowest = 0;
      let done = false;
      const watcher = (async () => {
        while (!done) {
          const t0 = Date.now();
          expect((await other.get('/api/me')).status).toBe(200);
          slowest = Math.max(slowest, Date.now() - t0);
          peak = Math.max(peak, process.memoryUsage().heapUsed);
          await new Promise((r) => setTimeout(r, 50));
        }
      })();
      const started = Date.now();
      const res = await upload(file, XLSX);
      const ms = Date.now() - started;
      done = true;
      await watcher;
      return { res, ms, slowest, heapGrowthMb: (peak - heapBefore) / 2 ** 20 };
    }

    it('a million rows (under 5 MB packed) are refused at once by their unpacked size', async () => {
      const file = await bulkXlsx(HEADER, 1_000_000, () => ['1']); // 4.9 MB, as the probe's file
      expect(file.length).toBeLessThan(IMPORT_LIMIT);
      const before = await snapshot();
      const { res, ms, slowest, heapGrowthMb } = await uploadUnderWatch(file);
      expectError(res, 415, 'UNSUPPORTED_FILE', { code: 'XLSX_TOO_LARGE' });
      // Refused from the ZIP's directory, before anything is inflated: quick even on a loaded machine.
      expect(ms).toBeLessThan(3_000);
      expect(slowest, 'another tenant waited this long (ms)').toBeLessThan(1_000);
      expect(heapGrowthMb).toBeLessThan(150);
      expect(await snapshot()).toBe(before);
    });

    it('a sheet small enough to unpack but over the row limit is read only up to the limit', async () => {
      const file = await bulkXlsx(HEADER, 30_000, row);
      const before = await snapshot();
      const { res, heapGrowthMb } = await uploadUnderWatch(file);
      expectError(res, 413, 'IMPORT_TOO_MANY_ROWS');
      expect(heapGrowthMb).toBeLessThan(150);
      expect(await snapshot()).toBe(before);
    });
  });

  it('serves the template as xlsx (headers, widths, help sheet) and as csv', async () => {
    const res = await binary(manager.get('/api/customers/import-template?format=xlsx'));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe(XLSX);
    expect(res.headers['content-disposition']).toMatch(/attachment; .*filename\*=UTF-8''/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(res.body as unknown as ExcelJS.Buffer);
    const sheet = wb.worksheets[0] as ExcelJS.Worksheet;
    expect((sheet.getRow(1).values as unknown[]).slice(1)).toEqual(expect.arrayContaining(HEADER));
    expect(sheet.getColumn(2).width).toBeGreaterThanOrEqual(20);
    expect(wb.getWorksheet('填写说明')).toBeDefined();

    const csv = await manager.get('/api/customers/import-template?format=csv');
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.text.replace(/^\uFEFF/, '').split('\r\n')[0]?.split(',')).toEqual(expect.arrayContaining(HEADER));
    const doc = await manager.get('/openapi.json');
    expect(Object.keys(doc.body.paths['/api/customers/import'].post.requestBody.content)).toEqual(['text/csv', XLSX]);
    // The template itself imports cleanly (nothing to do).
    expect((await upload(csv.text, 'text/csv')).body).toMatchObject({ rows: 0, created: 0, errors: [] });
  });
});
