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

/**
 * How late a rotating code scanned without signal may reach us. Within it the scan counts when the phone's scan
 * time falls in the code's window; the engine then treats it like a printed code (the phone's clock can be set).
 */
export const QR_OFFLINE_MAX_MS = 24 * 3_600_000;

export type QrVerdict =
  | { ok: true; claims: QrClaims; /** A rotating code scanned offline: how long before it reached us. */ offlineDelayMs?: number }
  | { ok: false; problem: QrProblem; claims?: QrClaims };

/** Whether a rotating code's window is the one shown at `at` (or the one just before: a scan at the turn). */
function shownAt(window: number, at: Date): boolean {
  const w = currentWindow(at);
  return window <= w && w - window <= 1;
}

/** `scannedAt` is the phone's time of the scan (the visit's start); it matters only for a code that is not fresh. */
export function verifyQr(text: string, expect: QrExpectation, keys: QrKeyState, masterSecret: string, now: Date, scannedAt?: Date): QrVerdict {
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
    const shown = parsed.window ?? -1;
    if (shown > currentWindow(now)) return { ok: false, problem: 'forged', claims };
    if (!shownAt(shown, now)) {
      const delayMs = scannedAt ? now.getTime() - scannedAt.getTime() : Infinity;
      if (!scannedAt || delayMs < 0 || delayMs > QR_OFFLINE_MAX_MS || !shownAt(shown, scannedAt)) return { ok: false, problem: 'replayed', claims };
      return { ok: true, claims, offlineDelayMs: delayMs };
    }
  }
  return { ok: true, claims };
}
