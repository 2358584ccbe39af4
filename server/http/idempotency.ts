// Idempotent mutations: a phone may retry any step, and the first request with a given Idempotency-Key runs while
// every repeat gets its answer back and changes nothing.
// - A running request holds its key as a lease, renewed while it works. A repeat waits for the answer: on the
//   holder's promise when the holder is this process, by reading the key with a backoff when it is another
//   instance. A key whose holder died (lease over: a kill -9 mid-upload) is taken over by the next repeat.
// - Only final answers are kept (2xx, and 4xx other than "try again"); a server error releases the key, so the
//   retry runs for real.
// - The key remembers its request (method, path, a hash of the body): the same key with another request is 422
//   IDEMPOTENCY_KEY_REUSED. Keys expire after `ttlMs` (a TTL index).
import { createHash, randomUUID } from 'node:crypto';
import type { Context, Middleware } from 'koa';
import type { Model } from 'mongoose';
import { AppError } from './errors.ts';
import type { MultipartBody } from './multipart.ts';
import type { AuthState } from '../users/auth.ts';
import type { Clock } from '../lib/clock.ts';
import { isDuplicateKey, retryTransient } from '../db/transient.ts';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{8,100}$/;
/** Answers that say "try again", never a request's final answer. */
const RETRY_LATER = new Set(['REQUEST_IN_PROGRESS', 'DB_BUSY', 'DB_UNAVAILABLE']);

export interface IdempotencyOptions {
  clock: Clock;
  /** How long a key stays held without a renewal (a dead holder's key is taken over after this). */
  leaseMs: number;
  /** How long a repeat waits for the answer before it is told to retry (409 REQUEST_IN_PROGRESS). */
  waitMs: number;
  /** How long answers are kept. */
  ttlMs: number;
}

interface KeyDoc {
  method: string; path: string; bodyHash: string; state: 'pending' | 'done'; holder: string;
  leaseUntil: Date; status?: number; body?: unknown;
}

type Answer = { status: number; body: unknown };

