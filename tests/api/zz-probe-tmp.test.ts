import { afterAll, beforeAll, it } from 'vitest';
import request from 'supertest';
import { as, createTestApp, type TestApp } from '../helpers/test-app.ts';

let t: TestApp;
beforeAll(async () => { t = await createTestApp(); await t.seedTenant('acme'); });
afterAll(async () => { await t.close(); });

it('probe', async () => {
  const tok = await t.login('acme', 'admin');
  const a = as(t.server, tok);
  const show = (label: string, r: request.Response) => console.warn(label, r.status, JSON.stringify(r.body).slice(0, 300));
  for (const n of [10, 100, 1000, 5000]) {
    let deep: unknown = 1; for (let i = 0; i < n; i++) deep = { a: deep };
    show('obj' + n, await a.post('/api/forms/from-template').send({ templateKey: 'phone-visit', junk: deep }));
    show('str' + n, await a.post('/api/forms/from-template').set('content-type', 'application/json').send(JSON.stringify({ templateKey: 'phone-visit', junk: deep })));
  }
  for (const n of [1000, 5000, 20000]) {
    let deepArr = '1'; for (let i = 0; i < n; i++) deepArr = `[${deepArr}]`;
    show('deep-arr' + n, await a.post('/api/forms').set('content-type', 'application/json').send(`{"name":"x","schema":{"properties":${deepArr}}}`));
    show('deep-score' + n, await a.post('/api/scoring-templates').set('content-type', 'application/json').send(`{"name":"x","config":{"groups":${deepArr}}}`));
  }
});
