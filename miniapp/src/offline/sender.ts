// The single sender: takes the outbox in order and sends each step with its own client id as Idempotency-Key.
// Network trouble (and 5xx/408/429) keeps the step and retries with backoff or when the phone is back online; a
// refusal by the server stops that visit's queue and shows the error; nothing is ever dropped here.
import { api, ApiError } from '../api/client.ts';
import type { VisitView } from '../api/types.ts';
import { ownerKey } from '../session.ts';
import { db, type LocalVisit, type Op, type OpError } from './db.ts';
import { changed, outbox, refreshOutbox } from './state.ts';

const MAX_BACKOFF_MS = 60_000;

let running = false;
let again = false;
let timer: ReturnType<typeof setTimeout> | undefined;
/** The op being sent right now: the answers autosave must not replace it under the sender's feet. */
export const inFlight = new Set<string>();

/** Starts sending (or makes the running sender look again once it is done). */
export function kick(): void {
  if (running) {
    again = true;
    return;
  }
  running = true;
  outbox.sending = true;
  void (async () => {
    try {
      do {
        again = false;
        await withSenderLock(drain);
      } while (again);
    } catch (err) {
      console.error('outbox sender failed', err);
      schedule(5000);
    } finally {
      running = false;
      outbox.sending = false;
      await refreshOutbox();
    }
  })();
}

/** Several open tabs share one outbox; the Web Locks API keeps a single sender among them where it exists. */
async function withSenderLock(fn: () => Promise<void>): Promise<void> {
  const locks = (navigator as Navigator & { locks?: LockManager }).locks;
  if (!locks) return fn();
  await locks.request('fieldvisit-outbox', { ifAvailable: true }, async (lock) => {
    if (lock) await fn();
    else schedule(3000); // another tab is sending; look again soon in case it closes
  });
}

function schedule(ms: number): void {
  clearTimeout(timer);
  outbox.retryAt = Date.now() + ms;
  timer = setTimeout(() => {
    outbox.retryAt = null;
    kick();
  }, ms);
}

let started = false;

export function startSender(): void {
  if (started) {
    kick();
    return;
  }
  started = true;
  window.addEventListener('online', () => {
    outbox.online = true;
    kick();
  });
  window.addEventListener('offline', () => {
    outbox.online = false;
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') kick();
  });
  kick();
}

async function drain(): Promise<void> {
  const owner = ownerKey();
  if (!owner) return;
  const d = await db();
  const ops = (await d.getAllFromIndex('ops', 'byOwner', owner)).sort((a, b) => a.seq! - b.seq!);
  const stopped = new Set<string>();
  for (const op of ops) {
    if (stopped.has(op.visitLocalId)) continue;
    if (op.failed) {
      stopped.add(op.visitLocalId);
      continue;
    }
    const visit = await d.get('visits', op.visitLocalId);
    if (!visit) continue;
    if (op.type !== 'start' && !visit.serverId) {
      stopped.add(op.visitLocalId); // its start has not been acknowledged yet
      continue;
    }
    if (!navigator.onLine) return; // the `online` event starts us again
    inFlight.add(op.id);
    try {
      const result = await send(op, visit);
      await acknowledge(op, result);
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(0, 'CLIENT', String(err), String(err));
      if (e.status === 401) return; // back to login; the queue waits for the same rep
      if (e.transient) {
        await noteAttempt(op, e);
        schedule(backoff(op.attempts + 1));
        return; // keep the order: nothing later goes before this step
      }
      await refuse(op, e);
      stopped.add(op.visitLocalId);
    } finally {
      inFlight.delete(op.id);
    }
  }
}

function backoff(attempts: number): number {
  const base = Math.min(MAX_BACKOFF_MS, 1000 * 2 ** Math.min(attempts - 1, 6));
  return base / 2 + Math.random() * (base / 2);
}

const errorOf = (e: ApiError): OpError => ({ status: e.status, code: e.code, message_zh: e.messageZh, message_en: e.messageEn, details: e.details });

