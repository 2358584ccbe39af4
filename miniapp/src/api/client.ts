// The one API client: JSON in and out, the bearer token, and the error envelope mapped to a typed ApiError.
import { session, signOut } from '../session.ts';
import { ApiError, errorOfResponse } from './api-error.ts';

export { ApiError };

/** The network itself failed (offline, DNS, reset): the request may or may not have reached the server. */
export function networkError(cause: unknown): ApiError {
  return Object.assign(new ApiError(0, 'NETWORK', '网络不可用，稍后自动重试', 'No network; will retry automatically'), { cause });
}

const listeners = new Set<() => void>();
/** Called when the server says the session is gone: the app goes back to the login screen. */
export function onUnauthorized(fn: () => void): void {
  listeners.add(fn);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  form?: FormData;
  idempotencyKey?: string;
  /** Public endpoints send no token. */
  anonymous?: boolean;
  /**
   * Sends X-Sent-At, the phone's clock as the request leaves: against its receipt time the server tells a phone
   * clock that is wrong from a step that merely waited in the offline queue.
   */
  sentAt?: boolean;
  signal?: AbortSignal;
}

export async function api<T>(path: string, o: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  const token = session.current?.token;
  if (token && !o.anonymous) headers.authorization = `Bearer ${token}`;
  if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
  if (o.sentAt) headers['x-sent-at'] = new Date().toISOString();
  let body: BodyInit | undefined;
  if (o.form) body = o.form;
  else if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method: o.method ?? (body ? 'POST' : 'GET'), headers, body, signal: o.signal });
  } catch (err) {
    throw networkError(err);
  }
  const text = await res.text().catch(() => '');
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : null;
  } catch {
    data = null; // a proxy's HTML error page: only the status is known
  }
  if (res.ok) return data as T;
  const error = errorOfResponse(res.status, data);
  if (res.status === 401 && !o.anonymous) {
    signOut();
    for (const fn of listeners) fn();
  }
  throw error;
}

export const get = <T>(path: string) => api<T>(path);