/** What the request asks for, whatever its encoding: the JSON body, or the multipart fields and the file's bytes. */
export function requestHash(ctx: Context): string {
  const body = ctx.request.body as unknown;
  const h = createHash('sha256');
  const multipart = body as Partial<MultipartBody> | undefined;
  if (multipart && typeof multipart === 'object' && 'fields' in multipart && multipart.fields) {
    h.update(JSON.stringify(Object.entries(multipart.fields).sort(([a], [b]) => a.localeCompare(b))));
    if (multipart.file) h.update(multipart.file.data);
  } else {
    h.update(JSON.stringify(body ?? null));
  }
  return h.digest('hex');
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function idempotent(Keys: Model<any>, options: IdempotencyOptions): Middleware {
  const { clock } = options;
  /** Keys this process is working on, each by one leading request: repeats arriving here wait on it, not the database. */
  const running = new Map<string, Promise<{ answer: Answer; request: Pick<KeyDoc, 'method' | 'path' | 'bodyHash'> } | null>>();
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

  async function claimNew(id: Record<string, unknown>, doc: Omit<KeyDoc, 'state' | 'leaseUntil'>): Promise<boolean> {
    const now = clock.now();
    try {
      await retryTransient(() => Keys.create({ ...id, ...doc, state: 'pending', leaseUntil: new Date(now.getTime() + options.leaseMs), createdAt: now, expiresAt: new Date(now.getTime() + options.ttlMs) }));
      return true;
    } catch (err) {
      if (isDuplicateKey(err)) return false;
      throw err;
    }
  }

  /** Takes over a key whose holder stopped renewing its lease. */
  async function takeOver(id: Record<string, unknown>, seen: KeyDoc, holder: string): Promise<boolean> {
    const now = clock.now();
    const won = await Keys.findOneAndUpdate(
      { ...id, state: 'pending', holder: seen.holder, leaseUntil: seen.leaseUntil },
      { $set: { holder, leaseUntil: new Date(now.getTime() + options.leaseMs) } },
    ).lean();
    return won !== null;
  }

  /** Runs the request as the key's holder, renewing the lease; returns its answer when it is final (to keep and share). */
  async function runHeld(ctx: Context, next: () => Promise<unknown>, id: Record<string, unknown>, holder: string): Promise<Answer | null> {
    const renew = setInterval(() => {
      void Keys.updateOne({ ...id, holder, state: 'pending' }, { $set: { leaseUntil: new Date(clock.now().getTime() + options.leaseMs) } }).catch(() => undefined);
    }, Math.max(1000, options.leaseMs / 3));
    let answer: Answer | null = null;
    try {
      await next();
      answer = { status: ctx.status, body: ctx.body === undefined ? null : (JSON.parse(JSON.stringify(ctx.body)) as unknown) };
      return answer;
    } catch (err) {
      if (err instanceof AppError && err.status < 500 && !RETRY_LATER.has(err.code)) answer = { status: err.status, body: err.toBody() };
      throw err;
    } finally {
      clearInterval(renew);
      if (answer) await retryTransient(() => Keys.updateOne({ ...id, holder }, { $set: { state: 'done', status: answer!.status, body: answer!.body } }));
      else await retryTransient(() => Keys.deleteOne({ ...id, holder, state: 'pending' })); // not final: the retry runs for real
    }
  }

  /**
   * This process's first request for a key: claims it (or takes it over) and runs it, or waits for the answer of
   * the holder elsewhere. Returns the final answer, or null when there is none (the run failed: try again).
   */
  async function lead(ctx: Context, next: () => Promise<unknown>, id: Record<string, unknown>, request: Pick<KeyDoc, 'method' | 'path' | 'bodyHash'>): Promise<{ answer: Answer | null; ran: boolean }> {
    const holder = randomUUID();
    // Waiting is measured on the process's own time: an injected clock may stand still or jump.
    const until = Date.now() + options.waitMs;
    for (let pause = 25; ; pause = Math.min(pause * 2, 1000)) {
      if (await claimNew(id, { ...request, holder })) return { answer: await runHeld(ctx, next, id, holder), ran: true };
      const seen = await Keys.findOne(id).lean<KeyDoc>();
      if (!seen) continue; // released after a server error: claim it again
      if (seen.method !== request.method || seen.path !== request.path || seen.bodyHash !== request.bodyHash) throw new AppError('IDEMPOTENCY_KEY_REUSED');
      if (seen.state === 'done') return { answer: { status: seen.status ?? 200, body: seen.body }, ran: false };
      if (seen.leaseUntil.getTime() <= clock.now().getTime() && await takeOver(id, seen, holder)) return { answer: await runHeld(ctx, next, id, holder), ran: true };
      if (Date.now() >= until) throw new AppError('REQUEST_IN_PROGRESS');
      await sleep(Math.min(pause, Math.max(0, until - Date.now())));
    }
  }

  return async function rememberResponse(ctx: Context, next) {
    const key = ctx.get('idempotency-key');
    if (!KEY_PATTERN.test(key)) {
      throw new AppError('IDEMPOTENCY_KEY_REQUIRED', [{ field: '/headers/idempotency-key', code: 'REQUIRED', message_zh: '缺少或无效的 Idempotency-Key 请求头（客户端生成的唯一编号）', message_en: 'Missing or invalid Idempotency-Key header (a client-generated unique id)' }]);
    }
    const auth = ctx.state.auth as AuthState;
    const id = { tenantId: auth.tenantId, userId: auth.userId, key };
    const localKey = `${String(auth.tenantId)}:${String(auth.userId)}:${key}`;
    const request = { method: ctx.method, path: ctx.path, bodyHash: requestHash(ctx) };
    for (;;) {
      const local = running.get(localKey);
      if (local) {
        // Another request of this process leads this key: its answer is ours (same request, or it would be refused).
        const shared = await local;
        if (shared?.request.bodyHash === request.bodyHash && shared.request.method === request.method && shared.request.path === request.path) return replay(ctx, shared.answer);
        if (shared) throw new AppError('IDEMPOTENCY_KEY_REUSED');
        continue; // the leader found no final answer: lead now
      }
      let share: (a: { answer: Answer; request: typeof request } | null) => void = () => {};
      running.set(localKey, new Promise((ok) => { share = ok; }));
      let outcome: { answer: Answer | null; ran: boolean } = { answer: null, ran: false };
      try {
        outcome = await lead(ctx, next, id, request);
      } finally {
        running.delete(localKey);
        share(outcome.answer ? { answer: outcome.answer, request } : null);
      }
      if (outcome.ran) return;
      if (outcome.answer) return replay(ctx, outcome.answer);
    }
  };
}

function replay(ctx: Context, first: Answer): void {
  ctx.status = first.status;
  ctx.body = first.body;
  ctx.set('idempotent-replay', 'true');
}
