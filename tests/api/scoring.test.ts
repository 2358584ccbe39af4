// Scoring templates (评分模板): created from the default, checked for cross-field rules, published as versions.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type request from 'supertest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { ScoringConfig } from '../../server/scoring/scoring-check.ts';

const defaultConfig = readBuiltInTemplates().find((t) => t.kind === 'scoring' && t.file.key === 'default')?.file.content as ScoringConfig;
const clone = <T>(x: T): T => structuredClone(x);

interface Detail { field: string; code: string; message_zh: string; message_en: string }

function expectScoringInvalid(res: request.Response): Detail[] {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status: 422, code: 'SCORING_INVALID' });
  const details = res.body.error.details as Detail[];
  expect(details.length).toBeGreaterThan(0);
  for (const d of details) {
    expect(d.field.startsWith('/config/'), d.field).toBe(true);
    expect(d.message_zh).toMatch(/\p{Script=Han}/u);
    expect(d.message_en).toMatch(/[a-z]/i);
  }
  return details;
}

function group(config: ScoringConfig, key: string) {
  const g = config.groups.find((x) => x.key === key);
  if (!g) throw new Error(`no group ${key}`);
  return g;
}

describe('scoring templates', () => {
  let t: TestApp;
  let manager: ReturnType<typeof as>;
  let rep: ReturnType<typeof as>;
  let id: string;

  beforeAll(async () => {
    t = await createTestApp();
    await t.seedTenant('acme');
    manager = as(t.server, await t.login('acme', 'manager'));
    rep = as(t.server, await t.login('acme', 'rep'));
  });
  afterAll(async () => { await t.close(); });

  async function current() {
    const res = await manager.get(`/api/scoring-templates/${id}`);
    expect(res.status).toBe(200);
    return res.body as { status: string; latestVersion: number; draft: { config: ScoringConfig; revision: number } };
  }

  async function save(config: ScoringConfig) {
    const { draft } = await current();
    return manager.put(`/api/scoring-templates/${id}/draft`).send({ config, revision: draft.revision });
  }

  /** Saving an invalid config must fail and leave the stored draft exactly as it was. */
  async function expectRejected(config: ScoringConfig): Promise<Detail[]> {
    const before = await current();
    const details = expectScoringInvalid(await save(config));
    const after = await current();
    expect(after.draft.revision).toBe(before.draft.revision);
    expect(after.draft.config).toEqual(before.draft.config);
    return details;
  }

  it('creates a scoring template from the default one', async () => {
    const res = await manager.post('/api/scoring-templates/from-template').send({ templateKey: 'default' });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ name: '通用外勤考核（默认）', status: 'draft', latestVersion: 0, source: { templateKey: 'default', templateVersion: 1 }, draft: { revision: 1 } });
    expect(res.body.draft.config).toEqual(defaultConfig);
    id = res.body.id as string;
  });

  it('rejects group weights that add up to 90 with WEIGHTS_NOT_100 at /config/groups', async () => {
    const c = clone(defaultConfig);
    group(c, 'result').weight -= 10; // 20 + 30 + 30 + 10
    expect(c.groups.reduce((a, g) => a + g.weight, 0)).toBe(90);
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: '/config/groups', code: 'WEIGHTS_NOT_100' })]);
    expect(details[0]?.message_zh).toContain('90');
  });

  it('rejects indicator weights inside a group that do not add up to 100, naming the group', async () => {
    const c = clone(defaultConfig);
    const gi = c.groups.findIndex((g) => g.key === 'process');
    c.groups[gi]!.indicators[0]!.weight += 5;
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: `/config/groups/${gi}/indicators`, code: 'WEIGHTS_NOT_100' })]);
  });

  it('rejects grade bands that are not in descending order with BANDS_NOT_DESCENDING', async () => {
    const c = clone(defaultConfig);
    // 90, 80, 70, 60, 0 → 90, 70, 80, 60, 0
    const [b1, b2] = [c.gradeBands[1]!, c.gradeBands[2]!];
    c.gradeBands[1] = b2;
    c.gradeBands[2] = b1;
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: '/config/gradeBands/2/min', code: 'BANDS_NOT_DESCENDING' })]);
  });

  it('rejects equal adjacent grade bands too', async () => {
    const c = clone(defaultConfig);
    c.gradeBands[1]!.min = c.gradeBands[0]!.min;
    const details = await expectRejected(c);
    expect(details).toContainEqual(expect.objectContaining({ field: '/config/gradeBands/1/min', code: 'BANDS_NOT_DESCENDING' }));
  });

  it('rejects an indicator whose yellow and green thresholds are inverted with THRESHOLDS_INVERTED', async () => {
    const c = clone(defaultConfig);
    const ind = c.indicators.coverageRate!;
    [ind.green, ind.yellow] = [ind.yellow, ind.green]; // higher-is-better with green below yellow
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: '/config/indicators/coverageRate/yellow', code: 'THRESHOLDS_INVERTED' })]);
  });

  it('accepts lower-is-better indicators whose green is below yellow', async () => {
    const c = clone(defaultConfig);
    c.indicators.lateReports = { name: '迟报次数', direction: 'lower', green: 1, yellow: 3 };
    const ok = await save(c);
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    c.indicators.lateReports = { name: '迟报次数', direction: 'lower', green: 3, yellow: 1 };
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: '/config/indicators/lateReports/yellow', code: 'THRESHOLDS_INVERTED' })]);
    // back to the default for the publishing tests below
    expect((await save(clone(defaultConfig))).status).toBe(200);
  });

  it('rejects inverted authenticity bands with THRESHOLDS_INVERTED', async () => {
    const c = clone(defaultConfig);
    c.authenticity.bands = { green: 50, yellow: 70 };
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: '/config/authenticity/bands/yellow', code: 'THRESHOLDS_INVERTED' })]);
  });

  it('rejects a weighted indicator that has no thresholds with UNKNOWN_INDICATOR', async () => {
    const c = clone(defaultConfig);
    const gi = c.groups.findIndex((g) => g.key === 'collaboration');
    c.groups[gi]!.indicators[1]!.key = 'teamSpirit';
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: `/config/groups/${gi}/indicators/1/key`, code: 'UNKNOWN_INDICATOR' })]);
  });

  it('rejects a fence radius out of range at its pointer', async () => {
    const c = clone(defaultConfig);
    c.authenticity.fenceRadiusM = 10;
    const details = await expectRejected(c);
    expect(details).toEqual([expect.objectContaining({ field: '/config/authenticity/fenceRadiusM', code: 'TOO_SMALL' })]);
  });

  it('saves and publishes a valid change as version 1, then another as version 2', async () => {
    const v1 = await manager.post(`/api/scoring-templates/${id}/publish`).send({ note: '采用默认考核' });
    expect(v1.status, JSON.stringify(v1.body)).toBe(201);
    expect(v1.body).toMatchObject({ docId: id, version: 1, note: '采用默认考核' });
    expect(v1.body.config).toEqual(defaultConfig);

    const c = clone(defaultConfig);
    c.authenticity.fenceRadiusM = 300;
    group(c, 'behaviour').weight = 25;
    group(c, 'process').weight = 25;
    group(c, 'result').weight = 40;
    group(c, 'collaboration').weight = 10;
    const before = await current();
    const saved = await save(c);
    expect(saved.status, JSON.stringify(saved.body)).toBe(200);
    expect(saved.body.draft.revision).toBe(before.draft.revision + 1);
    expect(saved.body.draft.config).toEqual(c);

    const v2 = await manager.post(`/api/scoring-templates/${id}/publish`).send({ note: '行为与过程各25%，围栏300米' });
    expect(v2.status, JSON.stringify(v2.body)).toBe(201);
    expect(v2.body).toMatchObject({ version: 2, note: '行为与过程各25%，围栏300米' });
    expect(v2.body.config.groups.map((g: { weight: number }) => g.weight)).toEqual([25, 25, 40, 10]);
    expect(v2.body.config.authenticity.fenceRadiusM).toBe(300);

    const again = await manager.post(`/api/scoring-templates/${id}/publish`).send({ note: '' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('FORM_NOTHING_TO_PUBLISH');

    const list = await manager.get(`/api/scoring-templates/${id}/versions`);
    expect(list.body.items.map((v: { version: number }) => v.version)).toEqual([2, 1]);
    const first = await manager.get(`/api/scoring-templates/${id}/versions/1`);
    expect(first.body.config).toEqual(defaultConfig);
    const second = await manager.get(`/api/scoring-templates/${id}/versions/2`);
    expect(second.body.config).toEqual(c);
    expect(await current()).toMatchObject({ status: 'published', latestVersion: 2 });
  });

  it('rejects a stale revision with 409 FORM_DRAFT_CONFLICT', async () => {
    const { draft } = await current();
    const c = clone(draft.config);
    c.validVisitThreshold = 65;
    const first = await manager.put(`/api/scoring-templates/${id}/draft`).send({ config: c, revision: draft.revision });
    expect(first.status).toBe(200);
    const stale = await manager.put(`/api/scoring-templates/${id}/draft`).send({ config: draft.config, revision: draft.revision });
    expect(stale.status).toBe(409);
    expect(stale.body.error.code).toBe('FORM_DRAFT_CONFLICT');
    expect((await current()).draft.config.validVisitThreshold).toBe(65);
  });

  it('rejects an invalid config on create with SCORING_INVALID and creates nothing', async () => {
    const before = (await manager.get('/api/scoring-templates')).body.items.length as number;
    const c = clone(defaultConfig);
    group(c, 'behaviour').weight = 10;
    const res = await manager.post('/api/scoring-templates').send({ name: '错误的考核', config: c });
    expect(expectScoringInvalid(res)).toEqual([expect.objectContaining({ field: '/config/groups', code: 'WEIGHTS_NOT_100' })]);
    expect((await manager.get('/api/scoring-templates')).body.items).toHaveLength(before);
  });

  it('keeps scoring templates away from reps (403 FORBIDDEN)', async () => {
    const attempts = [
      rep.get('/api/scoring-templates'),
      rep.get(`/api/scoring-templates/${id}`),
      rep.post('/api/scoring-templates/from-template').send({ templateKey: 'default' }),
      rep.put(`/api/scoring-templates/${id}/draft`).send({ config: defaultConfig, revision: 1 }),
      rep.post(`/api/scoring-templates/${id}/publish`).send({ note: '业务员发布' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
    }
    expect((await current()).latestVersion).toBe(2);
  });
});
