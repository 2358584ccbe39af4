// Exports through the API against the real database: visits on two versions of a form come out in one workbook
// whose columns do not shift (v1 keeps the field v2 removed), with verdicts, reasons and a version column; rep
// scores and plans export; the photos zip holds a folder per visit and a manifest; reps and other tenants are kept out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { createTestApp, as, type TestApp } from '../helpers/test-app.ts';
import { client, ok, runVisit, type Client } from '../helpers/visit-flow.ts';
import { sampleAnswers } from '../../bench/sample-answers.ts';
import type { FormSchema } from '../../server/forms/form-types.ts';
import { addDays, shanghaiDate, shanghaiMonth } from '../../server/lib/time.ts';
import { bytes } from '../helpers/download.ts';

const STORE = { lng: 121.4737, lat: 31.2304 };
const MIN = 60_000;
const REMOVED = '库存与订货 / 断货/缺货品项（旧版字段）';
const ADDED = '库存与订货 / 竞品是否促销';

type Manager = ReturnType<typeof as>;


async function workbook(res: request.Response & { body: Buffer }): Promise<ExcelJS.Workbook> {
  expect(res.status, res.body.toString('utf8').slice(0, 500)).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(res.body as unknown as ArrayBuffer);
  return wb;
}

/** A sheet as header list and rows of objects keyed by header. */
function table(sheet: ExcelJS.Worksheet): { headers: string[]; rows: Record<string, unknown>[] } {
  const headers = (sheet.getRow(1).values as unknown[]).slice(1).map(String);
  const rows: Record<string, unknown>[] = [];
  sheet.eachRow((row, n) => {
    if (n === 1) return;
    const values = (row.values as unknown[]).slice(1);
    rows.push(Object.fromEntries(headers.map((h, i) => [h, values[i] ?? null])));
  });
  return { headers, rows };
}

