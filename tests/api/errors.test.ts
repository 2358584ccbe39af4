// Bad input of every kind: each case answers the one error envelope with a precise code and field pointer,
// never a 500, and writes nothing.
import { request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import request from 'supertest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { sha256Hex } from '../../server/lib/ids.ts';
import { logger } from '../../server/lib/logger.ts';

const UNKNOWN_ID = '0123456789abcdef01234567';
const JSON_TYPE = 'application/json';

describe('bad input answers a 4xx error envelope and writes nothing', () => {
  let t: TestApp;
  let tenantId: string;
  let users: Record<string, string>;
  let admin: ReturnType<typeof as>;
  let manager: ReturnType<typeof as>;
  let formId: string;
  let formSchema: unknown;
  let scoringId: string;

  /** Everything the tenant owns plus global counts, as one comparable value. */
  async function dbState(): Promise<string> {
    const m = t.models;
    const scoped = { tenantId };
    return JSON.stringify({
      forms: await m.Form.find(scoped).sort({ _id: 1 }).lean(),
      formVersions: await m.FormVersion.find(scoped).sort({ _id: 1 }).lean(),
      scoring: await m.ScoringTemplate.find(scoped).sort({ _id: 1 }).lean(),
      scoringVersions: await m.ScoringVersion.find(scoped).sort({ _id: 1 }).lean(),
      users: await m.User.find(scoped).sort({ _id: 1 }).lean(),
      templates: await m.Template.countDocuments(scoped),
      sessions: await m.Session.countDocuments({}),
      tenants: await m.Tenant.countDocuments({}),
    });
  }

  /** Sends a request that must be rejected, asserting the envelope and that the database did not change. */
  async function rejected(send: () => PromiseLike<request.Response>, status: number, code: string, detail?: { field?: string; code?: string }) {
    const before = await dbState();
    const res = await send();
    const err = expectError(res, status, code, detail);
    expect(await dbState(), 'the rejected request changed the database').toBe(before);
    return err;
  }

  const raw = (req: request.Test, body: string, type = JSON_TYPE) => req.set('content-type', type).send(body);

  beforeAll(async () => {
    t = await createTestApp();
    ({ tenantId, users } = await t.seedTenant('acme'));
    admin = as(t.server, await t.login('acme', 'admin'));
    manager = as(t.server, await t.login('acme', 'manager'));
    const form = await manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit' });
    expect(form.status).toBe(201);
    formId = form.body.id as string;
    formSchema = form.body.draft.schema;
    expect((await manager.post(`/api/forms/${formId}/publish`).send({ note: 'v1' })).status).toBe(201);
    const scoring = await manager.post('/api/scoring-templates/from-template').send({ templateKey: 'default' });
    expect(scoring.status).toBe(201);
    scoringId = scoring.body.id as string;
  });
  afterAll(async () => { await t.close(); });

  // The error middleware logs every unexpected (5xx) failure; none may happen in this file.
  const serverErrors = vi.spyOn(logger, 'error');
  afterEach(() => {
    expect(serverErrors.mock.calls, 'the server logged an unexpected failure').toEqual([]);
    serverErrors.mockClear();
  });

  describe('request body syntax and transport', () => {
    it.each([
      ['truncated', '{"templateKey": '],
      ['trailing comma', '{"templateKey": "phone-visit",}'],
      ['single quotes', "{'templateKey': 'phone-visit'}"],
      ['bare word', 'phone-visit'],
      ['NaN', '{"templateVersion": NaN}'],
      ['two documents', '{"templateKey":"phone-visit"}{"templateKey":"phone-visit"}'],
    ])('malformed JSON (%s) → 400 MALFORMED_JSON', async (_label, body) => {
      const err = await rejected(() => raw(manager.post('/api/forms/from-template'), body), 400, 'MALFORMED_JSON');
      expect(err.details).toEqual([]);
    });

    it('a body over the configured limit → 413 BODY_TOO_LARGE, with or without a content-length', async () => {
      const small = await createTestApp({ bodyLimitBytes: 10_000 });
      try {
        const seeded = await small.seedTenant('tiny');
        const token = await small.login('tiny', 'manager');
        const big = { name: '超大表单', schema: { ...(formSchema as object), description: '很'.repeat(8_000) } };
        expect(Buffer.byteLength(JSON.stringify(big))).toBeGreaterThan(10_000);
        const res = await as(small.server, token).post('/api/forms').send(big);
        expectError(res, 413, 'BODY_TOO_LARGE');

        // Chunked, so the server only learns the size while reading.
        const { port } = small.server.address() as AddressInfo;
        const chunked = await new Promise<{ status: number; body: string }>((resolve, reject) => {
          const req = httpRequest({
            host: '127.0.0.1', port, method: 'POST', path: '/api/forms',
            headers: { authorization: `Bearer ${token}`, 'content-type': JSON_TYPE, 'transfer-encoding': 'chunked' },
          }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => { text += c; });
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
          });
          req.on('error', reject);
          const payload = JSON.stringify(big);
          for (let i = 0; i < payload.length; i += 1_000) req.write(payload.slice(i, i + 1_000));
          req.end();
        });
        expect(chunked.status).toBe(413);
        expect(JSON.parse(chunked.body)).toMatchObject({ error: { code: 'BODY_TOO_LARGE' } });

        // Just under the limit is read normally (and fails on content instead).
        const fits = await as(small.server, token).post('/api/forms').send({ name: 'x', schema: { junk: 'a'.repeat(9_000) } });
        expectError(fits, 422, 'FORM_INVALID');
        expect(await small.models.Form.countDocuments({ tenantId: seeded.tenantId })).toBe(0);
      } finally {
        await small.close();
      }
    });

    it.each([
      ['text/plain', '{"templateKey":"phone-visit"}'],
      ['application/x-www-form-urlencoded', 'templateKey=phone-visit'],
      ['multipart/form-data; boundary=x', '--x\r\nContent-Disposition: form-data; name="templateKey"\r\n\r\nphone-visit\r\n--x--'],
      ['application/xml', '<templateKey>phone-visit</templateKey>'],
    ])('content type %s → 415 UNSUPPORTED_MEDIA_TYPE', async (type, body) => {
      await rejected(() => raw(manager.post('/api/forms/from-template'), body, type), 415, 'UNSUPPORTED_MEDIA_TYPE');
    });

    it('application/json with a charset parameter is accepted', async () => {
      const res = await raw(manager.post(`/api/forms/${formId}/publish`), '{"note":"同上"}', 'application/json; charset=utf-8');
      expectError(res, 409, 'FORM_NOTHING_TO_PUBLISH');
    });

    it('an empty body where one is required → 400 WRONG_TYPE at the root pointer', async () => {
      await rejected(() => manager.post('/api/forms/from-template'), 400, 'VALIDATION_FAILED', { field: '', code: 'WRONG_TYPE' });
      await rejected(() => raw(manager.post('/api/forms/from-template'), ''), 400, 'VALIDATION_FAILED', { field: '', code: 'WRONG_TYPE' });
      await rejected(() => raw(manager.post('/api/forms/from-template'), '  \n '), 400, 'VALIDATION_FAILED', { field: '', code: 'WRONG_TYPE' });
      await rejected(() => admin.post('/api/users'), 400, 'VALIDATION_FAILED', { field: '', code: 'WRONG_TYPE' });
    });

    it.each([
      ['an array', '[{"templateKey":"phone-visit"}]'],
      ['null', 'null'],
      ['a string', '"phone-visit"'],
      ['a number', '42'],
      ['a boolean', 'true'],
    ])('%s instead of an object → 400 WRONG_TYPE at the root pointer', async (_label, body) => {
      const err = await rejected(() => raw(manager.post('/api/forms/from-template'), body), 400, 'VALIDATION_FAILED', { field: '', code: 'WRONG_TYPE' });
      expect(err.details).toHaveLength(1);
    });
  });

  describe('body shape', () => {
    it('an unknown field → UNKNOWN_FIELD at its pointer, at the top level and nested', async () => {
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', color: 'red' }), 400, 'VALIDATION_FAILED', { field: '/color', code: 'UNKNOWN_FIELD' });
      await rejected(
        () => manager.post('/api/forms').send({ name: '新表单', schema: formSchema, appliesTo: { customerClasses: ['A'], region: '华东' } }),
        400, 'VALIDATION_FAILED', { field: '/appliesTo/region', code: 'UNKNOWN_FIELD' },
      );
      await rejected(
        () => manager.post(`/api/forms/${formId}/versions/1/check-answers`).send({ context: { customerType: '商超', customerClass: 'A', weather: 'sunny' }, answers: {} }),
        400, 'VALIDATION_FAILED', { field: '/context/weather', code: 'UNKNOWN_FIELD' },
      );
      // Keys needing JSON-pointer escapes are escaped (~1 for '/', ~0 for '~').
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', 'a/b~c': 1 }), 400, 'VALIDATION_FAILED', { field: '/a~1b~0c', code: 'UNKNOWN_FIELD' });
    });

    it('a missing required field → REQUIRED at the pointer of the missing field', async () => {
      await rejected(() => manager.post('/api/forms/from-template').send({}), 400, 'VALIDATION_FAILED', { field: '/templateKey', code: 'REQUIRED' });
      const err = await rejected(() => admin.post('/api/users').send({ username: 'newbie' }), 400, 'VALIDATION_FAILED', { field: '/name', code: 'REQUIRED' });
      expect(err.details).toEqual(expect.arrayContaining([expect.objectContaining({ field: '/role', code: 'REQUIRED' })]));
      await rejected(() => manager.put(`/api/forms/${formId}/draft`).send({ schema: formSchema }), 400, 'VALIDATION_FAILED', { field: '/revision', code: 'REQUIRED' });
      await rejected(
        () => manager.post(`/api/forms/${formId}/versions/1/check-answers`).send({ context: { customerType: '商超' }, answers: {} }),
        400, 'VALIDATION_FAILED', { field: '/context/customerClass', code: 'REQUIRED' },
      );
    });

    it('a wrong type → WRONG_TYPE at the field', async () => {
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', templateVersion: '1' }), 400, 'VALIDATION_FAILED', { field: '/templateVersion', code: 'WRONG_TYPE' });
      await rejected(() => manager.put(`/api/forms/${formId}/draft`).send({ revision: 1, schema: 'not an object' }), 400, 'VALIDATION_FAILED', { field: '/schema', code: 'WRONG_TYPE' });
      await rejected(() => admin.patch(`/api/users/${users.rep}`).send({ active: 'false' }), 400, 'VALIDATION_FAILED', { field: '/active', code: 'WRONG_TYPE' });
      await rejected(() => manager.post('/api/forms').send({ name: '表单', schema: formSchema, appliesTo: { customerTypes: '商超' } }), 400, 'VALIDATION_FAILED', { field: '/appliesTo/customerTypes', code: 'WRONG_TYPE' });
    });

    it('numbers out of range or not integers are rejected', async () => {
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', templateVersion: 0 }), 400, 'VALIDATION_FAILED', { field: '/templateVersion', code: 'TOO_SMALL' });
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', templateVersion: 1.5 }), 400, 'VALIDATION_FAILED', { field: '/templateVersion', code: 'WRONG_TYPE' });
      await rejected(() => manager.put(`/api/forms/${formId}/draft`).send({ revision: 0, schema: formSchema }), 400, 'VALIDATION_FAILED', { field: '/revision', code: 'TOO_SMALL' });
    });

    it('a string too long or too short → TOO_LONG / TOO_SHORT at the field', async () => {
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', name: '名'.repeat(61) }), 400, 'VALIDATION_FAILED', { field: '/name', code: 'TOO_LONG' });
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', description: 'x'.repeat(501) }), 400, 'VALIDATION_FAILED', { field: '/description', code: 'TOO_LONG' });
      await rejected(() => manager.post(`/api/forms/${formId}/publish`).send({ note: 'n'.repeat(501) }), 400, 'VALIDATION_FAILED', { field: '/note', code: 'TOO_LONG' });
      await rejected(() => admin.patch(`/api/users/${users.rep}`).send({ name: '' }), 400, 'VALIDATION_FAILED', { field: '/name', code: 'TOO_SHORT' });
    });

    it('a value outside an enum → NOT_ALLOWED_VALUE at the field (array items included)', async () => {
      await rejected(() => admin.post('/api/users').send({ username: 'boss', name: '老板', role: 'superuser' }), 400, 'VALIDATION_FAILED', { field: '/role', code: 'NOT_ALLOWED_VALUE' });
      await rejected(() => manager.post('/api/forms').send({ name: '表单', schema: formSchema, appliesTo: { customerClasses: ['A', 'E'] } }), 400, 'VALIDATION_FAILED', { field: '/appliesTo/customerClasses/1', code: 'NOT_ALLOWED_VALUE' });
      await rejected(
        () => manager.post(`/api/forms/${formId}/versions/1/check-answers`).send({ context: { customerType: '商超', customerClass: 'Z' }, answers: {} }),
        400, 'VALIDATION_FAILED', { field: '/context/customerClass', code: 'NOT_ALLOWED_VALUE' },
      );
    });

    it('patterns, formats, uniqueness and minimum property counts are enforced', async () => {
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'Phone Visit' }), 400, 'VALIDATION_FAILED', { field: '/templateKey', code: 'BAD_PATTERN' });
      await rejected(() => admin.post('/api/users').send({ username: 'a b', name: '某人', role: 'rep' }), 400, 'VALIDATION_FAILED', { field: '/username', code: 'BAD_PATTERN' });
      await rejected(
        () => manager.post(`/api/forms/${formId}/versions/1/check-answers`).send({ context: { customerType: '商超', customerClass: 'A', visitDate: '2024-13-45' }, answers: {} }),
        400, 'VALIDATION_FAILED', { field: '/context/visitDate', code: 'BAD_FORMAT' },
      );
      await rejected(() => manager.post('/api/forms').send({ name: '表单', schema: formSchema, appliesTo: { customerClasses: ['A', 'A'] } }), 400, 'VALIDATION_FAILED', { field: '/appliesTo/customerClasses', code: 'DUPLICATE_ITEMS' });
      await rejected(() => admin.patch(`/api/users/${users.rep}`).send({}), 400, 'VALIDATION_FAILED', { field: '', code: 'TOO_FEW_ITEMS' });
    });

    it('every problem of a body is reported at once, each at its own pointer', async () => {
      const err = await rejected(
        () => admin.post('/api/users').send({ username: 'x', name: 'n'.repeat(61), role: 'owner', managerId: 'nope', extra: true }),
        400, 'VALIDATION_FAILED',
      );
      expect(err.details.map((d) => `${d.field} ${d.code}`).sort()).toEqual([
        '/extra UNKNOWN_FIELD', '/managerId BAD_PATTERN', '/name TOO_LONG', '/role NOT_ALLOWED_VALUE', '/username BAD_PATTERN',
      ]);
    });

    it('deeply nested junk → 400 (never a stack overflow), at any depth and position', async () => {
      const nest = (depth: number, leaf = '1') => '{"a":'.repeat(depth) + leaf + '}'.repeat(depth);
      const arrays = (depth: number) => '['.repeat(depth) + '1' + ']'.repeat(depth);
      // Shallow junk in a closed object is just an unknown field.
      await rejected(() => raw(manager.post('/api/forms/from-template'), `{"templateKey":"phone-visit","junk":${nest(20)}}`), 400, 'VALIDATION_FAILED', { field: '/junk', code: 'UNKNOWN_FIELD' });
      for (const depth of [100, 5_000, 100_000]) {
        await rejected(() => raw(manager.post('/api/forms/from-template'), `{"templateKey":"phone-visit","junk":${nest(depth)}}`), 400, 'VALIDATION_FAILED', { code: 'TOO_DEEP', field: `/junk${'/a'.repeat(63)}` });
        // Inside the free-form form schema, which reaches the form checker.
        await rejected(() => raw(manager.post('/api/forms'), `{"name":"深","schema":{"properties":${arrays(depth)}}}`), 400, 'VALIDATION_FAILED', { code: 'TOO_DEEP', field: `/schema/properties${'/0'.repeat(62)}` });
        await rejected(() => raw(manager.put(`/api/forms/${formId}/draft`), `{"revision":1,"schema":${nest(depth)}}`), 400, 'VALIDATION_FAILED', { code: 'TOO_DEEP' });
        await rejected(() => raw(manager.post('/api/scoring-templates'), `{"name":"深","config":{"groups":${arrays(depth)}}}`), 400, 'VALIDATION_FAILED', { code: 'TOO_DEEP' });
        await rejected(() => raw(manager.post(`/api/forms/${formId}/versions/1/check-answers`), `{"context":{"customerType":"商超","customerClass":"A"},"answers":${nest(depth)}}`), 400, 'VALIDATION_FAILED', { code: 'TOO_DEEP' });
      }
      // Wide but shallow is fine for the depth check (and then judged on content).
      const wide = JSON.stringify({ name: '宽', schema: { properties: Object.fromEntries(Array.from({ length: 2_000 }, (_, i) => [`k${i}`, [[[i]]]])) } });
      await rejected(() => raw(manager.post('/api/forms'), wide), 422, 'FORM_INVALID');
    });

    it('a __proto__ key is an unknown field and does not pollute Object.prototype', async () => {
      const probe = {} as Record<string, unknown>;
      await rejected(() => raw(manager.post('/api/forms/from-template'), '{"templateKey":"phone-visit","__proto__":{"polluted":"yes","role":"admin"}}'), 400, 'VALIDATION_FAILED', { field: '/__proto__', code: 'UNKNOWN_FIELD' });
      await rejected(() => raw(admin.patch(`/api/users/${users.rep}`), '{"__proto__":{"role":"admin"}}'), 400, 'VALIDATION_FAILED', { field: '/__proto__', code: 'UNKNOWN_FIELD' });
      await rejected(() => raw(manager.post('/api/forms'), `{"name":"表单","schema":${JSON.stringify(formSchema)},"appliesTo":{"__proto__":{"polluted":"yes"}}}`), 400, 'VALIDATION_FAILED', { field: '/appliesTo/__proto__', code: 'UNKNOWN_FIELD' });
      await rejected(() => raw(manager.post('/api/forms/from-template'), '{"templateKey":"phone-visit","constructor":{"prototype":{"polluted":"yes"}}}'), 400, 'VALIDATION_FAILED', { field: '/constructor', code: 'UNKNOWN_FIELD' });
      expect(probe.polluted).toBeUndefined();
      expect(probe.role).toBeUndefined();
      expect(Object.prototype).not.toHaveProperty('polluted');
      expect((await admin.get('/api/me')).body.user.role).toBe('admin');
      const rep = await t.models.User.findOne({ tenantId, _id: users.rep }).lean();
      expect(rep?.role).toBe('rep');
    });
  });

  describe('operator injection', () => {
    it('a $-operator in a body is a type error, never a query operator', async () => {
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: { $gt: '' } }), 400, 'VALIDATION_FAILED', { field: '/templateKey', code: 'WRONG_TYPE' });
      await rejected(() => raw(request(t.server).post('/api/auth/dev-login'), '{"tenant":"acme","username":{"$ne":""}}'), 400, 'VALIDATION_FAILED', { field: '/username', code: 'WRONG_TYPE' });
      await rejected(() => admin.patch(`/api/users/${users.rep}`).send({ managerId: { $ne: null } }), 400, 'VALIDATION_FAILED', { field: '/managerId' });
      await rejected(() => manager.put(`/api/forms/${formId}/draft`).send({ revision: { $gte: 1 }, schema: formSchema }), 400, 'VALIDATION_FAILED', { field: '/revision', code: 'WRONG_TYPE' });
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', $where: 'sleep(1000)' }), 400, 'VALIDATION_FAILED', { field: '/$where', code: 'UNKNOWN_FIELD' });
    });

    it('a $-operator in a query string is rejected by the query schema', async () => {
      await rejected(() => manager.get('/api/forms?status[$ne]=x'), 400, 'VALIDATION_FAILED', { field: '/query/status[$ne]', code: 'UNKNOWN_FIELD' });
      await rejected(() => manager.get('/api/forms?status=$where'), 400, 'VALIDATION_FAILED', { field: '/query/status', code: 'NOT_ALLOWED_VALUE' });
      await rejected(() => manager.get('/api/forms?status=%7B%22%24ne%22%3A%22x%22%7D'), 400, 'VALIDATION_FAILED', { field: '/query/status', code: 'NOT_ALLOWED_VALUE' });
      await rejected(() => manager.get('/api/forms?status=draft&status=published'), 400, 'VALIDATION_FAILED', { field: '/query/status' });
      await rejected(() => manager.get('/api/scoring-templates?$where=1'), 400, 'VALIDATION_FAILED', { field: '/query/$where', code: 'UNKNOWN_FIELD' });
      await rejected(() => manager.get('/api/templates?kind[$in]=form'), 400, 'VALIDATION_FAILED', { field: '/query/kind[$in]', code: 'UNKNOWN_FIELD' });
      await rejected(() => manager.get('/api/forms?tenantId=0123456789abcdef01234567'), 400, 'VALIDATION_FAILED', { field: '/query/tenantId', code: 'UNKNOWN_FIELD' });
    });

    it('a valid filter still works (the rejections above are not blanket refusals)', async () => {
      const res = await manager.get('/api/forms?status=published');
      expect(res.status).toBe(200);
      expect(res.body.items.map((f: { id: string }) => f.id)).toEqual([formId]);
    });
  });

  describe('ids and routing', () => {
    it.each([
      ['/api/forms/not-an-id', 'get'],
      ['/api/forms/0123456789ABCDEF01234567', 'get'],
      ['/api/forms/0123456789abcdef0123456', 'get'],
      ['/api/forms/0123456789abcdef012345678/versions', 'get'],
      ["/api/forms/'%20OR%201=1/publish", 'post'],
      ['/api/scoring-templates/%24ne/archive', 'post'],
      ['/api/users/xyz', 'patch'],
    ] as const)('malformed ObjectId in %s → 400 VALIDATION_FAILED at /params/id', async (url, method) => {
      const send = method === 'get' ? admin.get(url) : method === 'post' ? admin.post(url).send({}) : admin.patch(url).send({ name: '新名字' });
      await rejected(() => send, 400, 'VALIDATION_FAILED', { field: '/params/id', code: 'BAD_PATTERN' });
    });

    it('a malformed version number → 400 at /params/version', async () => {
      for (const v of ['0', '-1', '1.5', 'latest', '1234567']) {
        await rejected(() => admin.get(`/api/forms/${formId}/versions/${v}`), 400, 'VALIDATION_FAILED', { field: '/params/version', code: 'BAD_PATTERN' });
      }
    });

    it('a malformed template kind or key → 400 at /params/kind or /params/key', async () => {
      await rejected(() => admin.get('/api/templates/widget/phone-visit'), 400, 'VALIDATION_FAILED', { field: '/params/kind', code: 'NOT_ALLOWED_VALUE' });
      await rejected(() => admin.get('/api/templates/form/Phone_Visit'), 400, 'VALIDATION_FAILED', { field: '/params/key', code: 'BAD_PATTERN' });
    });

    it('a well-formed but unknown id → 404 NOT_FOUND at /params/id', async () => {
      await rejected(() => admin.get(`/api/forms/${UNKNOWN_ID}`), 404, 'NOT_FOUND', { field: '/params/id', code: 'NOT_FOUND' });
      await rejected(() => admin.post(`/api/forms/${UNKNOWN_ID}/publish`).send({}), 404, 'NOT_FOUND', { field: '/params/id' });
      await rejected(() => admin.put(`/api/forms/${UNKNOWN_ID}/draft`).send({ revision: 1, schema: formSchema }), 404, 'NOT_FOUND', { field: '/params/id' });
      await rejected(() => admin.post(`/api/forms/${UNKNOWN_ID}/archive`), 404, 'NOT_FOUND', { field: '/params/id' });
      await rejected(() => admin.get(`/api/forms/${UNKNOWN_ID}/versions`), 404, 'NOT_FOUND', { field: '/params/id' });
      await rejected(() => admin.get(`/api/forms/${UNKNOWN_ID}/versions/1`), 404, 'NOT_FOUND', { field: '/params/id' });
      await rejected(() => admin.get(`/api/scoring-templates/${UNKNOWN_ID}`), 404, 'NOT_FOUND', { field: '/params/id' });
      await rejected(() => admin.patch(`/api/users/${UNKNOWN_ID}`).send({ name: '无名' }), 404, 'NOT_FOUND', { field: '/params/id' });
      // The form exists, its version does not.
      await rejected(() => admin.get(`/api/forms/${formId}/versions/7`), 404, 'NOT_FOUND', { field: '/params/version' });
      await rejected(() => admin.get(`/api/scoring-templates/${scoringId}/versions/1`), 404, 'NOT_FOUND', { field: '/params/version' });
    });

    it('unknown templates → 404 TEMPLATE_NOT_FOUND', async () => {
      await rejected(() => admin.get('/api/templates/form/no-such-template'), 404, 'TEMPLATE_NOT_FOUND');
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'no-such-template' }), 404, 'TEMPLATE_NOT_FOUND', { field: '/templateKey' });
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'phone-visit', templateVersion: 99 }), 404, 'TEMPLATE_NOT_FOUND', { field: '/templateKey' });
      // A scoring template is not a form template.
      await rejected(() => manager.post('/api/forms/from-template').send({ templateKey: 'default' }), 404, 'TEMPLATE_NOT_FOUND', { field: '/templateKey' });
    });

    it('an unknown route → 404 ROUTE_NOT_FOUND, with or without a token', async () => {
      await rejected(() => admin.get('/api/no-such-thing'), 404, 'ROUTE_NOT_FOUND');
      await rejected(() => request(t.server).get('/api/no-such-thing'), 404, 'ROUTE_NOT_FOUND');
      await rejected(() => request(t.server).post('/nope').send({ a: 1 }), 404, 'ROUTE_NOT_FOUND');
      await rejected(() => admin.get(`/api/forms/${formId}/versions/1/extra`), 404, 'ROUTE_NOT_FOUND');
    });

    it('a known path with the wrong method → 405 METHOD_NOT_ALLOWED', async () => {
      await rejected(() => admin.delete('/api/forms'), 405, 'METHOD_NOT_ALLOWED');
      await rejected(() => admin.delete(`/api/forms/${formId}`), 405, 'METHOD_NOT_ALLOWED');
      await rejected(() => admin.put('/api/me'), 405, 'METHOD_NOT_ALLOWED');
      await rejected(() => request(t.server).get('/api/auth/dev-login'), 405, 'METHOD_NOT_ALLOWED');
      // A 405 names the methods that are allowed (RFC 9110 §15.5.6).
      const res = await admin.patch(`/api/forms/${formId}/publish`).send({});
      expectError(res, 405, 'METHOD_NOT_ALLOWED');
      expect(res.headers.allow).toBe('POST');
      const collection = await rejected(() => admin.delete('/api/forms'), 405, 'METHOD_NOT_ALLOWED');
      expect(collection.details).toEqual([]);
      expect((await request(t.server).delete('/api/forms')).headers.allow?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
      // A method the router does not implement at all is reported the same way.
      await rejected(() => request(t.server).trace('/api/forms'), 405, 'METHOD_NOT_ALLOWED');
      // OPTIONS is answered, not refused.
      const options = await request(t.server).options('/api/forms');
      expect(options.status).toBe(200);
      expect(options.headers.allow?.split(/,\s*/).sort()).toEqual(['GET', 'HEAD', 'POST']);
    });
  });

  describe('authentication', () => {
    it('no token → 401 UNAUTHENTICATED', async () => {
      await rejected(() => request(t.server).get('/api/me'), 401, 'UNAUTHENTICATED');
      await rejected(() => request(t.server).post('/api/forms/from-template').send({ templateKey: 'phone-visit' }), 401, 'UNAUTHENTICATED');
    });

    it('authentication comes before body parsing: no token and malformed JSON → 401', async () => {
      await rejected(() => raw(request(t.server).post('/api/forms/from-template'), '{oops'), 401, 'UNAUTHENTICATED');
      await rejected(() => raw(request(t.server).post('/api/forms/from-template'), 'x', 'text/plain'), 401, 'UNAUTHENTICATED');
    });

    it.each([
      ['a short token', 'Bearer abc'],
      ['a well-formed but unknown token', `Bearer ${'x'.repeat(43)}`],
      ['a token with forbidden characters', `Bearer ${'x'.repeat(30)}$%^`],
      ['a token too long', `Bearer ${'x'.repeat(101)}`],
      ['the wrong scheme', `Basic ${Buffer.from('admin:admin').toString('base64')}`],
      ['no scheme', 'x'.repeat(43)],
      ['an empty bearer', 'Bearer '],
      ['a $-operator', 'Bearer {"$ne":""}'],
    ])('%s → 401 UNAUTHENTICATED', async (_label, header) => {
      await rejected(() => request(t.server).get('/api/me').set('authorization', header), 401, 'UNAUTHENTICATED');
    });

    it('an expired session → 401 SESSION_EXPIRED', async () => {
      const token = await t.login('acme', 'rep2');
      expect((await as(t.server, token).get('/api/me')).status).toBe(200);
      const updated = await t.models.Session.updateMany({ tokenHash: sha256Hex(token) }, { $set: { expiresAt: new Date(Date.now() - 1_000) } });
      expect(updated.modifiedCount).toBe(1);
      await rejected(() => as(t.server, token).get('/api/me'), 401, 'SESSION_EXPIRED');
      await rejected(() => as(t.server, token).post('/api/forms/from-template').send({ templateKey: 'phone-visit' }), 401, 'SESSION_EXPIRED');
      // Other sessions are untouched.
      expect((await admin.get('/api/me')).status).toBe(200);
    });

    it('dev login for an unknown user or tenant → 401 LOGIN_FAILED', async () => {
      const login = (body: unknown) => request(t.server).post('/api/auth/dev-login').send(body as object);
      const err = await rejected(() => login({ tenant: 'acme', username: 'nobody' }), 401, 'LOGIN_FAILED');
      expect(err.details).toEqual([]);
      await rejected(() => login({ tenant: 'no-such-corp', username: 'admin' }), 401, 'LOGIN_FAILED');
      await rejected(() => login({ tenant: 'ACME', username: 'admin' }), 400, 'VALIDATION_FAILED', { field: '/tenant', code: 'BAD_PATTERN' });
      await rejected(() => login({ tenant: 'acme' }), 400, 'VALIDATION_FAILED', { field: '/username', code: 'REQUIRED' });
      await rejected(() => login({ tenant: 'acme', username: 'admin', password: 'x' }), 400, 'VALIDATION_FAILED', { field: '/password', code: 'UNKNOWN_FIELD' });
    });

    it('dev login when disabled → 403 DEV_LOGIN_DISABLED, and no session is created', async () => {
      const off = await createTestApp({ devLoginEnabled: false });
      try {
        await off.seedTenant('acme');
        const res = await request(off.server).post('/api/auth/dev-login').send({ tenant: 'acme', username: 'admin' });
        expectError(res, 403, 'DEV_LOGIN_DISABLED');
        expect(res.body.token).toBeUndefined();
        expect(await off.models.Session.countDocuments({})).toBe(0);
      } finally {
        await off.close();
      }
    });
  });

  describe('state conflicts', () => {
    it('publishing an unchanged draft → 409 FORM_NOTHING_TO_PUBLISH; no new version', async () => {
      await rejected(() => manager.post(`/api/forms/${formId}/publish`).send({ note: '再发一次' }), 409, 'FORM_NOTHING_TO_PUBLISH');
      expect(await t.models.FormVersion.countDocuments({ tenantId, docId: formId })).toBe(1);
    });

    it('saving a draft on a stale revision → 409 FORM_DRAFT_CONFLICT; the newer draft survives', async () => {
      const current = await manager.get(`/api/forms/${formId}`);
      const revision = current.body.draft.revision as number;
      const saved = await manager.put(`/api/forms/${formId}/draft`).send({ revision, schema: formSchema, name: '电话拜访（新）' });
      expect(saved.status).toBe(200);
      expect(saved.body.draft.revision).toBe(revision + 1);
      await rejected(() => manager.put(`/api/forms/${formId}/draft`).send({ revision, schema: formSchema, name: '旧的修改' }), 409, 'FORM_DRAFT_CONFLICT');
      expect((await manager.get(`/api/forms/${formId}`)).body.name).toBe('电话拜访（新）');
    });

    it('invalid content → 422 FORM_INVALID / SCORING_INVALID with pointers under the content', async () => {
      const err = await rejected(() => manager.post('/api/forms').send({ name: '空表单', schema: {} }), 422, 'FORM_INVALID');
      expect(err.details.length).toBeGreaterThan(0);
      for (const d of err.details) expect(d.field).toMatch(/^\/schema(\/|$)/);
      const s = await rejected(() => manager.post('/api/scoring-templates').send({ name: '空评分', config: {} }), 422, 'SCORING_INVALID');
      for (const d of s.details) expect(d.field).toMatch(/^\/config(\/|$)/);
    });

    it('checking answers against a version that does not exist → 404 at /params/version', async () => {
      const draftOnly = await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' });
      expect(draftOnly.status).toBe(201);
      await rejected(
        () => manager.post(`/api/forms/${draftOnly.body.id as string}/versions/1/check-answers`).send({ context: { customerType: '商超', customerClass: 'A' }, answers: {} }),
        404, 'NOT_FOUND', { field: '/params/version' },
      );
    });

    it('an archived form cannot be edited or published → 409 FORM_ARCHIVED', async () => {
      const other = await manager.post('/api/forms/from-template').send({ templateKey: 'pharma-rep-visit' });
      expect(other.status).toBe(201);
      const id = other.body.id as string;
      expect((await manager.post(`/api/forms/${id}/archive`)).status).toBe(200);
      await rejected(() => manager.post(`/api/forms/${id}/publish`).send({}), 409, 'FORM_ARCHIVED');
      await rejected(() => manager.put(`/api/forms/${id}/draft`).send({ revision: 1, schema: other.body.draft.schema }), 409, 'FORM_ARCHIVED');
    });

    it('duplicate usernames → 409 CONFLICT at /username; a manager outside the tenant or oneself → 400 at /managerId', async () => {
      await rejected(() => admin.post('/api/users').send({ username: 'rep', name: '重复', role: 'rep' }), 409, 'CONFLICT', { field: '/username', code: 'DUPLICATE' });
      await rejected(() => admin.post('/api/users').send({ username: 'orphan', name: '孤儿', role: 'rep', managerId: UNKNOWN_ID }), 400, 'VALIDATION_FAILED', { field: '/managerId', code: 'NOT_FOUND' });
      await rejected(() => admin.patch(`/api/users/${users.rep}`).send({ managerId: users.rep }), 400, 'VALIDATION_FAILED', { field: '/managerId', code: 'SELF_MANAGER' });
    });
  });
});
