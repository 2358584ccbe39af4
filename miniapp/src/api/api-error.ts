// The server's error envelope as a typed error, shared by the mini-app's and the console's API clients.
import type { FieldError } from './types.ts';

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly messageZh: string,
    readonly messageEn: string,
    readonly details: FieldError[] = [],
  ) {
    super(`${code}: ${messageEn}`);
  }

  /** Worth retrying later with the same Idempotency-Key: the server did not refuse the request itself. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500 || this.status === 408 || this.status === 429 || this.code === 'REQUEST_IN_PROGRESS';
  }
}

type Envelope = { error?: { code: string; message_zh: string; message_en: string; details?: FieldError[] } } | null;

/** The error of a failed response from its parsed body; a body without the envelope (a proxy's page) gives the status. */
export function errorOfResponse(status: number, body: unknown): ApiError {
  const e = (body as Envelope)?.error;
  return e
    ? new ApiError(status, e.code, e.message_zh, e.message_en, e.details ?? [])
    : new ApiError(status, `HTTP_${status}`, `服务器错误（${status}）`, `Server error (${status})`);
}
