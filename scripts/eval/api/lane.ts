// One lane of the evaluation through the API: an app instance of its own with a clock the lane sets to each
// request's receive time, so the server stamps, judges and indexes as if the request came at that moment. Lanes
// share the database; a lane sends one request at a time, so its clock is never wanted at two times at once.
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type Koa from 'koa';
import request from 'supertest';
import type { Connection, Types } from 'mongoose';
import { buildApp } from '../../../server/app.ts';
import type { Config } from '../../../server/config.ts';
import type { Models } from '../../../server/db/models.ts';
import { listen } from '../../../server/http/http-server.ts';
import type { Clock } from '../../../server/lib/clock.ts';
import type { Services } from '../../../server/services.ts';
import type { AuthState } from '../../../server/users/auth.ts';
import type { Verdict } from '../../../server/verification/engine.ts';
import type { Fix, Stamp } from '../../../server/verification/types.ts';
import { client, type Client } from '../../lib/api-client.ts';
import { storefront } from '../photos.ts';
import { withExif } from './exif.ts';
import { apiContract } from './contract.ts';
import { PHONE_CUSTOMER_TYPE, type Scenario, type ScriptVisit } from './scenario.ts';

/** A clock that stands where it is told. */
export class SettableClock implements Clock {
  private at = new Date();
  now(): Date { return new Date(this.at); }
  set(at: Date): void { this.at = new Date(at); }
}

export class ApiError extends Error {}

interface Session { token: string; expiresAt: number; api: Client }

/** A tenant of the lane: its code, the people and customers created in it, and the forms. */
export interface LaneTenant {
  code: string;
  tenantId: Types.ObjectId;
  manager: AuthState;
  /** Rep key (the sample's repId) → user id. */
  users: Map<string, string>;
  /** Customer key (the sample's customer id) → customer id and its contacts' ids. */
  customers: Map<string, { id: string; contactIds: string[] }>;
}

const username = (repKey: string) => repKey.slice(0, 60);

export class Lane {
  readonly clock = new SettableClock();
  readonly services: Services;
  private readonly app: Koa;
  private server!: Server;
  private sessions = new Map<string, Session>();

  constructor(readonly deps: { config: Config; conn: Connection; models: Models }) {
    ({ app: this.app, services: this.services } = buildApp({ ...deps, clock: this.clock }));
  }

  async open(): Promise<void> { this.server = await listen(this.app, 0, '127.0.0.1'); }
  async close(): Promise<void> { await new Promise<void>((ok) => this.server.close(() => ok())); }

  /**
   * A tenant with a manager, every rep the scenarios name, their customers (held by the reps who visit them) and
   * two forms: an on-site one (check-in location, every photo kind the scenarios use, none required) and a phone one.
   */
  async seed(code: string, scenarios: Scenario[]): Promise<LaneTenant> {
    const reps = [...new Set(scenarios.flatMap((s) => s.reps))];
    const { tenantId } = await this.services.tenants.provision({
      code, name: `评估 ${code}`,
      users: [{ username: 'manager', name: '评估经理', role: 'manager' }, ...reps.map((r) => ({ username: username(r), name: r.slice(0, 30), role: 'rep' as const, manager: 'manager' }))],
    });
    const people = await this.deps.models.User.find({ tenantId }, { username: 1, name: 1 }).lean<{ _id: Types.ObjectId; username: string; name: string }[]>();
    const byName = new Map(people.map((u) => [u.username, u]));
    const m = byName.get('manager')!;
    const manager: AuthState = { tenantId, userId: m._id, role: 'manager', name: m.name };
    const users = new Map(reps.map((r) => [r, String(byName.get(username(r))!._id)]));
    const kinds = [...new Set(scenarios.flatMap((s) => s.visits.flatMap((v) => v.photos.map((p) => p.kind))))];
    await this.publishForm(manager, '评估到店拜访', {}, {
      qrScan: { required: false }, location: { required: true, minFixes: 1 },
      ...(kinds.length ? { photos: { kinds: kinds.slice(0, 10).map((kind) => ({ kind, min: 0, max: 10 })) } } : {}),
    });
    await this.publishForm(manager, '评估电话拜访', { customerTypes: [PHONE_CUSTOMER_TYPE] }, { qrScan: { required: false }, location: { required: false } });
    const customers = new Map<string, { id: string; contactIds: string[] }>();
    for (const c of scenarios.flatMap((s) => s.customers)) {
      const doc = await this.services.customers.create(manager, {
        name: `客户 ${customers.size + 1}`, address: `评估路 ${customers.size + 1} 号`, type: c.type, class: c.class,
        location: { ...c.location, system: 'GCJ02' }, contacts: Array.from({ length: c.contactCount }, (_, k) => ({ name: `联系人${k + 1}` })),
      });
      for (const rep of c.reps) await this.services.customers.claim(manager, String(doc._id), { repId: users.get(rep)! });
      customers.set(c.key, { id: String(doc._id), contactIds: doc.contacts.map((x) => String(x._id)) });
    }
    return { code, tenantId, manager, users, customers };
  }

  private async publishForm(actor: AuthState, name: string, appliesTo: Record<string, unknown>, evidence: Record<string, unknown>): Promise<void> {
    const content = {
      type: 'object', title: name, additionalProperties: false, 'x-evidence': evidence,
      properties: {
        summary: { type: 'object', title: '小结', additionalProperties: false, required: [], properties: { note: { title: '备注', 'x-widget': 'textarea', type: 'string', maxLength: 200 } } },
      },
    };
    const form = await this.services.forms.create(actor, { name, content, extra: { appliesTo } });
    await this.services.forms.publish(actor, String(form._id), 'eval');
  }

