// Calls the API the way the mini-app does: a bearer token, an Idempotency-Key on every mutation, photos as
// multipart. Shared by the API tests (tests/helpers/visit-flow.ts) and the evaluation through the API.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import request from 'supertest';

export function client(server: Server, token: string) {
  const send = (method: 'post' | 'put', url: string, body: unknown, key: string = randomUUID(), headers: Record<string, string> = {}) =>
    request(server)[method](url).set('authorization', `Bearer ${token}`).set('idempotency-key', key).set(headers).send(body as object);
  return {
    token,
    send,
    get: (url: string) => request(server).get(url).set('authorization', `Bearer ${token}`),
    photo: (visitId: string, kind: string, data: Buffer, opts: { source?: string; key?: string; filename?: string; contentType?: string } = {}) =>
      request(server).post(`/api/visits/${visitId}/photos`).set('authorization', `Bearer ${token}`).set('idempotency-key', opts.key ?? randomUUID())
        .field('kind', kind).field('source', opts.source ?? 'camera')
        .attach('file', data, { filename: opts.filename ?? 'photo.jpg', contentType: opts.contentType ?? 'image/jpeg' }),
  };
}

export type Client = ReturnType<typeof client>;
