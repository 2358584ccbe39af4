// WeCom errcodes (WC doc 90455 and SDK enums) and what each means for our callers. Branch on errcode, never errmsg.
import type { ErrorCode } from '../../http/errors.ts';
import { HostCallError, type ErrorTable } from '../common/host-http.ts';

/** The token was refused: refresh once and retry. An expired token has been seen answering 40014 instead of 42001. */
const TOKEN_REFUSED = new Set([40014, 42001, 40001, 41001]);

export const isWecomTokenRefused = (err: unknown): boolean => err instanceof HostCallError && err.errcode !== null && TOKEN_REFUSED.has(err.errcode);

const common: [number, ErrorCode][] = [
  [60020, 'HOST_IP_NOT_ALLOWED'],
  [45009, 'HOST_RATE_LIMITED'],
  [45033, 'HOST_RATE_LIMITED'],
  [-1, 'HOST_RATE_LIMITED'],
];

export const wecomErrors: ErrorTable = {
  codes: new Map<number, ErrorCode>([...common, [40029, 'HOST_AUTH_CODE_INVALID'], [40007, 'HOST_MEDIA_INVALID']]),
  fallback: 'HOST_UNAVAILABLE',
};

/** gettoken: any refusal other than IP/limits means the corp id or the secret is wrong (40001, 40013, …). */
export const wecomTokenErrors: ErrorTable = { codes: new Map(common), fallback: 'HOST_CREDENTIALS_INVALID' };

/** media/get: an unlisted refusal means this media id cannot be had (expired after 3 days, wrong app, …). */
export const wecomMediaErrors: ErrorTable = { codes: wecomErrors.codes, fallback: 'HOST_MEDIA_INVALID' };