  /** The rep's session, logged in again (as the phone does) when the server's clock has passed its expiry. */
  private async session(t: LaneTenant, rep: string, fresh = false): Promise<Client> {
    const key = `${t.code}/${rep}`;
    const had = this.sessions.get(key);
    if (!fresh && had && had.expiresAt - 3_600_000 > this.clock.now().getTime()) return had.api;
    const res = await request(this.server).post('/api/auth/dev-login').send({ tenant: t.code, username: username(rep) });
    if (res.status !== 200) throw new ApiError(`login ${rep}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    const s = { token: String(res.body.token), expiresAt: new Date(String(res.body.expiresAt)).getTime(), api: client(this.server, String(res.body.token)) };
    this.sessions.set(key, s);
    return s.api;
  }

  /** Sends every visit of the scenario in order and returns the verdict the server gave the judged one. */
  async play(t: LaneTenant, scenario: Scenario): Promise<Verdict> {
    let verdict: Verdict | undefined;
    for (const v of scenario.visits) {
      const done = await this.visit(t, v);
      if (v.judged) verdict = done;
    }
    if (!verdict) throw new ApiError('no judged visit');
    return verdict;
  }

  private async visit(t: LaneTenant, v: ScriptVisit): Promise<Verdict> {
    this.clock.set(v.start.receivedAt);
    let session = await this.session(t, v.rep);
    const customer = t.customers.get(v.customer)!;
    const at = (s: Stamp): Record<string, string> => { this.clock.set(s.receivedAt); return s.sentAt ? { 'x-sent-at': s.sentAt.toISOString() } : {}; };
    /**
     * One step, retried once (same Idempotency-Key) after logging in again when the session is gone, as the
     * mini-app does: the server's clock may have passed its expiry, or the TTL index removed it (the times are past).
     */
    const step = async (name: string, status: number, send: (api: Client, key: string) => PromiseLike<{ status: number; body: unknown }>) => {
      const key = randomUUID();
      let res = await send(session, key);
      if (res.status === 401) {
        session = await this.session(t, v.rep, true);
        res = await send(session, key);
      }
      if (res.status !== status) throw new ApiError(`${v.key} ${name}: ${res.status} ${JSON.stringify(res.body).slice(0, 400)}`);
      return res.body as Record<string, unknown>;
    };
    const head = at(v.start);
    const qr = v.startedBy === 'qr' ? await this.services.qr.codeFor(t.tenantId, customer.id, v.dynamicQr === true, this.clock.now()) : undefined;
    const started = await step('start', 201, (api, key) => api.send('post', '/api/visits', {
      ...(qr ? { qr } : { customerId: customer.id }), deviceTime: v.start.deviceTime.toISOString(), host: v.host,
      ...(v.deviceId ? { deviceId: v.deviceId } : {}), ...(v.jointVisit ? { jointVisit: true } : {}),
    }, key, head));
    const id = String(started.id);
    const checkIn = at(v.checkIn);
    await step('check-in', 200, (api, key) => api.send('post', `/api/visits/${id}/check-in`, { fixes: v.checkInFixes.map(fixBody), host: v.host }, key, checkIn));
    for (const p of v.photos) {
      this.clock.set(p.uploadedAt);
      const raw = p.bytes ?? (await storefront(p.seed));
      const bytes = p.exif ? await withExif(raw, p.exif) : raw;
      const png = bytes[0] === 0x89;
      const source = apiContract.photoSources.has(p.source) ? p.source : 'unknown';
      await step('photo', 201, (api, key) => api.photo(id, p.kind, bytes, { source, key, filename: png ? 'photo.png' : 'photo.jpg', contentType: png ? 'image/png' : 'image/jpeg' }));
    }
    // The contacts met, as the contact widget sends them: the customer's contact ids ("c2" is the second on file).
    const contactsMet = v.contactsMet.map((c) => customer.contactIds[Number(/^c(\d+)$/.exec(c)?.[1] ?? 0) - 1] ?? c);
    await step('answers', 200, (api, key) => api.send('put', `/api/visits/${id}/answers`, { answers: { summary: {} }, contactsMet }, key));
    const checkOut = at(v.checkOut);
    await step('check-out', 200, (api, key) => api.send('post', `/api/visits/${id}/check-out`, { fixes: v.checkOutFixes.map(fixBody), deviceTime: v.checkOut.deviceTime.toISOString(), host: v.host }, key, checkOut));
    const submit = at(v.submitted);
    const submitted = await step('submit', 200, (api, key) => api.send('post', `/api/visits/${id}/submit`, { deviceTime: v.submitted.deviceTime.toISOString() }, key, submit));
    return submitted.verdict as Verdict;
  }
}

/** A fix as the check-in API takes it: only the fields its contract carries (a field it lacks is a gap, not an error). */
function fixBody(f: Fix): Record<string, unknown> {
  const body: Record<string, unknown> = { lng: f.lng, lat: f.lat, system: 'GCJ02', deviceTime: f.deviceTime.toISOString() };
  for (const k of ['accuracyM', 'provider', 'isMock', 'uncached'] as const) if (f[k] !== undefined && apiContract.fixFields.has(k)) body[k] = f[k];
  return body;
}