describe('exports', () => {
  let t: TestApp;
  let users: Record<string, string>;
  let admin: Manager;
  let manager: Manager;
  let rep: Client;
  let formId: string;
  let customerId: string;
  let v1Visit: string;
  let v2Visit: string;
  let shortVisit: string;
  const today = shanghaiDate(new Date());
  const from = addDays(today, -2);
  const range = `from=${from}&to=${today}`;

  async function publishV2(): Promise<void> {
    const form = await ok(await manager.get(`/api/forms/${formId}`)) as { draft: { schema: FormSchema; revision: number } };
    const schema = structuredClone(form.draft.schema);
    const stock = schema.properties.stockOrder!;
    delete stock.properties.outOfStockSkus;
    stock.properties.competitorPromo = { title: '竞品是否促销', 'x-widget': 'yesno', type: 'boolean' };
    await ok(await manager.put(`/api/forms/${formId}/draft`).send({ schema, revision: form.draft.revision }));
    await ok(await manager.post(`/api/forms/${formId}/publish`).send({ note: 'v2：去掉断货品项，新增竞品促销' }), 201);
  }

  async function visit(version: FormSchema, minutesAgo: number, stayMin = 20): Promise<string> {
    const checkInAt = new Date(Date.now() - minutesAgo * MIN);
    const qr = String((await ok(await manager.get(`/api/customers/${customerId}/qr`))).payload);
    const { id } = await runVisit(rep, { qr, store: STORE, checkInAt, stayMin, answers: sampleAnswers(version, '商超', 'A', shanghaiDate(checkInAt)) });
    return id;
  }

  beforeAll(async () => {
    t = await createTestApp();
    ({ users } = await t.seedTenant('exp'));
    admin = as(t.server, await t.login('exp', 'admin'));
    manager = as(t.server, await t.login('exp', 'manager'));
    rep = client(t.server, await t.login('exp', 'rep'));
    const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
    formId = String(form.id);
    await ok(await manager.post(`/api/forms/${formId}/publish`).send({ note: 'v1' }), 201);
    const created = await ok(await manager.post('/api/customers').send({
      name: '华联超市人民路店', address: '人民路 100 号', type: '商超', class: 'A', location: { ...STORE, system: 'GCJ02' },
      contacts: [{ name: '王店长', role: '店长', phone: '13800000001' }, { name: '李采购', role: '采购', phone: '13800000002' }, { name: '赵老板', role: '老板', phone: '13800000003' }],
    }), 201);
    customerId = String(created.id);
    await ok(await manager.post(`/api/customers/${customerId}/claim`).send({ repId: users.rep }));
    const v1 = (await ok(await manager.get(`/api/forms/${formId}/versions/1`))).schema as FormSchema;
    v1Visit = await visit(v1, 300);
    shortVisit = await visit(v1, 200, 3); // three minutes in a class-A store: flagged with the measured stay
    await publishV2();
    const v2 = (await ok(await manager.get(`/api/forms/${formId}/versions/2`))).schema as FormSchema;
    v2Visit = await visit(v2, 100);
    await ok(await manager.post(`/api/visits/${v2Visit}/override`).send({ band: 'yellow', reason: '抽查存疑' }));
  }, 180_000);
  afterAll(async () => { await t?.close(); });

  it('exports visits of both versions without shifting columns, with verdicts, reasons and widths', async () => {
    const res = await bytes(manager.get(`/api/exports/visits.xlsx?${range}`));
    expect(res.headers['content-type']).toContain('spreadsheetml');
    expect(res.headers['content-disposition']).toContain(`filename*=UTF-8''${encodeURIComponent(`拜访明细_${from}_${today}.xlsx`)}`);
    const wb = await workbook(res);
    const sheet = wb.worksheets[0]!;
    expect(sheet.name).toBe('拜访明细');
    const { headers, rows } = table(sheet);
    expect(headers.slice(0, 8)).toEqual(['拜访编号', '业务员', '客户编码', '客户名称', '客户类型', '等级', '表单', '表单版本']);
    expect(headers).toEqual(expect.arrayContaining(['机器结论', '主管改判', '回访结果', '最终结论', '原因', '基本信息 / 拜访目的', ADDED, REMOVED]));
    // The removed field sits after every field of the latest version; the added one among them.
    expect(headers.indexOf(REMOVED)).toBe(headers.length - 1);
    expect(rows.map((r) => r['拜访编号'])).toEqual([v1Visit, shortVisit, v2Visit]);
    const [v1, short, v2] = rows as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
    expect(v1).toMatchObject({ 业务员: '张伟', 客户名称: '华联超市人民路店', 客户类型: '商超', 等级: 'A', 表单: '快消门店拜访', 表单版本: 1, 机器结论: '绿灯', 最终结论: '绿灯' });
    expect(v1['客户编码']).toBeTruthy();
    expect(v1[REMOVED]).toBe('产品1 × 2');
    expect(v1[ADDED]).toBeNull();
    expect(v2).toMatchObject({ 表单版本: 2, 机器结论: '绿灯', 最终结论: '黄灯', [ADDED]: '是', [REMOVED]: null });
    expect(String(v2['主管改判'])).toMatch(/^黄灯：抽查存疑（王经理 /);
    expect(short['停留(分钟)']).toBe(3);
    expect(short['机器结论']).not.toBe('绿灯');
    expect(String(short['原因'])).toContain('在店仅 3 分钟');
    // Frozen, filterable header; widths fitted to the Chinese text and capped.
    expect(sheet.views[0]).toMatchObject({ state: 'frozen', ySplit: 1 });
    expect(sheet.autoFilter).toBeTruthy();
    const width = (h: string) => sheet.getColumn(headers.indexOf(h) + 1).width ?? 0;
    expect(width('拜访编号')).toBeGreaterThanOrEqual(24);
    expect(width('等级')).toBeLessThan(10);
    expect(width('原因')).toBeGreaterThan(width('等级'));
    expect(Math.max(...headers.map(width))).toBeLessThanOrEqual(80);
  });

  it('filters by band and rep, and an empty range gives a header-only workbook', async () => {
    const yellow = table((await workbook(await bytes(manager.get(`/api/exports/visits.xlsx?${range}&band=yellow`)))).worksheets[0]!);
    expect(yellow.rows.map((r) => r['拜访编号'])).toContain(v2Visit);
    expect(yellow.rows.every((r) => r['最终结论'] === '黄灯')).toBe(true);
    const none = table((await workbook(await bytes(manager.get(`/api/exports/visits.xlsx?${range}&repId=${users.rep2}`)))).worksheets[0]!);
    expect(none.rows).toEqual([]);
    const empty = table((await workbook(await bytes(manager.get('/api/exports/visits.xlsx?month=2024-01')))).worksheets[0]!);
    expect(empty.headers[0]).toBe('拜访编号');
    expect(empty.rows).toEqual([]);
  });

  it('refuses bad parameters with pointers, and reps', async () => {
    const bad = async (url: string, field: string, status = 400) => {
      const res = await manager.get(url);
      expect(res.status, url).toBe(status);
      expect(res.body.error.details.map((d: { field: string }) => d.field), url).toContain(field);
    };
    await bad('/api/exports/visits.xlsx', '/query/from');
    await bad(`/api/exports/visits.xlsx?from=${today}&to=${from}`, '/query/to');
    await bad('/api/exports/visits.xlsx?from=2024-01-01&to=2025-06-01', '/query/to');
    await bad('/api/exports/visits.xlsx?month=2024-13', '/query/month');
    await bad(`/api/exports/visits.xlsx?${range}&band=purple`, '/query/band');
    await bad(`/api/exports/visits.xlsx?${range}&repId=${'0'.repeat(24)}`, '/query/repId', 404);
    await bad(`/api/exports/visits.xlsx?${range}&formId=${'0'.repeat(24)}`, '/query/formId', 404);
    await bad('/api/exports/plans.xlsx', '/query/month');
    await bad(`/api/exports/rep-scores.xlsx?from=2024-01-01&to=2024-06-01`, '/query/to');
    const asRep = as(t.server, rep.token);
    for (const url of [`/api/exports/visits.xlsx?${range}`, `/api/exports/rep-scores.xlsx?${range}`, `/api/exports/plans.xlsx?month=${shanghaiMonth(new Date())}`, `/api/exports/photos.zip?${range}`]) {
      const res = await asRep.get(url);
      expect(res.status, url).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await asRep.post('/api/exports/photos.zip').send({ visitIds: [v1Visit] })).status).toBe(403);
  });

  it('keeps other tenants out', async () => {
    await t.seedTenant('other');
    const outsider = as(t.server, await t.login('other', 'manager'));
    expect(table((await workbook(await bytes(outsider.get(`/api/exports/visits.xlsx?${range}`)))).worksheets[0]!).rows).toEqual([]);
    expect((await outsider.get(`/api/exports/visits.xlsx?${range}&repId=${users.rep}`)).status).toBe(404);
    expect((await outsider.post('/api/exports/photos.zip').send({ visitIds: [v1Visit] })).status).toBe(404);
  });

  it('exports rep scores with every KPI, score and grade', async () => {
    const res = await bytes(manager.get(`/api/exports/rep-scores.xlsx?${range}`));
    expect(res.headers['content-disposition']).toContain(encodeURIComponent('业务员得分_'));
    const { headers, rows } = table((await workbook(res)).worksheets[0]!);
    expect(headers.slice(0, 2)).toEqual(['业务员', '团队（主管）']);
    expect(headers.slice(-4)).toEqual(['综合得分', '等级', '综合灯', '未达标指标']);
    expect(headers.some((h) => h.startsWith('平均拜访时长'))).toBe(true);
    expect(rows.map((r) => r['业务员']).sort()).toEqual(['刘洋', '张伟'].sort());
    const zhang = rows.find((r) => r['业务员'] === '张伟')!;
    expect(zhang['团队（主管）']).toBe('王经理');
    expect(typeof zhang['综合得分']).toBe('number');
    expect(zhang['等级']).toBeTruthy();
  });

  it('exports the month\'s plans with items and approval history, a manager seeing only the team', async () => {
    const month = shanghaiMonth(new Date());
    const plan = await ok(await rep.send('post', '/api/plans', { month })) as { id: string; revision: number };
    const date = `${month}-${today.slice(8, 10)}`;
    const edited = await ok(await rep.send('put', `/api/plans/${plan.id}/items`, {
      revision: plan.revision, items: [{ date, customerId, purpose: '例行拜访', visitType: 'onsite', contactName: '王店长', contactPhone: '138 0013 8000' }],
    })) as { revision: number };
    await ok(await rep.send('post', `/api/plans/${plan.id}/submit`, { revision: edited.revision }));
    await ok(await manager.post(`/api/plans/${plan.id}/approve`).send({ comment: '同意' }));
    // A rep of another manager: the admin sees their plan, this manager does not.
    const m2 = await ok(await admin.post('/api/users').send({ username: 'm2', name: '李经理', role: 'manager' }), 201);
    await ok(await admin.post('/api/users').send({ username: 'rep3', name: '陈静', role: 'rep', managerId: String(m2.id) }), 201);
    await ok(await client(t.server, await t.login('exp', 'rep3')).send('post', '/api/plans', { month }));

    const wb = await workbook(await bytes(manager.get(`/api/exports/plans.xlsx?month=${month}`)));
    expect(wb.worksheets.map((s) => s.name)).toEqual(['拜访计划', '计划明细', '审批记录']);
    const plans = table(wb.worksheets[0]!).rows;
    expect(plans).toEqual([expect.objectContaining({ 业务员: '张伟', '团队（主管）': '王经理', 月份: month, 状态: '已批准', 计划拜访数: 1, 审批人: '王经理', 最近意见: '同意' })]);
    expect(table(wb.worksheets[1]!).rows).toEqual([expect.objectContaining({ 业务员: '张伟', 日期: date, 客户名称: '华联超市人民路店', 拜访目的: '例行拜访', 拜访方式: '现场', 联系人: '王店长' })]);
    expect(table(wb.worksheets[2]!).rows.map((r) => r['操作'])).toEqual(['创建', '修改', '提交', '批准']);
    const all = table((await workbook(await bytes(admin.get(`/api/exports/plans.xlsx?month=${month}`)))).worksheets[0]!).rows;
    expect(all.map((r) => r['业务员']).sort()).toEqual(['张伟', '陈静'].sort());
  });

  it('zips the watermarked photos in a folder per visit with a manifest', async () => {
    const res = await bytes(manager.get(`/api/exports/photos.zip?${range}`));
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toBe('application/zip');
    const zip = await JSZip.loadAsync(res.body);
    const files = Object.keys(zip.files).filter((f) => !zip.files[f]!.dir);
    expect(files).toContain('manifest.csv');
    const photos = files.filter((f) => f.endsWith('.jpg'));
    expect(photos).toHaveLength(12); // three visits, four photos each
    const folders = [...new Set(photos.map((f) => f.split('/')[0]))];
    expect(folders).toHaveLength(3);
    for (const f of folders) expect(f).toMatch(new RegExp(`^\\d{4}-\\d{2}-\\d{2}_张伟_华联超市人民路店(_\\d)?$`));
    expect(photos.filter((f) => f.startsWith(`${folders[0]}/`)).map((f) => f.split('/')[1]).sort()).toEqual(['沟通场景照_1.jpg', '门头照_1.jpg', '陈列照_1.jpg', '陈列照_2.jpg'].sort());
    const jpeg = await zip.file(photos[0]!)!.async('nodebuffer');
    expect(jpeg.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    const manifest = (await zip.file('manifest.csv')!.async('string')).replace(/^\ufeff/, '').trim().split('\r\n');
    expect(manifest[0]).toContain('文件,拜访编号,业务员');
    expect(manifest).toHaveLength(13);
    expect(manifest.some((l) => l.includes(v2Visit) && l.includes('黄灯'))).toBe(true);

    // A customer named like a formula stays text in the manifest (CSV injection).
    await t.models.Visit.updateOne({ tenantId: (await t.models.Tenant.findOne({ code: 'exp' }).lean())!._id, _id: v1Visit }, { $set: { 'customer.name': '=HYPERLINK("http://evil.example","点我")' } });
    const chosen = await JSZip.loadAsync((await bytes(manager.post('/api/exports/photos.zip').send({ visitIds: [v1Visit] }))).body);
    expect(Object.keys(chosen.files).filter((f) => f.endsWith('.jpg'))).toHaveLength(4);
    const rows = (await chosen.file('manifest.csv')!.async('string')).replace(/^\ufeff/, '').trim().split('\r\n').slice(1);
    for (const row of rows) {
      expect(row).toContain(`,"'=HYPERLINK(""http://evil.example"",""点我"")",`);
      expect(row.split(',').some((cell) => /^[=+\-@]/.test(cell))).toBe(false);
    }
    const bad = await manager.post('/api/exports/photos.zip').send({ visitIds: ['nope'] });
    expect(bad.status).toBe(400);
    expect(bad.body.error.details[0].field).toBe('/visitIds/0');
  });
});
