// DingTalk errcodes (global error code page and copies of it). Branch on errcode, never errmsg. errcode 88 means
// "see sub_code": a refused token shows up there too.
import type { ErrorCode } from '../../http/errors.ts';
import { HostCallError, type ErrorTable } from '../common/host-http.ts';

/** The token was refused: refresh once and retry. An expired token has been reported answering 40014, not 42001. */
const TOKEN_REFUSED = new Set([40014, 42001, 40001, 41001]);

export function isDingtalkTokenRefused(err: unknown): boolean {
  if (!(err instanceof HostCallError) || err.errcode === null) return false;
  if (err.errcode === 88) return TOKEN_REFUSED.has(Number(err.subCode));
  return TOKEN_REFUSED.has(err.errcode);
}

const common: [number, ErrorCode][] = [
  [60020, 'HOST_IP_NOT_ALLOWED'],
  [45009, 'HOST_RATE_LIMITED'],
  [-1, 'HOST_RATE_LIMITED'],
];

export const dingtalkErrors: ErrorTable = {
  codes: new Map<number, ErrorCode>([...common, [40078, 'HOST_AUTH_CODE_INVALID']]),
  fallback: 'HOST_UNAVAILABLE',
};

/** gettoken: any refusal other than IP/limits means the app key or secret is wrong. */
export const dingtalkTokenErrors: ErrorTable = { codes: new Map(common), fallback: 'HOST_CREDENTIALS_INVALID' };

export const dingtalkMediaErrors: ErrorTable = { codes: dingtalkErrors.codes, fallback: 'HOST_MEDIA_INVALID' };
