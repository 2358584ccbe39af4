// What an attacker (or a careless tenant) tried against the server, each refused cleanly: a form pattern that
// backtracks for seconds, keys MongoDB would take for operators, nesting that reaches the database, a bad request
// drawing an answer a thousand times its size, and a URL + body over Node's limits.
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Types } from 'mongoose';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { fieldTeam, ok, type Client } from '../helpers/visit-flow.ts';
import { MAX_DETAILS } from '../../server/http/errors.ts';

type Agent = ReturnType<typeof as>;

/** A one-section form whose text field carries `pattern`. */
function patternForm(pattern: string) {
  return {
    type: 'object', title: '正则测试', 'x-evidence': { location: { required: false } },
    properties: {
      basic: {
        type: 'object', title: '基本信息', required: ['code'],
        properties: { code: { 'x-widget': 'text', type: 'string', title: '编码', maxLength: 200, pattern } },
      },
    },
  };
}

const context = { customerType: '商超', customerClass: 'A' };

/**
 * The latency another tenant may see while an attack runs: 200 ms, or on a machine loaded by other test files a few
 * times what a request takes there without the attack (measured just before).
 */
async function latencyBudget(probe: () => PromiseLike<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 5; i += 1) {
    const t0 = Date.now();
    await probe();
    times.push(Date.now() - t0);
  }
  return Math.max(200, 4 * times.sort((a, b) => a - b)[2]!);
}


