import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import request from 'supertest';
import { createTestApp, type TestApp } from '../helpers/test-app.ts';

describe('health and readiness', () => {
  let t: TestApp;
  beforeAll(async () => { t = await createTestApp(); });
  afterAll(async () => { await t.close(); });

  it('reports the process healthy and the database ready', async () => {
    const health = await request(t.server).get('/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const ready = await request(t.server).get('/ready');
    expect(ready.status).toBe(200);
    expect(ready.body).toEqual({ status: 'ready' });
  });

  it('answers 503 with DB_UNAVAILABLE on /ready once the database connection is gone', async () => {
    const other = await createTestApp();
    await other.conn.close();
    const ready = await request(other.server).get('/ready');
    expect(ready.status).toBe(503);
    expect(ready.body.error.code).toBe('DB_UNAVAILABLE');
    await new Promise<void>((ok) => other.server.close(() => ok()));
  });

  it('serves an OpenAPI 3.1 document covering the API and a browsable docs page', async () => {
    const doc = await request(t.server).get('/openapi.json');
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toBe('3.1.0');
    expect(Object.keys(doc.body.paths)).toEqual(expect.arrayContaining(['/api/forms', '/api/forms/{id}/publish', '/api/templates', '/api/scoring-templates']));
    const publish = doc.body.paths['/api/forms/{id}/publish'].post;
    expect(publish.requestBody.content['application/json'].schema.$ref).toBe('#/components/schemas/Common_PublishBody');
    expect(doc.body.components.schemas.Common_PublishBody).toBeDefined();
    const page = await request(t.server).get('/docs');
    expect(page.status).toBe(200);
    expect(page.text).toContain('/openapi.json');
    const asset = await request(t.server).get('/docs/assets/swagger-ui-bundle.js');
    expect(asset.status).toBe(200);
  });
});
