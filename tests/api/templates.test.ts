// The template library a tenant starts from: 7 SOP form templates and 1 scoring template, copied in at provisioning.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';

const builtIns = readBuiltInTemplates();
const formFiles = builtIns.filter((t) => t.kind === 'form').map((t) => t.file);
const scoringFiles = builtIns.filter((t) => t.kind === 'scoring').map((t) => t.file);
const HAN = /\p{Script=Han}/u;

interface ListedTemplate { kind: string; key: string; version: number; name: string; name_en: string; builtIn: boolean; content?: unknown }

describe('template library', () => {
  let t: TestApp;
  let tenantId: string;
  let manager: ReturnType<typeof as>;
  let admin: ReturnType<typeof as>;
  let rep: ReturnType<typeof as>;

  beforeAll(async () => {
    t = await createTestApp();
    ({ tenantId } = await t.seedTenant('acme'));
    manager = as(t.server, await t.login('acme', 'manager'));
    admin = as(t.server, await t.login('acme', 'admin'));
    rep = as(t.server, await t.login('acme', 'rep'));
  });
  afterAll(async () => { await t.close(); });

  it('ships 7 form templates and 1 scoring template', () => {
    expect(formFiles).toHaveLength(7);
    expect(scoringFiles).toHaveLength(1);
  });

  it('lists exactly the 7 form templates with Chinese names and no content', async () => {
    const res = await manager.get('/api/templates?kind=form');
    expect(res.status).toBe(200);
    const items = res.body.items as ListedTemplate[];
    expect(items.map((i) => i.key).sort()).toEqual(formFiles.map((f) => f.key).sort());
    for (const item of items) {
      const file = formFiles.find((f) => f.key === item.key);
      expect(item).toMatchObject({ kind: 'form', version: file?.version, name: file?.name, name_en: file?.name_en, builtIn: true });
      expect(item.name, item.key).toMatch(HAN);
      expect(item).not.toHaveProperty('content');
    }
    expect(items.map((i) => i.name)).toEqual(expect.arrayContaining(['快消门店拜访', '医药代表拜访', '电话拜访', '督导巡店']));
  });

  it('lists exactly the 1 scoring template with a Chinese name', async () => {
    const res = await manager.get('/api/templates?kind=scoring');
    expect(res.status).toBe(200);
    const items = res.body.items as ListedTemplate[];
    expect(items).toHaveLength(1);
    expect(items[0]).toMatchObject({ kind: 'scoring', key: 'default', name: scoringFiles[0]?.name, builtIn: true });
    expect(items[0]?.name).toMatch(HAN);
  });

  it('lists both kinds (7 + 1) without a filter, and admins see the same library', async () => {
    const res = await admin.get('/api/templates');
    expect(res.status).toBe(200);
    const items = res.body.items as ListedTemplate[];
    expect(items.filter((i) => i.kind === 'form')).toHaveLength(7);
    expect(items.filter((i) => i.kind === 'scoring')).toHaveLength(1);
    expect(items).toHaveLength(8);
  });

  it('returns one form template with its full content', async () => {
    const file = formFiles.find((f) => f.key === 'fmcg-store-visit');
    const res = await manager.get('/api/templates/form/fmcg-store-visit');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ kind: 'form', key: 'fmcg-store-visit', name: '快消门店拜访', appliesTo: file?.appliesTo });
    expect(res.body.content).toEqual(file?.form);
    expect(Object.keys(res.body.content.properties)).toEqual(Object.keys((file?.form as { properties: object }).properties));
  });

  it('returns the scoring template with its full content', async () => {
    const res = await manager.get('/api/templates/scoring/default');
    expect(res.status).toBe(200);
    expect(res.body.content).toEqual(scoringFiles[0]?.content);
    const groups = res.body.content.groups as { weight: number }[];
    expect(groups.reduce((a, g) => a + g.weight, 0)).toBe(100);
  });

  it('answers 404 TEMPLATE_NOT_FOUND for an unknown key and for a key of the other kind', async () => {
    for (const url of ['/api/templates/form/no-such-template', '/api/templates/scoring/fmcg-store-visit']) {
      const res = await manager.get(url);
      expect(res.status, url).toBe(404);
      expect(res.body.error.code).toBe('TEMPLATE_NOT_FOUND');
    }
  });

  it('is idempotent: provisioning the same tenant again keeps 7 + 1 templates and adds no duplicates', async () => {
    const seed = {
      code: 'acme', name: '企业 acme',
      users: [
        { username: 'admin', name: '管理员', role: 'admin' as const },
        { username: 'manager', name: '王经理', role: 'manager' as const },
      ],
    };
    const countBefore = await t.models.Template.countDocuments({ tenantId: new Types.ObjectId(tenantId) });
    expect(countBefore).toBe(8);

    const again = await t.services.tenants.provision(seed);
    const third = await t.services.tenants.provision(seed);
    expect(String(again.tenantId)).toBe(tenantId);
    expect(String(third.tenantId)).toBe(tenantId);

    const docs = await t.models.Template.find({ tenantId: new Types.ObjectId(tenantId) }).lean();
    expect(docs).toHaveLength(8);
    const keys = docs.map((d) => `${d.kind}:${d.key}@${d.version}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(await t.models.Tenant.countDocuments({ code: 'acme' })).toBe(1);
    expect(await t.models.User.countDocuments({ tenantId: new Types.ObjectId(tenantId) })).toBe(4);

    const res = await manager.get('/api/templates');
    expect((res.body.items as ListedTemplate[]).map((i) => `${i.kind}:${i.key}`).sort())
      .toEqual([...formFiles.map((f) => `form:${f.key}`), 'scoring:default'].sort());
  });

  it('gives every tenant its own copy of the library', async () => {
    const { tenantId: other } = await t.seedTenant('globex');
    expect(other).not.toBe(tenantId);
    expect(await t.models.Template.countDocuments({ tenantId: new Types.ObjectId(other) })).toBe(8);
    const otherManager = as(t.server, await t.login('globex', 'manager'));
    expect((await otherManager.get('/api/templates')).body.items).toHaveLength(8);
    expect(await t.models.Template.countDocuments({ tenantId: new Types.ObjectId(tenantId) })).toBe(8);
  });

  it('forbids reps from browsing the template library (403 FORBIDDEN)', async () => {
    for (const url of ['/api/templates', '/api/templates?kind=form', '/api/templates/form/fmcg-store-visit', '/api/templates/scoring/default']) {
      const res = await rep.get(url);
      expect(res.status, url).toBe(403);
      expect(res.body.error.code).toBe('FORBIDDEN');
      expect(res.body).not.toHaveProperty('items');
    }
  });
});
