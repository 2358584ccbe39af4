// Decides whether a scanned store code is genuine, current and for the store being visited. Pure.
import { currentWindow, deriveKey, parseQr, signatureValid, type QrClaims } from './qr-token.ts';

export type QrProblem = 'malformed' | 'forged' | 'revoked' | 'other-store' | 'replayed';

export interface QrKeyState {
  currentKid: number;
  /** The key before the last rotation stays valid until graceUntil (printed codes can be replaced meanwhile). */
  previous?: { kid: number; graceUntil: Date } | null;
}

export interface QrExpectation {
  tenantId: string;
  tenantCode: string;
  /** The customer the visit is for; omitted when the scan is what picks the customer. */
  customerId?: string;
}

export type QrVerdict =
  | { ok: true; claims: QrClaims }
  | { ok: false; problem: QrProblem; claims?: QrClaims };

export function verifyQr(text: string, expect: QrExpectation, keys: QrKeyState, masterSecret: string, now: Date): QrVerdict {
  const parsed = parseQr(text);
  if (!parsed) return { ok: false, problem: 'malformed' };
  const { sig: _sig, ...claims } = parsed;
  // A code of another company cannot be verified with our keys: to us it is a forgery.
  if (parsed.tenant !== expect.tenantCode) return { ok: false, problem: 'forged', claims };
  const inGrace = keys.previous && parsed.kid === keys.previous.kid && now < keys.previous.graceUntil;
  if (parsed.kid !== keys.currentKid && !inGrace) {
    return { ok: false, problem: parsed.kid < keys.currentKid ? 'revoked' : 'forged', claims };
  }
  if (!signatureValid(parsed, deriveKey(masterSecret, expect.tenantId, parsed.kid))) return { ok: false, problem: 'forged', claims };
  if (expect.customerId && parsed.customerId !== expect.customerId) return { ok: false, problem: 'other-store', claims };
  if (parsed.dynamic) {
    const w = currentWindow(now);
    const shown = parsed.window ?? -1;
    if (shown > w) return { ok: false, problem: 'forged', claims };
    if (w - shown > 1) return { ok: false, problem: 'replayed', claims };
  }
  return { ok: true, claims };
}
