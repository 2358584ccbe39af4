// Photos the host stores (WeCom media_id from ww.uploadImage, DingTalk image URL): the server downloads them through
// the tenant's host client and stores them exactly like a multipart upload; JSON error bodies, disallowed URL
// hosts and other people's visits are refused before anything is stored.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as } from '../helpers/test-app.ts';
import { expectError } from '../helpers/envelope.ts';
import { connectTenant, hostTestApp, type HostTestApp } from '../helpers/hosts.ts';
import { burstAt, fieldTeam, fixes, ok, type Client } from '../helpers/visit-flow.ts';
import { scenePhoto } from '../helpers/images.ts';

const STORE = { lng: 121.4737, lat: 31.2304 };

describe('photos from host media', () => {
  let h: HostTestApp;
  let rep: Client;
  let rep2: Client;
  let visitId: string;
  let tenantId: string;
  let wecomPhoto: Buffer;
  let dingPhoto: Buffer;
  const hostMedia = (c: Client, id: string, body: object, key: string = randomUUID()) => c.send('post', `/api/visits/${id}/photos/host-media`, body, key);
  const photoCount = () => h.t.models.Photo.countDocuments({ tenantId, visitId });

  beforeAll(async () => {
    h = await hostTestApp(['acme']);
    const team = await fieldTeam(h.t);
    ({ rep, rep2 } = team);
    tenantId = (await h.t.models.Tenant.findOne({ code: 'acme' }).lean())!._id.toString();
    await connectTenant(h, 'acme');
    const customer = await ok(await team.manager.post('/api/customers').send({
      name: '联华超市', address: '人民路 1 号', type: '商超', class: 'A', location: { ...STORE, system: 'GCJ02' }, contacts: [{ name: '王店长' }],
    }), 201);
    await ok(await team.manager.post(`/api/customers/${String(customer.id)}/claim`).send({ repId: team.users.rep }));
    const started = await ok(await rep.send('post', '/api/visits', { customerId: customer.id, deviceTime: new Date().toISOString() }), 201);
    visitId = String(started.id);
    await ok(await rep.send('post', `/api/visits/${visitId}/check-in`, { fixes: fixes(burstAt(STORE, new Date())) }));
    wecomPhoto = await scenePhoto(4242);
    dingPhoto = await scenePhoto(4343);
    h.wecom.media.set('MEDIA_DOOR', { contentType: 'image/jpeg', bytes: wecomPhoto });
    h.dingtalk.images.set('door.jpg', { contentType: 'image/jpeg', bytes: dingPhoto });
  });
  afterAll(async () => { await h.close(); });

  it('downloads a WeCom media_id and stores it like an upload (same answer shape), once per Idempotency-Key', async () => {
    const key = randomUUID();
    const body = { kind: '门头照', source: 'camera', deviceTime: new Date().toISOString(), mediaId: 'MEDIA_DOOR' };
    const res = await hostMedia(rep, visitId, body, key);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(Object.keys(res.body).sort()).toEqual(['exif', 'format', 'height', 'id', 'kind', 'receivedAt', 'sha256', 'source', 'url', 'width']);
    expect(res.body).toMatchObject({ kind: '门头照', source: 'camera', format: 'jpeg', sha256: createHash('sha256').update(wecomPhoto).digest('hex') });
    const listed = await ok(await rep.get(`/api/visits/${visitId}/photos`));
    expect((listed.items as { id: string }[]).map((p) => p.id)).toContain(res.body.id);

    const downloads = h.wecom.calls('/cgi-bin/media/get');
    const replay = await hostMedia(rep, visitId, body, key);
    expect(replay.status).toBe(201);
    expect(replay.body.id).toBe(res.body.id);
    expect(h.wecom.calls('/cgi-bin/media/get')).toBe(downloads);
  });

  it('downloads a DingTalk image URL from an allowed host', async () => {
    const res = await hostMedia(rep, visitId, { kind: '陈列照', source: 'camera', url: h.dingtalk.imageUrl('door.jpg') });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.sha256).toBe(createHash('sha256').update(dingPhoto).digest('hex'));
  });

  it('a JSON error body from media/get is refused (422 HOST_MEDIA_INVALID) and nothing is stored', async () => {
    const before = await photoCount();
    const res = await hostMedia(rep, visitId, { kind: '陈列照', source: 'camera', mediaId: 'EXPIRED_MEDIA' });
    const err = expectError(res, 422, 'HOST_MEDIA_INVALID');
    expect(err.details[0]?.code).toBe('WECOM_40007');
    expect(await photoCount()).toBe(before);
  });

  it('a URL outside the allowed DingTalk hosts is refused without a download', async () => {
    const before = await photoCount();
    for (const url of ['http://169.254.169.254/latest/meta-data/', 'https://evil.example.com/door.jpg', 'file:///etc/passwd']) {
      expectError(await hostMedia(rep, visitId, { kind: '陈列照', source: 'camera', url }), 400, 'VALIDATION_FAILED', { field: '/url', code: 'URL_HOST_NOT_ALLOWED' });
    }
    expect(await photoCount()).toBe(before);
  });

  it('exactly one of mediaId or url, source camera only', async () => {
    expectError(await hostMedia(rep, visitId, { kind: '陈列照', source: 'camera' }), 400, 'VALIDATION_FAILED', { code: 'ONE_OF_MEDIA_ID_OR_URL' });
    expectError(await hostMedia(rep, visitId, { kind: '陈列照', source: 'camera', mediaId: 'MEDIA_DOOR', url: h.dingtalk.imageUrl('door.jpg') }), 400, 'VALIDATION_FAILED', { code: 'ONE_OF_MEDIA_ID_OR_URL' });
    expectError(await hostMedia(rep, visitId, { kind: '陈列照', source: 'album', mediaId: 'MEDIA_DOOR' }), 400, 'VALIDATION_FAILED', { field: '/source' });
  });

  it('another rep\'s visit is 404 before the host is asked', async () => {
    const downloads = h.wecom.calls('/cgi-bin/media/get');
    expectError(await hostMedia(rep2, visitId, { kind: '陈列照', source: 'camera', mediaId: 'MEDIA_DOOR' }), 404, 'NOT_FOUND', { field: '/params/id' });
    expect(h.wecom.calls('/cgi-bin/media/get')).toBe(downloads);
  });

  it('managers cannot add photos', async () => {
    const manager = as(h.t.server, await h.t.login('acme', 'manager'));
    expectError(await manager.post(`/api/visits/${visitId}/photos/host-media`).set('idempotency-key', randomUUID()).send({ kind: '陈列照', source: 'camera', mediaId: 'MEDIA_DOOR' }), 403, 'FORBIDDEN');
  });
});
