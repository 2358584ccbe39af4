// SOP forms end to end: create from every built-in template, edit drafts like a manager, publish versions,
// pin answers to a version, check type/class-conditional sections, reject broken drafts, and enforce roles.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { buildApp } from '../../server/app.ts';
import { readBuiltInTemplates } from '../../server/templates/templates.service.ts';
import type { FieldSchema, FormSchema } from '../../server/forms/form-types.ts';

// ---------------------------------------------------------------------------------------------------------------
// Template content and answers built from it

const formTemplates = readBuiltInTemplates()
  .filter((t) => t.kind === 'form')
  .map((t) => ({ key: t.file.key, version: t.file.version, name: t.file.name, appliesTo: t.file.appliesTo ?? {}, form: t.file.form as FormSchema }));

function template(key: string) {
  const found = formTemplates.find((t) => t.key === key);
  if (!found) throw new Error(`no built-in form template ${key}`);
  return found;
}

const clone = <T>(x: T): T => structuredClone(x);

function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

interface Ctx { customerType: string; customerClass: 'A' | 'B' | 'C' | 'D'; visitDate: string }

/** A plausible answer for one field, derived from its definition only. */
function sampleValue(field: FieldSchema, ctx: Ctx): unknown {
  switch (field['x-widget']) {
    case 'text':
    case 'textarea': {
      if (field.pattern) throw new Error(`sampleValue: no generator for pattern ${field.pattern}`);
      return '已与店长沟通本月陈列与补货计划'.padEnd(field.minLength ?? 0, '。').slice(0, field.maxLength ?? 200);
    }
    case 'number':
      return field.minimum ?? 1;
    case 'choice':
      return field.enum?.[0];
    case 'multichoice':
      return [field.items?.enum[0]];
    case 'datetime':
      if (field.format === 'date') return ctx.visitDate;
      if (field.format === 'date-time') return `${ctx.visitDate}T10:30:00+08:00`;
      return '10:30:00+08:00';
    case 'yesno':
      return true;
    case 'rating':
      return field.maximum;
    case 'contact':
      return field['x-multiple'] ? [{ name: '李明', role: '店长' }, { name: '周红' }] : { name: '李明', role: '店长', phone: '138 0013 8000' };
    case 'products': {
      const unit = field['x-units']?.[0];
      return [{ sku: 'SKU-001', name: '冰红茶 500ml', qty: 12, ...(unit ? { unit } : {}) }];
    }
    case 'signature':
      return '5f1d7a2b3c4d5e6f7a8b9c0d';
    default:
      throw new Error(`sampleValue: unknown widget ${field['x-widget']}`);
  }
}

/** Is a section shown for this customer? Evaluated from the form definition, independently of the server. */
function shown(form: FormSchema, section: string, ctx: Ctx): boolean {
  const when = form.properties[section]?.['x-visibleWhen'];
  if (!when) return true;
  return (!when.customerTypes || when.customerTypes.includes(ctx.customerType))
    && (!when.customerClasses || when.customerClasses.includes(ctx.customerClass));
}

/** A complete, valid visit: every required field of every section shown for ctx, plus the follow-up. */
function validAnswers(form: FormSchema, ctx: Ctx): Record<string, Record<string, unknown>> {
  const answers: Record<string, Record<string, unknown>> = {};
  for (const [key, section] of Object.entries(form.properties)) {
    if (!shown(form, key, ctx)) continue;
    const values: Record<string, unknown> = {};
    for (const fieldKey of section.required ?? []) {
      const field = section.properties[fieldKey];
      if (!field) throw new Error(`required field ${key}.${fieldKey} is not defined`);
      values[fieldKey] = sampleValue(field, ctx);
    }
    answers[key] = values;
  }
  const followUp = form['x-evidence'].followUp;
  if (followUp) answers.followUp = { action: followUp.actions?.[0] ?? '再次拜访', dueDate: addDays(ctx.visitDate, 3) };
  return answers;
}

function contextFor(appliesTo: { customerTypes?: string[] }): Ctx {
  return { customerType: appliesTo.customerTypes?.[0] ?? '商超', customerClass: 'A', visitDate: '2025-03-10' };
}

// ---------------------------------------------------------------------------------------------------------------
// Error helpers

interface Detail { field: string; code: string; message_zh: string; message_en: string }

