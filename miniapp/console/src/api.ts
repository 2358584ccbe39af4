// The console's API client: JSON in and out, the bearer token, the error envelope as a typed ApiError, and file
// downloads (exports, QR sheets) that carry the token too.
import { ApiError, errorOfResponse } from '../../src/api/api-error.ts';
import type { FieldError } from '../../src/api/types.ts';
import { session, signOut } from './session.ts';
import { tr } from './tr.ts';

export { ApiError, type FieldError };

/** An API error's message in the console's language, with the first field problems (pointer and words). */
export function errorText(err: ApiError): string {
  const head = tr(err.messageZh, err.messageEn);
  const fields = err.details.slice(0, 3).map((d) => `${d.field}: ${tr(d.message_zh, d.message_en)}`);
  return [head, ...fields].join('\n');
}

const unauthorized = new Set<() => void>();
/** Called when the server says the session is gone: the console goes back to the login screen. */
export function onUnauthorized(fn: () => void): void {
  unauthorized.add(fn);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  form?: FormData;
  /** A file sent as the body itself, with its content type (the customer import). */
  file?: { data: Blob; type: string };
  anonymous?: boolean;
  idempotencyKey?: string;
}

async function send(path: string, o: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { accept };
  const token = session.current?.token;
  if (token && !o.anonymous) headers.authorization = `Bearer ${token}`;
  if (o.idempotencyKey) headers['idempotency-key'] = o.idempotencyKey;
  let body: BodyInit | undefined;
  if (o.form) body = o.form;
  else if (o.file) {
    headers['content-type'] = o.file.type;
    body = o.file.data;
  } else if (o.body !== undefined) {
    headers['content-type'] = 'application/json';
    body = JSON.stringify(o.body);
  }
  let res: Response;
  try {
    res = await fetch(`/api${path}`, { method: o.method ?? (body ? 'POST' : 'GET'), headers, body });
  } catch (err) {
    throw Object.assign(new ApiError(0, 'NETWORK', '网络不可用', 'No network'), { cause: err });
  }
  if (res.ok) return res;
  const data: unknown = await res.json().catch(() => null); // a proxy's HTML error page: only the status is known
  if (res.status === 401 && !o.anonymous) {
    signOut();
    for (const fn of unauthorized) fn();
  }
  throw errorOfResponse(res.status, data);
}

export async function api<T>(path: string, o: RequestOptions = {}): Promise<T> {
  const res = await send(path, o, 'application/json');
  const text = await res.text();
  return (text ? JSON.parse(text) : null) as T;
}

/** Fetches a file (with the token) and hands it to the browser as a download named by the server or `fallback`. */
export async function download(path: string, fallback: string, o: RequestOptions = {}): Promise<void> {
  const res = await send(path, o, '*/*');
  const disposition = res.headers.get('content-disposition') ?? '';
  const star = /filename\*=UTF-8''([^;]+)/i.exec(disposition);
  const plain = /filename="?([^";]+)"?/i.exec(disposition);
  const name = star?.[1] ? decodeURIComponent(star[1]) : plain?.[1] ?? fallback;
  const url = URL.createObjectURL(await res.blob());
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/** Query string from the set values of an object. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') p.set(k, String(v));
  const s = p.toString();
  return s ? `?${s}` : '';
}