describe('hardening against the probe', () => {
  let t: TestApp;
  let manager: Agent;
  let rep: Client;
  let otherRep: Agent;
  const tenantId = async (code: string) => (await t.models.Tenant.findOne({ code }).lean<{ _id: Types.ObjectId }>())!._id;

  beforeAll(async () => {
    t = await createTestApp();
    ({ manager, rep } = await fieldTeam(t, 'acme'));
    await t.seedTenant('other');
    otherRep = as(t.server, await t.login('other', 'rep'));
  });
  afterAll(async () => { await t.close(); });

  describe('a form pattern cannot freeze the server (item 2)', () => {
    it.each([
      ['^(a|a)*$', 'UNSAFE_REGEX'],
      ['^(a+)+$', 'UNSAFE_REGEX'],
      ['^(\\w+\\s?)*$', 'UNSAFE_REGEX'],
      ['^(a)\\1$', 'UNSUPPORTED_REGEX'],
      ['^(?=a)a$', 'UNSUPPORTED_REGEX'],
      ['^[', 'BAD_REGEX'],
    ])('publishing %s is refused with %s at the pattern', async (pattern, code) => {
      const res = await manager.post('/api/forms/check').send({ schema: patternForm(pattern) });
      expectError(res, 422, 'FORM_INVALID', { field: '/schema/properties/basic/properties/code/pattern', code });
    });

    it('checking a form full of intricate patterns is itself bounded: refused quickly, other tenants served', async () => {
      // Five sections of 50 fields (the meta-schema's caps), every field with its own ambiguous pattern.
      const form = patternForm('^x$') as { properties: Record<string, unknown> };
      for (let s = 0; s < 5; s += 1) {
        const properties = Object.fromEntries(Array.from({ length: 50 }, (_v, i) => [`f${s * 50 + i}`, { 'x-widget': 'text', type: 'string', title: `字段${s * 50 + i}`, maxLength: 200, pattern: `^(a|a)*${s * 50 + i}$` }]));
        form.properties[`s${s}`] = { type: 'object', title: `分组${s}`, properties };
      }
      const budget = await latencyBudget(() => otherRep.get('/api/me'));
      const started = Date.now();
      const pending = manager.post('/api/forms/check').send({ schema: form }).then((r) => r);
      await new Promise((r) => setTimeout(r, 5));
      const t0 = Date.now();
      expect((await otherRep.get('/api/me')).status).toBe(200);
      expect(Date.now() - t0).toBeLessThan(budget);
      const err = expectError(await pending, 422, 'FORM_INVALID');
      expect(Date.now() - started).toBeLessThan(5_000); // the form's analysis budget is 2 s
      const flagged = err.details.filter((d) => /\/f\d+\/pattern$/.test(d.field));
      expect(flagged, JSON.stringify(err.details.slice(0, 3))).toHaveLength(MAX_DETAILS); // 250 flagged, the reply capped
      for (const d of flagged) expect(['UNSAFE_REGEX', 'TOO_MANY_PATTERNS']).toContain(d.code);
    });

    it('ordinary patterns (Chinese mobile numbers, Han characters, amounts) still publish and match', async () => {
      for (const pattern of ['^1[3-9]\\d{9}$', '^[\\u4e00-\\u9fa5]{2,10}$', '^\\d+(\\.\\d{1,2})?$']) {
        expect((await manager.post('/api/forms/check').send({ schema: patternForm(pattern) })).status, pattern).toBe(200);
      }
      const form = await ok(await manager.post('/api/forms').send({ name: '手机号表', schema: patternForm('^1[3-9]\\d{9}$') }), 201);
      await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
      const check = (code: string) => manager.post(`/api/forms/${String(form.id)}/versions/1/check-answers`).send({ context, answers: { basic: { code } } });
      expect((await check('13812345678')).status).toBe(200);
      expectError(await check('12345'), 422, 'ANSWERS_INVALID', { field: '/answers/basic/code', code: 'BAD_PATTERN' });
    });

    it('a version published before the check existed answers in milliseconds, and other tenants are served meanwhile', async () => {
      // As if published by an older release: the pattern is stored without passing today's check.
      const form = await ok(await manager.post('/api/forms').send({ name: '旧版正则', schema: patternForm('^a*$') }), 201);
      await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
      const v1 = await t.models.FormVersion.findOne({ tenantId: await tenantId('acme'), docId: new Types.ObjectId(String(form.id)), version: 1 }).lean<{ tenantId: Types.ObjectId; content: unknown; publishedBy: Types.ObjectId }>();
      await t.models.FormVersion.create({ tenantId: v1!.tenantId, docId: new Types.ObjectId(String(form.id)), version: 2, content: patternForm('^(a|a)*$'), note: 'legacy', publishedAt: new Date(), publishedBy: v1!.publishedBy });

      const attack = (code: string) => rep.send('post', `/api/forms/${String(form.id)}/versions/2/check-answers`, { context, answers: { basic: { code } } });
      // 30 characters took JavaScript's backtracking engine about 7 s, doubling with each one more.
      const budget = await latencyBudget(() => otherRep.get('/api/me'));
      for (const code of [`${'a'.repeat(30)}b`, `${'a'.repeat(199)}b`, 'a'.repeat(5000)]) {
        const started = Date.now();
        const pending = attack(code).then((r) => r);
        await new Promise((r) => setTimeout(r, 20));
        const t0 = Date.now();
        const other = await otherRep.get('/api/me');
        const otherMs = Date.now() - t0;
        expect(other.status).toBe(200);
        expect(otherMs, `another tenant waited ${otherMs} ms during a ${code.length}-character attack`).toBeLessThan(budget);
        const res = await pending;
        expect(Date.now() - started).toBeLessThan(2_000);
        expectError(res, 422, 'ANSWERS_INVALID', { field: '/answers/basic/code', code: code.length > 200 ? 'TOO_LONG' : 'BAD_PATTERN' });
      }
    });

    it('a too-long answer is refused by its length alone, not also run through the pattern', async () => {
      const form = await ok(await manager.post('/api/forms').send({ name: '长度优先', schema: patternForm('^[0-9]+$') }), 201);
      await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
      const res = await manager.post(`/api/forms/${String(form.id)}/versions/1/check-answers`).send({ context, answers: { basic: { code: 'x'.repeat(300) } } });
      const err = expectError(res, 422, 'ANSWERS_INVALID', { field: '/answers/basic/code', code: 'TOO_LONG' });
      expect(err.details.map((d) => d.code)).toEqual(['TOO_LONG']);
    });
  });

  describe('rep input that would reach the database as operators or deep nesting (item 5)', () => {
    let visitId: string;

    beforeAll(async () => {
      const customer = await ok(await manager.post('/api/customers').send({
        name: '键名测试店', address: '人民路 1 号', type: '商超', class: 'C', location: { lng: 121.47, lat: 31.23, system: 'GCJ02' },
      }), 201);
      const users = await t.models.User.findOne({ tenantId: await tenantId('acme'), username: 'rep' }).lean<{ _id: Types.ObjectId }>();
      await ok(await manager.post(`/api/customers/${String(customer.id)}/claim`).send({ repId: String(users!._id) }));
      const started = await ok(await rep.send('post', '/api/visits', { customerId: String(customer.id), deviceTime: new Date().toISOString(), host: 'browser' }), 201);
      visitId = String(started.id);
    });

    const nested = (depth: number): unknown => (depth === 0 ? 'x' : [nested(depth - 1)]);

    it.each([
      ['a key starting with $', { basic: { $where: 'sleep(1000)' } }, '/answers/basic/$where', 'BAD_KEY'],
      ['a dotted key', { basic: { 'a.b': 1 } }, '/answers/basic/a.b', 'BAD_KEY'],
      ['an operator inside an array item', { basic: { items: [{ $gt: '' }] } }, '/answers/basic/items/0/$gt', 'BAD_KEY'],
      ['an empty key', { '': 1 }, '/answers/', 'BAD_KEY'],
      ['arrays nested 60 deep', { basic: { deep: nested(60) } }, '/answers/basic/deep/0/0/0/0/0/0', 'TOO_DEEP'],
    ])('%s in draft answers → 400 at its pointer, nothing saved', async (_label, answers, field, code) => {
      const stored = async () => (await t.models.Visit.findOne({ tenantId: await tenantId('acme'), _id: visitId }).lean<{ answers: unknown }>())!.answers;
      const before = await stored();
      expectError(await rep.send('put', `/api/visits/${visitId}/answers`, { answers }), 400, 'VALIDATION_FAILED', { field, code });
      expect(await stored()).toEqual(before);
    });

    it('the same keys are refused in answer checks, and a form draft never stores them (its meta-schema refuses them)', async () => {
      const form = await ok(await manager.post('/api/forms').send({ name: '键名', schema: patternForm('^[0-9]+$') }), 201);
      await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
      expectError(await manager.post(`/api/forms/${String(form.id)}/versions/1/check-answers`).send({ context, answers: { basic: { $gt: 1 } } }), 400, 'VALIDATION_FAILED', { field: '/answers/basic/$gt', code: 'BAD_KEY' });
      const before = await t.models.Form.countDocuments({ tenantId: await tenantId('acme') });
      expectError(await manager.post('/api/forms').send({ name: '坏键', schema: { ...patternForm('^[0-9]+$'), $set: { x: 1 } } }), 422, 'FORM_INVALID', { field: '/schema/$set' });
      expect(await t.models.Form.countDocuments({ tenantId: await tenantId('acme') })).toBe(before);
    });

    it('ordinary draft answers are still saved', async () => {
      await ok(await rep.send('put', `/api/visits/${visitId}/answers`, { answers: { basic: { shelfCount: 3, note: '正常' } } }));
    });
  });

  describe('a reply is never far larger than its request (item 6)', () => {
    it('100,000 unknown answer fields draw the first 100 details plus a count', async () => {
      const basic = Object.fromEntries(Array.from({ length: 100_000 }, (_v, i) => [`f${i}`, 1]));
      const body = JSON.stringify({ context, answers: { basic } });
      const big = await createTestApp({ bodyLimitBytes: 4 * 1024 * 1024 });
      try {
        await big.seedTenant('big');
        const m = as(big.server, await big.login('big', 'manager'));
        const f = await ok(await m.post('/api/forms').send({ name: '错误数量', schema: patternForm('^[0-9]+$') }), 201);
        await ok(await m.post(`/api/forms/${String(f.id)}/publish`).send({ note: 'v1' }), 201);
        const res = await m.post(`/api/forms/${String(f.id)}/versions/1/check-answers`).set('content-type', 'application/json').send(body);
        const err = expectError(res, 422, 'ANSWERS_INVALID');
        expect(err.details).toHaveLength(MAX_DETAILS + 1);
        expect(err.details[MAX_DETAILS]).toMatchObject({ field: '', code: 'MORE_ERRORS' });
        expect(err.details[MAX_DETAILS]!.message_en).toContain(`${100_000 + 1 - MAX_DETAILS} more`);
        expect(res.text.length).toBeLessThan(body.length / 10);
      } finally {
        await big.close();
      }
    });
  });

  describe('a URL and body over the limits (item 9)', () => {
    it('is answered 431 with the error envelope and closed cleanly, even while the client is still sending', async () => {
      const { port } = t.server.address() as AddressInfo;
      const result = await new Promise<{ text: string; reset: boolean }>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        let text = '';
        let reset = false;
        socket.setEncoding('utf8');
        socket.on('data', (c: string) => { text += c; });
        socket.on('error', (e: NodeJS.ErrnoException) => { reset = e.code === 'ECONNRESET' || e.code === 'EPIPE'; });
        socket.on('close', () => resolve({ text, reset }));
        socket.on('connect', () => {
          const body = 'x'.repeat(2 * 1024 * 1024);
          socket.write(`POST /api/forms?q=${'a'.repeat(40_000)} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n`);
          // The body keeps coming after the server has answered, as from a real client.
          let sent = 0;
          const pump = () => {
            while (sent < body.length) {
              const chunk = body.slice(sent, sent + 64 * 1024);
              sent += chunk.length;
              if (!socket.write(chunk)) { socket.once('drain', pump); return; }
            }
            socket.end();
          };
          pump();
        });
      });
      expect(result.reset, 'the connection was reset before the answer could be read').toBe(false);
      expect(result.text).toMatch(/^HTTP\/1\.1 431 /);
      expect(result.text).toMatch(/\r\nConnection: close\r\n/i);
      const envelope = JSON.parse(result.text.slice(result.text.indexOf('\r\n\r\n') + 4)) as { error: { code: string; message_zh: string } };
      expect(envelope.error.code).toBe('HEADERS_TOO_LARGE');
      expect(envelope.error.message_zh).toMatch(/过长/);
    });

    it('a malformed request line is a 400 envelope, and the server keeps serving', async () => {
      const { port } = t.server.address() as AddressInfo;
      const text = await new Promise<string>((resolve) => {
        const socket = connect({ host: '127.0.0.1', port });
        let out = '';
        socket.setEncoding('utf8');
        socket.on('data', (c: string) => { out += c; });
        socket.on('close', () => resolve(out));
        socket.on('error', () => resolve(out));
        socket.on('connect', () => socket.end('NOT HTTP AT ALL\r\n\r\n'));
      });
      expect(text).toMatch(/^HTTP\/1\.1 400 /);
      expect(text).toContain('"BAD_REQUEST"');
      expect((await otherRep.get('/api/me')).status).toBe(200);
    });
  });
});