async function send(op: Op, visit: LocalVisit): Promise<unknown> {
  const key = op.id;
  const base = `/visits/${visit.serverId}`;
  switch (op.type) {
    case 'start':
      return api<VisitView>('/visits', { method: 'POST', body: op.body, idempotencyKey: key, sentAt: true });
    case 'checkIn':
      return api<VisitView>(`${base}/check-in`, { method: 'POST', body: op.body, idempotencyKey: key, sentAt: true });
    case 'answers':
      return api<VisitView>(`${base}/answers`, { method: 'PUT', body: op.body, idempotencyKey: key, sentAt: true });
    case 'checkOut':
      return api<VisitView>(`${base}/check-out`, { method: 'POST', body: op.body, idempotencyKey: key, sentAt: true });
    case 'submit':
      return api<VisitView>(`${base}/submit`, { method: 'POST', body: op.body, idempotencyKey: key, sentAt: true });
    case 'photo': {
      const photo = visit.photos.find((p) => p.id === op.photoId);
      if (op.body.mediaId || op.body.url) {
        return api(`${base}/photos/host-media`, { method: 'POST', body: op.body, idempotencyKey: key, sentAt: true });
      }
      const stored = await (await db()).get('blobs', op.photoId!);
      if (!stored) throw new ApiError(422, 'PHOTO_LOST', '照片文件在手机上丢失，请重拍', 'The photo file is gone from the phone; take it again');
      const form = new FormData();
      form.append('kind', String(op.body.kind));
      form.append('source', String(op.body.source));
      form.append('deviceTime', String(op.body.deviceTime));
      form.append('file', stored.blob, `${photo?.kind ?? 'photo'}.${extension(stored.blob.type)}`);
      return api(`${base}/photos`, { method: 'POST', form, idempotencyKey: key, sentAt: true });
    }
  }
}

function extension(type: string): string {
  return ({ 'image/png': 'png', 'image/webp': 'webp', 'image/heic': 'heic' } as Record<string, string>)[type] ?? 'jpg';
}

/** The server accepted the step: record what it said and drop the step from the outbox, in one transaction. */
async function acknowledge(op: Op, result: unknown): Promise<void> {
  const d = await db();
  const tx = d.transaction(['ops', 'visits', 'blobs'], 'readwrite');
  const visit = await tx.objectStore('visits').get(op.visitLocalId);
  if (visit) {
    const view = result as Partial<VisitView> & { id?: string };
    if (op.type === 'photo') {
      const photo = visit.photos.find((p) => p.id === op.photoId);
      if (photo) {
        photo.uploaded = true;
        photo.serverId = view.id ? String(view.id) : undefined;
      }
    } else {
      if (op.type === 'start') {
        visit.serverId = String(view.id);
        visit.customerId = String(view.customerId);
        const c = view.customer!;
        visit.customer = { name: c.name, address: c.address, type: c.type, class: c.class, location: c.location ?? visit.customer?.location ?? null, fenceRadiusM: c.fenceRadiusM ?? visit.customer?.fenceRadiusM ?? null };
        visit.form = { formId: String(view.form!.formId), version: view.form!.version };
      }
      visit.serverStatus = view.status;
      if (op.type === 'submit') {
        visit.stage = 'submitted';
        visit.verdict = view.verdict ?? undefined;
        visit.effectiveBand = view.effectiveBand ?? null;
        visit.summary = view.summary ?? null;
        visit.error = undefined;
        // The bytes are on the server now; the phone keeps only the record and the verdict.
        for (const p of visit.photos) await tx.objectStore('blobs').delete(p.id);
      }
    }
    visit.updatedAt = new Date().toISOString();
    await tx.objectStore('visits').put(visit);
  }
  await tx.objectStore('ops').delete(op.seq!);
  await tx.done;
  changed(op.visitLocalId);
}

async function noteAttempt(op: Op, e: ApiError): Promise<void> {
  const d = await db();
  const current = await d.get('ops', op.seq!);
  if (!current) return;
  current.attempts += 1;
  current.lastError = errorOf(e);
  await d.put('ops', current);
  op.attempts = current.attempts;
}

/**
 * The server refused the step. A refused submit is only an intent (the evidence is in earlier steps), so it is
 * taken out of the queue and its reasons go to the visit screen, where the rep fixes them and submits again.
 * Any other refused step stays, marked, holding back the rest of its visit until the rep decides.
 */
async function refuse(op: Op, e: ApiError): Promise<void> {
  const d = await db();
  const tx = d.transaction(['ops', 'visits'], 'readwrite');
  const visit = await tx.objectStore('visits').get(op.visitLocalId);
  const error = errorOf(e);
  if (op.type === 'submit') {
    await tx.objectStore('ops').delete(op.seq!);
    if (visit?.stage === 'submitting') visit.stage = visit.checkOut ? 'checkedOut' : 'checkedIn';
  } else {
    await tx.objectStore('ops').put({ ...op, failed: error });
  }
  if (visit) {
    visit.error = { ...error, op: op.type };
    visit.updatedAt = new Date().toISOString();
    await tx.objectStore('visits').put(visit);
  }
  await tx.done;
  changed(op.visitLocalId);
}
