// Every step the rep takes: first written to the phone (visit state + an outbox step, in one transaction), then
// handed to the sender. `deviceTime` is always the phone's clock when the step happened, never when it is sent.
import type { CapturedPhoto, Fix } from '../hosts/host.ts';
import { newId } from '../lib/ids.ts';
import { ownerKey } from '../session.ts';
import { db, type LocalPhoto, type LocalVisit, type Op, type OpType, type VisitCustomer } from './db.ts';
import { inFlight, kick } from './sender.ts';
import { changed } from './state.ts';

function owner(): string {
  const o = ownerKey();
  if (!o) throw new Error('not signed in');
  return o;
}

/** IndexedDB stores plain data only; answers arrive from the screens as Vue proxies. */
const plain = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

function op(visit: LocalVisit, type: OpType, body: Record<string, unknown>, photoId?: string): Op {
  return { id: newId(), owner: visit.owner, visitLocalId: visit.localId, type, body: plain(body), createdAt: new Date().toISOString(), attempts: 0, ...(photoId ? { photoId } : {}) };
}

export async function getVisit(localId: string): Promise<LocalVisit | undefined> {
  return (await db()).get('visits', localId);
}

export async function myVisits(): Promise<LocalVisit[]> {
  const o = ownerKey();
  if (!o) return [];
  const all = await (await db()).getAllFromIndex('visits', 'byOwner', o);
  return all.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}

export async function findByServerId(serverId: string): Promise<LocalVisit | undefined> {
  return (await myVisits()).find((v) => v.serverId === serverId);
}

/** Writes the visit and, when given, its new outbox steps atomically, then wakes the sender. */
async function commit(visit: LocalVisit, ops: Op[] = [], blob?: { id: string; blob: Blob }): Promise<LocalVisit> {
  const d = await db();
  const tx = d.transaction(['visits', 'ops', 'blobs'], 'readwrite');
  visit.updatedAt = new Date().toISOString();
  await tx.objectStore('visits').put(plain(visit));
  if (blob) await tx.objectStore('blobs').put({ id: blob.id, visitLocalId: visit.localId, blob: blob.blob });
  for (const o of ops) await tx.objectStore('ops').add(o);
  await tx.done;
  changed(visit);
  if (ops.length > 0) kick();
  return visit;
}

async function load(localId: string): Promise<LocalVisit> {
  const v = await getVisit(localId);
  if (!v) throw new Error(`no local visit ${localId}`);
  return v;
}

export interface StartInput {
  qr?: string;
  customerId?: string;
  customer?: VisitCustomer | null;
  form?: { formId: string; version: number; predicted?: boolean };
  host: string;
  deviceId?: string;
}

export async function startVisit(input: StartInput): Promise<LocalVisit> {
  const now = new Date().toISOString();
  const visit: LocalVisit = {
    localId: newId(), owner: owner(), customerId: input.customerId, customer: input.customer ?? null,
    startedBy: input.qr ? 'qr' : 'pick', form: input.form, stage: 'started', startDeviceTime: now,
    photos: [], answers: {}, createdAt: now, updatedAt: now,
  };
  const body: Record<string, unknown> = { deviceTime: now, host: input.host };
  if (input.qr) body.qr = input.qr;
  else body.customerId = input.customerId;
  if (input.deviceId) body.deviceId = input.deviceId.slice(0, 100);
  return commit(visit, [op(visit, 'start', body)]);
}

/** Takes a visit started elsewhere (another phone, or before the app's data was cleared) into this phone. */
export interface ServerVisit {
  id: string; customerId: string; status: LocalVisit['serverStatus']; customer: VisitCustomer; form: { formId: string; version: number };
  answers: Record<string, unknown>; startDeviceTime: string; photos: LocalPhoto[]; checkInFixes: Fix[]; checkOut?: { fixes: Fix[]; deviceTime: string };
}

