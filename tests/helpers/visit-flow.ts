// Drives a visit through the API exactly as the mini-app does, with an Idempotency-Key on every mutation.
import type request from 'supertest';
import { expect } from 'vitest';
import { scenePhoto } from './images.ts';
import { as, type TestApp } from './test-app.ts';
import { client, type Client } from '../../scripts/lib/api-client.ts';

export interface FixSpec { lng: number; lat: number; accuracyM?: number; provider?: string; isMock?: boolean; uncached?: boolean; at: Date; system?: 'WGS84' | 'GCJ02' | 'BD09' }

export { client, type Client } from '../../scripts/lib/api-client.ts';

export const fixes = (specs: FixSpec[]) => specs.map((f) => ({
  lng: f.lng, lat: f.lat, system: f.system ?? 'GCJ02', accuracyM: f.accuracyM ?? 12, provider: f.provider ?? 'gps',
  ...(f.isMock === undefined ? {} : { isMock: f.isMock }), ...(f.uncached === undefined ? {} : { uncached: f.uncached }), deviceTime: f.at.toISOString(),
}));

/** A burst of three GPS fixes ~10 m from the point, jittering by metres over ~15 s, as a phone at the door gives. */
export function burstAt(p: { lng: number; lat: number }, at: Date, accuracyM = 12): FixSpec[] {
  // Each visit lands somewhere else near the door: real GPS never repeats a coordinate exactly across days.
  const dx = 0.00006 + Math.random() * 0.00004;
  const dy = 0.00004 + Math.random() * 0.00003;
  return [0, 1, 2].map((i) => ({ lng: p.lng + dx + i * 0.00002, lat: p.lat + dy - i * 0.00001, accuracyM, at: new Date(at.getTime() + i * 7000) }));
}

export async function ok(res: request.Response, status = 200): Promise<Record<string, unknown>> {
  expect(res.status, JSON.stringify(res.body).slice(0, 800)).toBe(status);
  return res.body as Record<string, unknown>;
}

let photoSeed = Math.floor(Math.random() * 1_000_000);
/** A new, never-seen picture per call (seeded scenes, so failures can be reproduced from the seed). */
export const freshPhoto = () => scenePhoto(photoSeed++);

export interface VisitPlan {
  qr: string;
  store: { lng: number; lat: number };
  checkInAt: Date;
  answers: Record<string, unknown>;
  stayMin?: number;
  photos?: Buffer[];
  photoSource?: string;
  /** Where the phone says it is (defaults to the store). */
  at?: { lng: number; lat: number };
  checkInFixes?: FixSpec[];
  deviceId?: string;
  jointVisit?: boolean;
  /** The host the app runs in (browser by default). */
  host?: 'wecom' | 'dingtalk' | 'browser';
  /** When the rep pressed submit (defaults to a minute after check-out). */
  submitAt?: Date;
  /** The phone's clock when it sends each step (X-Sent-At); absent by default, as from an old app. */
  sentAt?: Date;
}

export type VisitVerdict = { score: number; band: string; reasons: { code: string; counted?: boolean; evidence?: Record<string, unknown> }[] };

/** Runs a whole FMCG visit: scan, check-in burst, the four required photos, answers, check-out, submit. */
export async function runVisit(c: Client, p: VisitPlan) {
  const sent: Record<string, string> = p.sentAt ? { 'x-sent-at': p.sentAt.toISOString() } : {};
  const started = await ok(await c.send('post', '/api/visits', { qr: p.qr, deviceTime: p.checkInAt.toISOString(), host: p.host ?? 'browser', ...(p.deviceId ? { deviceId: p.deviceId } : {}), ...(p.jointVisit ? { jointVisit: true } : {}) }, undefined, sent), 201);
  const id = String(started.id);
  await ok(await c.send('post', `/api/visits/${id}/check-in`, { fixes: fixes(p.checkInFixes ?? burstAt(p.at ?? p.store, p.checkInAt)) }, undefined, sent));
  const pictures = p.photos ?? (await Promise.all([0, 1, 2, 3].map(() => freshPhoto())));
  const kinds = ['门头照', '陈列照', '陈列照', '沟通场景照'];
  for (let i = 0; i < kinds.length; i += 1) await ok(await c.photo(id, kinds[i]!, pictures[i]!, { source: p.photoSource }), 201);
  await ok(await c.send('put', `/api/visits/${id}/answers`, { answers: p.answers }));
  const out = new Date(p.checkInAt.getTime() + (p.stayMin ?? 20) * 60_000);
  await ok(await c.send('post', `/api/visits/${id}/check-out`, { fixes: fixes(burstAt(p.at ?? p.store, out).slice(0, 1)), deviceTime: out.toISOString() }, undefined, sent));
  const submitted = await ok(await c.send('post', `/api/visits/${id}/submit`, { deviceTime: (p.submitAt ?? new Date(out.getTime() + 60_000)).toISOString() }, undefined, sent));
  return { id, submitted: submitted as { verdict: VisitVerdict; summary: Record<string, unknown>; followUpTaskId: string | null }, pictures };
}

/** A seeded tenant with a manager and two reps, and the FMCG store-visit form published: the visit tests' world. */
export async function fieldTeam(t: TestApp, tenant = 'acme') {
  const { users } = await t.seedTenant(tenant);
  const manager = as(t.server, await t.login(tenant, 'manager'));
  const rep = client(t.server, await t.login(tenant, 'rep'));
  const rep2 = client(t.server, await t.login(tenant, 'rep2'));
  const form = await ok(await manager.post('/api/forms/from-template').send({ templateKey: 'fmcg-store-visit' }), 201);
  await ok(await manager.post(`/api/forms/${String(form.id)}/publish`).send({ note: 'v1' }), 201);
  return { users, manager, rep, rep2 };
}
