// What every JS-API signature needs besides the algorithm: a nonce, a timestamp in seconds, and a page URL the
// server is willing to sign (http/https, bounded, on an allowed origin: a session must not be able to obtain
// signatures for somebody else's pages).
import { randomBytes } from 'node:crypto';
import { AppError, fieldError } from '../../http/errors.ts';

export const MAX_SIGNED_URL_LENGTH = 1024;

export interface JsApiConfig { timestamp: number; nonceStr: string; signature: string }

/** What both hosts' signatures are computed from. */
export interface SignInput { ticket: string; nonceStr: string; timestamp: number; url: string }

export function newNonce(): string {
  return randomBytes(12).toString('base64url');
}

export function nowSeconds(now: Date = new Date()): number {
  return Math.floor(now.getTime() / 1000);
}

/** The part both hosts sign: everything before `#`. */
export function withoutFragment(url: string): string {
  const hash = url.indexOf('#');
  return hash < 0 ? url : url.slice(0, hash);
}

export function assertSignableUrl(url: string, allowedOrigins: readonly string[]): void {
  const bad = (code: string, zh: string, en: string) => new AppError('VALIDATION_FAILED', [fieldError('/url', code, zh, en)]);
  if (url.length > MAX_SIGNED_URL_LENGTH) throw bad('TOO_LONG', `页面地址不能超过 ${MAX_SIGNED_URL_LENGTH} 个字符`, `The page URL must be at most ${MAX_SIGNED_URL_LENGTH} characters`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw bad('INVALID_URL', '页面地址格式不正确', 'The page URL is not a valid URL');
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') throw bad('INVALID_URL', '页面地址必须是 http 或 https', 'The page URL must be http or https');
  const allowed = allowedOrigins.map((o) => new URL(o).origin);
  if (!allowed.includes(parsed.origin)) {
    throw bad('ORIGIN_NOT_ALLOWED', '该页面地址不在允许签名的域名内', 'The page URL is not on an origin this server signs for');
  }
}