export async function adoptVisit(server: ServerVisit): Promise<LocalVisit> {
  const existing = await findByServerId(server.id);
  if (existing) return existing;
  const now = new Date().toISOString();
  const stage = server.status === 'checkedOut' ? 'checkedOut' : server.status === 'checkedIn' ? 'checkedIn' : server.status === 'submitted' ? 'submitted' : 'started';
  const visit: LocalVisit = {
    localId: newId(), owner: owner(), serverId: server.id, serverStatus: server.status, customerId: server.customerId, customer: server.customer,
    startedBy: 'pick', form: server.form, stage, startDeviceTime: server.startDeviceTime,
    ...(stage !== 'started' ? { checkIn: { fixes: server.checkInFixes } } : {}),
    ...(server.checkOut ? { checkOut: server.checkOut } : {}),
    photos: server.photos, answers: server.answers, createdAt: now, updatedAt: now,
  };
  return commit(visit);
}

export async function checkIn(localId: string, fixes: Fix[], host: string): Promise<LocalVisit> {
  const visit = await load(localId);
  visit.checkIn = { fixes };
  visit.stage = 'checkedIn';
  return commit(visit, [op(visit, 'checkIn', { fixes, host })]);
}

export async function addPhoto(localId: string, kind: string, photo: CapturedPhoto): Promise<LocalVisit> {
  const visit = await load(localId);
  const local: LocalPhoto = { id: newId(), kind, deviceTime: photo.deviceTime, source: photo.source, uploaded: false, ...(photo.kind === 'hostMedia' ? { hostMedia: true } : {}) };
  visit.photos.push(local);
  if (photo.kind === 'hostMedia') {
    const body = { kind, source: 'camera', deviceTime: photo.deviceTime, ...(photo.mediaId ? { mediaId: photo.mediaId } : {}), ...(photo.url ? { url: photo.url } : {}) };
    return commit(visit, [op(visit, 'photo', body, local.id)]);
  }
  const body = { kind, source: photo.source, deviceTime: photo.deviceTime };
  return commit(visit, [op(visit, 'photo', body, local.id)], { id: local.id, blob: photo.blob });
}

export async function photoBlob(photoId: string): Promise<Blob | undefined> {
  return (await (await db()).get('blobs', photoId))?.blob;
}

/** Keeps the draft on the phone at once (every keystroke survives a crash); the upload is queued separately. */
export async function saveDraft(localId: string, answers: Record<string, unknown>): Promise<LocalVisit> {
  const visit = await load(localId);
  visit.answers = answers;
  return commit(visit);
}

/**
 * Queues the current answers for upload. An answers step still waiting is replaced by a new one (with a new key:
 * re-using a key with another body would get the old reply and lose the new answers).
 */
export async function queueAnswers(localId: string, body: { answers: Record<string, unknown>; contactsMet?: string[] }): Promise<void> {
  const d = await db();
  const tx = d.transaction(['visits', 'ops'], 'readwrite');
  const visit = await tx.objectStore('visits').get(localId);
  if (!visit || visit.stage === 'submitting' || visit.stage === 'submitted') {
    await tx.done;
    return;
  }
  visit.answers = plain(body.answers);
  visit.updatedAt = new Date().toISOString();
  await tx.objectStore('visits').put(visit);
  const waiting = await tx.objectStore('ops').index('byVisit').getAll(localId);
  for (const w of waiting) if (w.type === 'answers' && !w.failed && !inFlight.has(w.id)) await tx.objectStore('ops').delete(w.seq!);
  await tx.objectStore('ops').add(op(visit, 'answers', body));
  await tx.done;
  changed(visit);
  kick();
}

export async function checkOut(localId: string, fixes: Fix[], deviceTime: string, host: string): Promise<LocalVisit> {
  const visit = await load(localId);
  visit.checkOut = { fixes, deviceTime };
  visit.stage = 'checkedOut';
  return commit(visit, [op(visit, 'checkOut', { fixes, deviceTime, host })]);
}

