// Store QR payloads (门头二维码), signed with HMAC-SHA256 so they cannot be forged or moved to another store.
//   static:  FV1.<tenant>.<customerId>.<kid>.<sig>
//   dynamic: FV1D.<tenant>.<customerId>.<kid>.<window>.<sig>   (window = floor(unix seconds / windowSeconds))
// Keys are derived per tenant and key id from the master secret, so rotating the key id revokes every printed code.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const DYNAMIC_WINDOW_SECONDS = 20;
const SIG_LENGTH = 22; // 132 bits of base64url

export interface QrClaims {
  dynamic: boolean;
  tenant: string;
  customerId: string;
  kid: number;
  window?: number;
}

export function deriveKey(masterSecret: string, tenantId: string, kid: number): Buffer {
  return createHmac('sha256', masterSecret).update(`qr-key:${tenantId}:${kid}`).digest();
}

function sign(key: Buffer, body: string): string {
  return createHmac('sha256', key).update(body).digest('base64url').slice(0, SIG_LENGTH);
}

function body(c: QrClaims): string {
  return c.dynamic
    ? `FV1D.${c.tenant}.${c.customerId}.${c.kid}.${c.window ?? 0}`
    : `FV1.${c.tenant}.${c.customerId}.${c.kid}`;
}

export function encodeQr(c: QrClaims, key: Buffer): string {
  const b = body(c);
  return `${b}.${sign(key, b)}`;
}

const PATTERN = /(FV1D?)\.([a-z0-9-]{2,40})\.([0-9a-f]{24})\.([0-9]{1,6})(?:\.([0-9]{1,12}))?\.([A-Za-z0-9_-]{22})/;

/** Finds a payload anywhere in the scanned text (a code may also be printed as a URL that embeds it). */
export function parseQr(text: string): (QrClaims & { sig: string }) | undefined {
  const m = PATTERN.exec(text);
  if (!m) return undefined;
  const dynamic = m[1] === 'FV1D';
  if (dynamic !== (m[5] !== undefined)) return undefined;
  return { dynamic, tenant: m[2]!, customerId: m[3]!, kid: Number(m[4]), window: dynamic ? Number(m[5]) : undefined, sig: m[6]! };
}

export function signatureValid(claims: QrClaims & { sig: string }, key: Buffer): boolean {
  const expected = Buffer.from(sign(key, body(claims)));
  const given = Buffer.from(claims.sig);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export function currentWindow(now: Date, windowSeconds = DYNAMIC_WINDOW_SECONDS): number {
  return Math.floor(now.getTime() / 1000 / windowSeconds);
}