function expectError(res: request.Response, status: number, code: string): Detail[] {
  expect({ status: res.status, code: res.body?.error?.code }).toEqual({ status, code });
  expect(res.body.error.message_zh).toMatch(/\p{Script=Han}/u);
  expect(res.body.error.message_en).toMatch(/[a-z]/i);
  return res.body.error.details as Detail[];
}

function expectEveryDetailBilingual(details: Detail[]): void {
  expect(details.length).toBeGreaterThan(0);
  for (const d of details) {
    expect(d.message_zh, `${d.field} ${d.code}`).toMatch(/\p{Script=Han}/u);
    expect(d.message_en, `${d.field} ${d.code}`).toMatch(/[a-z]/i);
  }
}

// ---------------------------------------------------------------------------------------------------------------

describe('SOP forms', () => {
  let t: TestApp;
  let manager: ReturnType<typeof as>;
  let rep: ReturnType<typeof as>;

  beforeAll(async () => {
    t = await createTestApp();
    await t.seedTenant('acme');
    manager = as(t.server, await t.login('acme', 'manager'));
    rep = as(t.server, await t.login('acme', 'rep'));
  });
  afterAll(async () => { await t.close(); });

  async function createFrom(templateKey: string): Promise<string> {
    const res = await manager.post('/api/forms/from-template').send({ templateKey });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body.id as string;
  }

  async function getForm(id: string) {
    const res = await manager.get(`/api/forms/${id}`);
    expect(res.status).toBe(200);
    return res.body as { status: string; latestVersion: number; name: string; draft: { schema: FormSchema; revision: number } };
  }

  async function saveDraft(id: string, schema: unknown, revision: number) {
    return manager.put(`/api/forms/${id}/draft`).send({ schema, revision });
  }

  async function publish(id: string, note: string) {
    return manager.post(`/api/forms/${id}/publish`).send({ note });
  }

  function checkAnswers(client: ReturnType<typeof as>, id: string, version: number, context: Ctx, answers: unknown) {
    return client.post(`/api/forms/${id}/versions/${version}/check-answers`).send({ context, answers });
  }

  it('lists exactly the seven built-in form templates used below', () => {
    expect(formTemplates).toHaveLength(7);
  });

  it('publishes without a body, since the version note is optional', async () => {
    const id = await createFrom('phone-visit');
    const res = await manager.post(`/api/forms/${id}/publish`);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ version: 1, note: '' });
  });

  describe.each(formTemplates.map((tpl) => [tpl.key, tpl] as const))('from template %s', (_key, tpl) => {
    it('creates a draft, publishes version 1 with the template schema, and accepts a complete visit', async () => {
      const created = await manager.post('/api/forms/from-template').send({ templateKey: tpl.key });
      expect(created.status, JSON.stringify(created.body)).toBe(201);
      expect(created.body).toMatchObject({
        name: tpl.name, status: 'draft', latestVersion: 0,
        source: { templateKey: tpl.key, templateVersion: tpl.version },
        draft: { revision: 1 },
      });
      expect(created.body.appliesTo.customerTypes).toEqual(tpl.appliesTo.customerTypes ?? []);
      expect(created.body.draft.schema).toEqual(tpl.form);
      const id = created.body.id as string;

      const published = await publish(id, '首次发布');
      expect(published.status, JSON.stringify(published.body)).toBe(201);
      expect(published.body).toMatchObject({ docId: id, version: 1, note: '首次发布' });
      expect(published.body.schema).toEqual(tpl.form);

      const v1 = await manager.get(`/api/forms/${id}/versions/1`);
      expect(v1.status).toBe(200);
      expect(v1.body.version).toBe(1);
      expect(v1.body.schema).toEqual(tpl.form);
      // Section order is display order: it must survive the database.
      expect(Object.keys(v1.body.schema.properties)).toEqual(Object.keys(tpl.form.properties));

      const doc = await getForm(id);
      expect(doc).toMatchObject({ status: 'published', latestVersion: 1 });

      const ctx = contextFor(tpl.appliesTo);
      const ok = await checkAnswers(manager, id, 1, ctx, validAnswers(tpl.form, ctx));
      expect(ok.status, JSON.stringify(ok.body)).toBe(200);
      expect(ok.body).toEqual({ valid: true });
    });
  });

  describe('editing the FMCG draft like a manager', () => {
    const original = template('fmcg-store-visit').form;
    let id: string;
    let edited: FormSchema;

    beforeAll(async () => {
      id = await createFrom('fmcg-store-visit');
      const v1 = await publish(id, '首次发布');
      expect(v1.status).toBe(201);
    });

    function edit(form: FormSchema): FormSchema {
      const f = clone(form);
      const basic = f.properties.basic!;
      const stock = f.properties.stockOrder!;
      const summary = f.properties.summary!;
      // reorder: store status first, then purpose, then who received us
      const { visitPurpose, receptionist, storeStatus } = basic.properties;
      basic.properties = { storeStatus: storeStatus!, visitPurpose: visitPurpose!, receptionist: receptionist! };
      // change a choice's options
      basic.properties.visitPurpose!.enum = ['例行拜访', '新品推广', '订单跟进', '新店开发'];
      // add a field in the middle of a section
      const entries = Object.entries(stock.properties);
      entries.splice(1, 0, ['competitorPrice', { title: '竞品零售价', 'x-widget': 'number', type: 'number', minimum: 0, maximum: 9999, 'x-unit': '元' }]);
      stock.properties = Object.fromEntries(entries);
      // remove a field
      delete summary.properties.competitorNotes;
      // toggle required flags
      stock.required = stock.required!.filter((k) => k !== 'priceCompliance');
      summary.required = [...summary.required!, 'satisfaction'];
      // photos: new counts, a new kind, one kind dropped; wider fence
      const photos = f['x-evidence'].photos!;
      photos.kinds = [
        { kind: '门头照', min: 1, max: 2 },
        { kind: '陈列照', min: 3, max: 12, hint: '每个货架一张全景' },
        { kind: '冰柜照', min: 0, max: 2 },
      ];
      f['x-evidence'].location!.fenceRadiusM = 300;
      return f;
    }

    it('saves the edited draft with the current revision, bumping it, and keeps field order through the database', async () => {
      const before = await getForm(id);
      expect(before.draft.revision).toBe(1);
      edited = edit(before.draft.schema);

      const saved = await saveDraft(id, edited, 1);
      expect(saved.status, JSON.stringify(saved.body)).toBe(200);
      expect(saved.body.draft.revision).toBe(2);
      expect(saved.body.draft.schema).toEqual(edited);

      const after = await getForm(id);
      expect(after.draft.revision).toBe(2);
      const schema = after.draft.schema;
      expect(schema).toEqual(edited);
      expect(Object.keys(schema.properties.basic!.properties)).toEqual(['storeStatus', 'visitPurpose', 'receptionist']);
      expect(Object.keys(schema.properties.stockOrder!.properties)).toEqual(['shelfStock', 'competitorPrice', 'outOfStockSkus', 'orderPlaced', 'orderProducts', 'orderAmount', 'priceCompliance']);
      expect(schema.properties.summary!.properties).not.toHaveProperty('competitorNotes');
      expect(schema.properties.basic!.properties.visitPurpose!.enum).toContain('新店开发');
      expect(schema.properties.stockOrder!.required).not.toContain('priceCompliance');
      expect(schema.properties.summary!.required).toContain('satisfaction');
      expect(schema['x-evidence'].photos!.kinds.map((k) => [k.kind, k.min, k.max])).toEqual([['门头照', 1, 2], ['陈列照', 3, 12], ['冰柜照', 0, 2]]);
      expect(schema['x-evidence'].location!.fenceRadiusM).toBe(300);
      // the published version 1 is untouched by draft edits
      const v1 = await manager.get(`/api/forms/${id}/versions/1`);
      expect(v1.body.schema).toEqual(original);
    });

    it('refuses a save based on a stale revision with 409 FORM_DRAFT_CONFLICT and keeps the newer draft', async () => {
      const stale = clone(original);
      stale.title = '另一位经理的修改';
      const res = await saveDraft(id, stale, 1);
      expectError(res, 409, 'FORM_DRAFT_CONFLICT');
      const now = await getForm(id);
      expect(now.draft.revision).toBe(2);
      expect(now.draft.schema).toEqual(edited);
    });

    it('publishes the draft as version 2 with its note, then refuses to publish an unchanged draft', async () => {
      const v2 = await publish(id, '调整陈列照要求，围栏扩大到300米');
      expect(v2.status, JSON.stringify(v2.body)).toBe(201);
      expect(v2.body).toMatchObject({ version: 2, note: '调整陈列照要求，围栏扩大到300米' });
      expect(v2.body.schema).toEqual(edited);

      const again = await publish(id, '再发一次');
      expectError(again, 409, 'FORM_NOTHING_TO_PUBLISH');

      const list = await manager.get(`/api/forms/${id}/versions`);
      expect(list.status).toBe(200);
      expect(list.body.items.map((v: { version: number; note: string }) => [v.version, v.note])).toEqual([[2, '调整陈列照要求，围栏扩大到300米'], [1, '首次发布']]);
      expect(list.body.items[0]).not.toHaveProperty('schema');

      const got = await manager.get(`/api/forms/${id}/versions/2`);
      expect(got.body.schema).toEqual(edited);
      expect(Object.keys(got.body.schema.properties.basic.properties)).toEqual(['storeStatus', 'visitPurpose', 'receptionist']);
      expect((await getForm(id)).latestVersion).toBe(2);
    });

    it('treats a reorder alone as a change worth publishing (order is what reps see)', async () => {
      const current = await getForm(id);
      const f = clone(current.draft.schema);
      const { storeStatus, visitPurpose, receptionist } = f.properties.basic!.properties;
      f.properties.basic!.properties = { visitPurpose: visitPurpose!, receptionist: receptionist!, storeStatus: storeStatus! };
      const saved = await saveDraft(id, f, current.draft.revision);
      expect(saved.status).toBe(200);
      const v3 = await publish(id, '调整字段顺序');
      expect(v3.status, JSON.stringify(v3.body)).toBe(201);
      expect(v3.body.version).toBe(3);
      const got = await manager.get(`/api/forms/${id}/versions/3`);
      expect(Object.keys(got.body.schema.properties.basic.properties)).toEqual(['visitPurpose', 'receptionist', 'storeStatus']);
    });
  });

  describe('version pinning', () => {
    const fmcg = template('fmcg-store-visit').form;
    const ctx: Ctx = { customerType: '商超', customerClass: 'A', visitDate: '2025-03-10' };
    let id: string;

    beforeAll(async () => {
      id = await createFrom('fmcg-store-visit');
      expect((await publish(id, 'v1')).status).toBe(201);
    });

    it('keeps answers valid against v1 after v2 adds a required field, while v2 asks for that field', async () => {
      const answers = validAnswers(fmcg, ctx);
      const before = await checkAnswers(manager, id, 1, ctx, answers);
      expect(before.status, JSON.stringify(before.body)).toBe(200);

      const draft = await getForm(id);
      const v2form = clone(draft.draft.schema);
      v2form.properties.summary!.properties.nextVisitPlan = { title: '下次拜访计划', 'x-widget': 'textarea', type: 'string', maxLength: 200 };
      v2form.properties.summary!.required = [...v2form.properties.summary!.required!, 'nextVisitPlan'];
      expect((await saveDraft(id, v2form, draft.draft.revision)).status).toBe(200);
      const v2 = await publish(id, '新增下次拜访计划');
      expect(v2.body.version).toBe(2);

      const pinned = await checkAnswers(manager, id, 1, ctx, answers);
      expect(pinned.status, JSON.stringify(pinned.body)).toBe(200);
      expect(pinned.body).toEqual({ valid: true });

      const latest = await checkAnswers(manager, id, 2, ctx, answers);
      const details = expectError(latest, 422, 'ANSWERS_INVALID');
      expect(details).toEqual([expect.objectContaining({ field: '/answers/summary/nextVisitPlan', code: 'REQUIRED' })]);
      expectEveryDetailBilingual(details);

      // and the reverse: a visit filled in on v2 does not fit v1
      const v2answers = clone(answers);
      v2answers.summary!.nextVisitPlan = '下周二带新品样品复访';
      expect((await checkAnswers(manager, id, 2, ctx, v2answers)).status).toBe(200);
      const onV1 = await checkAnswers(manager, id, 1, ctx, v2answers);
      expect(expectError(onV1, 422, 'ANSWERS_INVALID')).toEqual([expect.objectContaining({ field: '/answers/summary/nextVisitPlan', code: 'UNKNOWN_FIELD' })]);
    });

    it('checks against the pinned version after a restart too (validators compiled from the stored version)', async () => {
      const { app } = buildApp({ config: t.config, conn: t.conn, models: t.models });
      const server = app.listen(0, '127.0.0.1');
      await new Promise<void>((ok) => server.once('listening', () => ok()));
      try {
        const token = (await request(server).post('/api/auth/dev-login').send({ tenant: 'acme', username: 'rep' })).body.token as string;
        const fresh = as(server, token);
        const answers = validAnswers(fmcg, ctx);
        expect((await checkAnswers(fresh, id, 1, ctx, answers)).status).toBe(200);
        const res = await checkAnswers(fresh, id, 2, ctx, answers);
        expect(expectError(res, 422, 'ANSWERS_INVALID')).toEqual([expect.objectContaining({ field: '/answers/summary/nextVisitPlan', code: 'REQUIRED' })]);
        const missing = await checkAnswers(fresh, id, 3, ctx, answers);
        expectError(missing, 404, 'NOT_FOUND');
      } finally {
        await new Promise<void>((ok) => server.close(() => ok()));
      }
    });
  });

  describe('answer validation with type- and class-conditional sections (FMCG)', () => {
    const fmcg = template('fmcg-store-visit').form;
    // Find the conditional sections from the template rather than naming them blind.
    const sectionFor = (pred: (w: NonNullable<FormSchema['properties'][string]['x-visibleWhen']>) => boolean) => {
      const found = Object.entries(fmcg.properties).find(([, s]) => s['x-visibleWhen'] && pred(s['x-visibleWhen']));
      if (!found) throw new Error('conditional section not found');
      return found[0];
    };
    const pharmacy = sectionFor((w) => w.customerTypes?.includes('药店') === true);
    const supermarket = sectionFor((w) => w.customerTypes?.includes('商超') === true);
    const keyAccount = sectionFor((w) => w.customerClasses !== undefined && !w.customerClasses.includes('C'));
    let id: string;

    beforeAll(async () => {
      id = await createFrom('fmcg-store-visit');
      expect((await publish(id, 'v1')).status).toBe(201);
    });

    const check = (ctx: Ctx, answers: unknown) => checkAnswers(rep, id, 1, ctx, answers);

    it('requires the pharmacy-only section for a 药店 and accepts the visit once it is filled', async () => {
      const ctx: Ctx = { customerType: '药店', customerClass: 'C', visitDate: '2025-03-10' };
      const answers = validAnswers(fmcg, ctx);
      expect(answers).toHaveProperty(pharmacy);
      expect((await check(ctx, answers)).status).toBe(200);

      delete answers[pharmacy];
      const details = expectError(await check(ctx, answers), 422, 'ANSWERS_INVALID');
      expect(details).toEqual([expect.objectContaining({ field: `/answers/${pharmacy}`, code: 'REQUIRED' })]);
      expectEveryDetailBilingual(details);
    });

    it('rejects the pharmacy section for a 商超 with FIELD_NOT_APPLICABLE', async () => {
      const ctx: Ctx = { customerType: '商超', customerClass: 'C', visitDate: '2025-03-10' };
      const answers = validAnswers(fmcg, ctx);
      expect(answers).toHaveProperty(supermarket);
      expect((await check(ctx, answers)).status).toBe(200);

      answers[pharmacy] = validAnswers(fmcg, { ...ctx, customerType: '药店' })[pharmacy]!;
      const details = expectError(await check(ctx, answers), 422, 'ANSWERS_INVALID');
      expect(details).toEqual([expect.objectContaining({ field: `/answers/${pharmacy}`, code: 'FIELD_NOT_APPLICABLE' })]);
      expectEveryDetailBilingual(details);
    });

    it('requires the A/B-only section for class A and B customers and refuses it for class C', async () => {
      for (const customerClass of ['A', 'B'] as const) {
        const ctx: Ctx = { customerType: '便利店', customerClass, visitDate: '2025-03-10' };
        const answers = validAnswers(fmcg, ctx);
        expect(answers).toHaveProperty(keyAccount);
        expect((await check(ctx, answers)).status, customerClass).toBe(200);
        delete answers[keyAccount];
        const details = expectError(await check(ctx, answers), 422, 'ANSWERS_INVALID');
        expect(details).toEqual([expect.objectContaining({ field: `/answers/${keyAccount}`, code: 'REQUIRED' })]);
      }
      const ctxC: Ctx = { customerType: '便利店', customerClass: 'C', visitDate: '2025-03-10' };
      const answers = validAnswers(fmcg, ctxC);
      answers[keyAccount] = validAnswers(fmcg, { ...ctxC, customerClass: 'A' })[keyAccount]!;
      const details = expectError(await check(ctxC, answers), 422, 'ANSWERS_INVALID');
      expect(details).toEqual([expect.objectContaining({ field: `/answers/${keyAccount}`, code: 'FIELD_NOT_APPLICABLE' })]);
    });

    it('limits the follow-up due date to the 7 days after the visit', async () => {
      const ctx: Ctx = { customerType: '食杂店', customerClass: 'D', visitDate: '2025-02-25' };
      const withDue = (days: number) => {
        const a = validAnswers(fmcg, ctx);
        a.followUp!.dueDate = addDays(ctx.visitDate, days);
        return a;
      };
      expect(fmcg['x-evidence'].followUp?.maxDays).toBe(7);

      expect((await check(ctx, withDue(0))).status).toBe(200);
      expect((await check(ctx, withDue(7))).status).toBe(200); // across the month end: 2025-03-04

      const late = expectError(await check(ctx, withDue(8)), 422, 'ANSWERS_INVALID');
      expect(late).toEqual([expect.objectContaining({ field: '/answers/followUp/dueDate', code: 'FOLLOW_UP_TOO_LATE' })]);
      expectEveryDetailBilingual(late);

      const past = expectError(await check(ctx, withDue(-1)), 422, 'ANSWERS_INVALID');
      expect(past).toEqual([expect.objectContaining({ field: '/answers/followUp/dueDate', code: 'FOLLOW_UP_IN_PAST' })]);
      expectEveryDetailBilingual(past);

      const noFollowUp = validAnswers(fmcg, ctx);
      delete noFollowUp.followUp;
      expect(expectError(await check(ctx, noFollowUp), 422, 'ANSWERS_INVALID'))
        .toEqual([expect.objectContaining({ field: '/answers/followUp', code: 'REQUIRED' })]);
    });

    it('rejects options that are not in the list, naming each bad field', async () => {
      const ctx: Ctx = { customerType: '商超', customerClass: 'C', visitDate: '2025-03-10' };
      const answers = validAnswers(fmcg, ctx);
      answers.basic!.visitPurpose = '随便看看';
      answers.followUp!.action = '请客吃饭';
      const details = expectError(await check(ctx, answers), 422, 'ANSWERS_INVALID');
      expect(details).toEqual(expect.arrayContaining([
        expect.objectContaining({ field: '/answers/basic/visitPurpose', code: 'NOT_ALLOWED_VALUE' }),
        expect.objectContaining({ field: '/answers/followUp/action', code: 'NOT_ALLOWED_VALUE' }),
      ]));
      expect(details).toHaveLength(2);
      expectEveryDetailBilingual(details);
      // the Chinese message names the field by its title
      expect(details.find((d) => d.field === '/answers/basic/visitPurpose')?.message_zh).toContain('拜访目的');
    });

    it('reports several problems at once, each with its own pointer and bilingual message', async () => {
      const ctx: Ctx = { customerType: '药店', customerClass: 'A', visitDate: '2025-03-10' };
      const answers = validAnswers(fmcg, ctx);
      delete answers.basic!.storeStatus;
      answers.summary!.visitSummary = '太短';
      answers.basic!.receptionist = { role: '店长' };
      answers[supermarket] = validAnswers(fmcg, { ...ctx, customerType: '商超' })[supermarket]!;
      const details = expectError(await check(ctx, answers), 422, 'ANSWERS_INVALID');
      expect(details).toEqual(expect.arrayContaining([
        expect.objectContaining({ field: '/answers/basic/storeStatus', code: 'REQUIRED' }),
        expect.objectContaining({ field: '/answers/summary/visitSummary', code: 'TOO_SHORT' }),
        expect.objectContaining({ field: '/answers/basic/receptionist/name', code: 'REQUIRED' }),
        expect.objectContaining({ field: `/answers/${supermarket}`, code: 'FIELD_NOT_APPLICABLE' }),
      ]));
      expectEveryDetailBilingual(details);
    });

    it('answers 404 for a version that was never published', async () => {
      const ctx: Ctx = { customerType: '商超', customerClass: 'C', visitDate: '2025-03-10' };
      const res = await check(ctx, validAnswers(fmcg, ctx));
      expect(res.status).toBe(200);
      expectError(await checkAnswers(rep, id, 2, ctx, validAnswers(fmcg, ctx)), 404, 'NOT_FOUND');
    });
  });

  describe('drafts that break the meta-schema', () => {
    const base = template('fmcg-store-visit').form;
    let id: string;
    let revision: number;

    beforeAll(async () => {
      id = await createFrom('fmcg-store-visit');
      revision = (await getForm(id)).draft.revision;
    });

    const text = (extra: Record<string, unknown> = {}) => ({ title: '备注', 'x-widget': 'text', type: 'string', maxLength: 50, ...extra });
    const cases: [string, (f: FormSchema) => void, string, string][] = [
      ['an unknown widget', (f) => { f.properties.basic!.properties.visitPurpose!['x-widget'] = 'slider'; }, '/schema/properties/basic/properties/visitPurpose/x-widget', 'UNKNOWN_WIDGET'],
      ['a text field without maxLength', (f) => { f.properties.summary!.properties.remark = { title: '备注', 'x-widget': 'text', type: 'string' }; }, '/schema/properties/summary/properties/remark/maxLength', 'REQUIRED'],
      ['a field key with a dot', (f) => { f.properties.summary!.properties['store.note'] = text(); }, '/schema/properties/summary/properties/store.note', 'BAD_KEY'],
      ['a field key in Chinese', (f) => { f.properties.summary!.properties['备注'] = text(); }, '/schema/properties/summary/properties/备注', 'BAD_KEY'],
      ['required naming a missing field', (f) => { f.properties.summary!.required = [...f.properties.summary!.required!, 'ghostField']; }, `/schema/properties/summary/required/${base.properties.summary!.required!.length}`, 'UNKNOWN_REQUIRED_FIELD'],
      ['an unsafe regex', (f) => { f.properties.summary!.properties.code = text({ pattern: '^(a+)+$' }); }, '/schema/properties/summary/properties/code/pattern', 'UNSAFE_REGEX'],
      ['an invalid regex', (f) => { f.properties.summary!.properties.code = text({ pattern: '([a-' }); }, '/schema/properties/summary/properties/code/pattern', 'BAD_REGEX'],
      ['a fence below 30 m', (f) => { f['x-evidence'].location!.fenceRadiusM = 10; }, '/schema/x-evidence/location/fenceRadiusM', 'TOO_SMALL'],
      ['a photo kind whose max is below its min', (f) => { f['x-evidence'].photos!.kinds[1] = { kind: '陈列照', min: 5, max: 2 }; }, '/schema/x-evidence/photos/kinds/1/max', 'LIMITS_INVERTED'],
      ['a number whose minimum exceeds its maximum', (f) => { f.properties.supermarket!.properties.facingCount!.minimum = 500; }, '/schema/properties/supermarket/properties/facingCount/maximum', 'LIMITS_INVERTED'],
      ['a choice without options', (f) => { f.properties.basic!.properties.storeStatus!.enum = []; }, '/schema/properties/basic/properties/storeStatus/enum', 'TOO_FEW_ITEMS'],
    ];

    it.each(cases)('rejects %s with 422 FORM_INVALID pointing at the bad spot, and saves nothing', async (_what, mutate, pointer, code) => {
      const bad = clone(base);
      mutate(bad);
      const res = await saveDraft(id, bad, revision);
      const details = expectError(res, 422, 'FORM_INVALID');
      expect(details).toContainEqual(expect.objectContaining({ field: pointer, code }));
      for (const d of details) expect(d.field.startsWith('/schema/'), d.field).toBe(true);
      expectEveryDetailBilingual(details);

      const after = await getForm(id);
      expect(after.draft.revision).toBe(revision);
      expect(after.draft.schema).toEqual(base);
    });

    it('rejects a new form with a broken schema and creates nothing', async () => {
      const before = (await manager.get('/api/forms')).body.items.length as number;
      const bad = clone(base);
      bad.properties.summary!.properties.code = text({ pattern: '^(a+)+$' });
      const res = await manager.post('/api/forms').send({ name: '坏表单', schema: bad, appliesTo: { customerTypes: ['商超'] } });
      expect(expectError(res, 422, 'FORM_INVALID')).toContainEqual(expect.objectContaining({ field: '/schema/properties/summary/properties/code/pattern', code: 'UNSAFE_REGEX' }));
      expect((await manager.get('/api/forms')).body.items).toHaveLength(before);
    });

    it('accepts a blank form built by hand with POST /forms', async () => {
      const schema = {
        type: 'object', title: '简易巡店', additionalProperties: false,
        'x-evidence': { location: { required: true, fenceRadiusM: 150 } },
        properties: {
          store: {
            type: 'object', title: '门店', additionalProperties: false, required: ['clean'],
            properties: { clean: { title: '是否整洁', 'x-widget': 'yesno', type: 'boolean' } },
          },
        },
      };
      const res = await manager.post('/api/forms').send({ name: '简易巡店', schema, appliesTo: { customerTypes: ['直营店'], customerClasses: ['A', 'B'] } });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ name: '简易巡店', status: 'draft', appliesTo: { customerTypes: ['直营店'], customerClasses: ['A', 'B'] }, draft: { revision: 1, schema } });
    });
  });

  describe('roles', () => {
    let id: string;

    beforeAll(async () => {
      id = await createFrom('phone-visit');
      expect((await publish(id, 'v1')).status).toBe(201);
    });

    it('lets a rep read forms and versions and check answers', async () => {
      const list = await rep.get('/api/forms');
      expect(list.status).toBe(200);
      expect(list.body.items.map((f: { id: string }) => f.id)).toContain(id);
      const one = await rep.get(`/api/forms/${id}`);
      expect(one.status).toBe(200);
      expect(one.body.draft.schema).toEqual(template('phone-visit').form);
      expect((await rep.get(`/api/forms/${id}/versions`)).body.items.map((v: { version: number }) => v.version)).toEqual([1]);
      const v1 = await rep.get(`/api/forms/${id}/versions/1`);
      expect(v1.status).toBe(200);
      const tpl = template('phone-visit');
      const ctx = contextFor(tpl.appliesTo);
      const checked = await checkAnswers(rep, id, 1, ctx, validAnswers(tpl.form, ctx));
      expect(checked.status, JSON.stringify(checked.body)).toBe(200);
    });

    it('forbids a rep to create, edit, publish or archive forms, and changes nothing', async () => {
      const before = await getForm(id);
      const changed = clone(before.draft.schema);
      changed.title = '业务员改的';
      const attempts = [
        rep.post('/api/forms').send({ name: '业务员的表单', schema: before.draft.schema }),
        rep.post('/api/forms/from-template').send({ templateKey: 'phone-visit' }),
        rep.put(`/api/forms/${id}/draft`).send({ schema: changed, revision: before.draft.revision }),
        rep.post(`/api/forms/${id}/publish`).send({ note: '业务员发布' }),
        rep.post(`/api/forms/${id}/archive`),
      ];
      for (const res of await Promise.all(attempts)) expectError(res, 403, 'FORBIDDEN');

      const after = await getForm(id);
      expect(after).toMatchObject({ status: 'published', latestVersion: 1, draft: { revision: before.draft.revision, schema: before.draft.schema } });
      expect((await manager.get(`/api/forms/${id}/versions`)).body.items).toHaveLength(1);
    });
  });

  describe('archiving', () => {
    it('blocks further drafts and publishes with 409 FORM_ARCHIVED but keeps history readable', async () => {
      const id = await createFrom('real-estate-prospecting');
      expect((await publish(id, 'v1')).status).toBe(201);
      const form = await getForm(id);

      const archived = await manager.post(`/api/forms/${id}/archive`);
      expect(archived.status).toBe(200);
      expect(archived.body.status).toBe('archived');

      const changed = clone(form.draft.schema);
      changed.title = '归档后修改';
      expectError(await saveDraft(id, changed, form.draft.revision), 409, 'FORM_ARCHIVED');
      expectError(await publish(id, '归档后发布'), 409, 'FORM_ARCHIVED');

      const after = await getForm(id);
      expect(after).toMatchObject({ status: 'archived', latestVersion: 1, draft: { revision: form.draft.revision, schema: form.draft.schema } });
      expect((await manager.get(`/api/forms/${id}/versions/1`)).status).toBe(200);

      const archivedList = await manager.get('/api/forms?status=archived');
      expect(archivedList.body.items.map((f: { id: string }) => f.id)).toEqual([id]);
      const publishedList = await manager.get('/api/forms?status=published');
      expect(publishedList.body.items.map((f: { id: string }) => f.id)).not.toContain(id);
    });
  });
});