export async function submit(localId: string, deviceTime: string): Promise<LocalVisit> {
  const visit = await load(localId);
  visit.stage = 'submitting';
  visit.submitDeviceTime = deviceTime;
  visit.error = undefined;
  return commit(visit, [op(visit, 'submit', { deviceTime })]);
}

/** The rep dismisses the shown refusal (a refused submit is already out of the queue). */
export async function clearError(localId: string): Promise<void> {
  const visit = await load(localId);
  visit.error = undefined;
  await commit(visit);
}

/** Sends a refused step again under a new key (the old key would only replay the refusal). */
export async function retryRefused(localId: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(['visits', 'ops'], 'readwrite');
  for (const o of await tx.objectStore('ops').index('byVisit').getAll(localId)) {
    if (o.failed) await tx.objectStore('ops').put({ ...o, id: newId(), failed: undefined, attempts: 0 });
  }
  const visit = await tx.objectStore('visits').get(localId);
  if (visit) await tx.objectStore('visits').put({ ...visit, error: undefined, updatedAt: new Date().toISOString() });
  await tx.done;
  changed(localId);
  kick();
}

/** The rep chose to give up a refused step (a photo the server cannot read, a step of a cancelled visit). */
export async function dropRefused(localId: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(['visits', 'ops', 'blobs'], 'readwrite');
  const visit = await tx.objectStore('visits').get(localId);
  for (const o of await tx.objectStore('ops').index('byVisit').getAll(localId)) {
    if (!o.failed) continue;
    await tx.objectStore('ops').delete(o.seq!);
    if (!visit) continue;
    // The local state goes back to before the step, so the screen offers it again.
    if (o.type === 'photo') {
      visit.photos = visit.photos.filter((p) => p.id !== o.photoId);
      await tx.objectStore('blobs').delete(o.photoId!);
    } else if (o.type === 'checkIn') {
      visit.checkIn = undefined;
      visit.stage = 'started';
    } else if (o.type === 'checkOut') {
      visit.checkOut = undefined;
      visit.stage = 'checkedIn';
    }
  }
  if (visit) await tx.objectStore('visits').put({ ...visit, error: undefined, updatedAt: new Date().toISOString() });
  await tx.done;
  changed(localId);
  kick();
}

/** Removes a visit and everything it still had waiting; only on the rep's explicit, confirmed request. */
export async function discardVisit(localId: string): Promise<void> {
  const d = await db();
  const tx = d.transaction(['visits', 'ops', 'blobs'], 'readwrite');
  for (const o of await tx.objectStore('ops').index('byVisit').getAll(localId)) await tx.objectStore('ops').delete(o.seq!);
  const visit = await tx.objectStore('visits').get(localId);
  for (const p of visit?.photos ?? []) await tx.objectStore('blobs').delete(p.id);
  await tx.objectStore('visits').delete(localId);
  await tx.done;
  changed(localId);
}

/** Steps of this visit still on the phone, in sending order. */
export async function waitingSteps(localId: string): Promise<Op[]> {
  return (await (await db()).getAllFromIndex('ops', 'byVisit', localId)).sort((a, b) => a.seq! - b.seq!);
}

/** Submitted visits stay on the phone a week (for their summary card); a visit with anything unsent is never pruned. */
export async function pruneSubmitted(maxAgeDays = 7): Promise<void> {
  const cutoff = new Date(Date.now() - maxAgeDays * 86_400_000).toISOString();
  const d = await db();
  for (const v of await myVisits()) {
    if (v.stage !== 'submitted' || v.updatedAt > cutoff) continue;
    const tx = d.transaction(['visits', 'ops', 'blobs'], 'readwrite');
    const waiting = await tx.objectStore('ops').index('byVisit').count(v.localId);
    if (waiting === 0) {
      for (const p of v.photos) await tx.objectStore('blobs').delete(p.id);
      await tx.objectStore('visits').delete(v.localId);
    }
    await tx.done;
  }
}
