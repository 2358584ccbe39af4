import { describe, expect, it } from 'vitest';
import { currentWindow, deriveKey, encodeQr, parseQr, DYNAMIC_WINDOW_SECONDS } from '../../server/qr/qr-token.ts';
import { verifyQr } from '../../server/qr/qr-verify.ts';

const SECRET = 'unit-test-master-secret';
const TENANT_ID = '65a000000000000000000001';
const STORE = '65b000000000000000000001';
const OTHER_STORE = '65b000000000000000000002';
const now = new Date('2026-11-20T02:00:00Z');
const expectFor = (customerId?: string) => ({ tenantId: TENANT_ID, tenantCode: 'acme', customerId });
const code = (customerId: string, kid = 1, tenantId = TENANT_ID, tenant = 'acme') =>
  encodeQr({ dynamic: false, tenant, customerId, kid }, deriveKey(SECRET, tenantId, kid));

describe('store QR codes', () => {
  it('accepts a genuine code for the store being visited, also when embedded in a URL', () => {
    expect(verifyQr(code(STORE), expectFor(STORE), { currentKid: 1 }, SECRET, now)).toMatchObject({ ok: true, claims: { customerId: STORE } });
    expect(verifyQr(`https://example.cn/q/${code(STORE)}`, expectFor(STORE), { currentKid: 1 }, SECRET, now).ok).toBe(true);
  });

  it('rejects a code moved to another store', () => {
    expect(verifyQr(code(OTHER_STORE), expectFor(STORE), { currentKid: 1 }, SECRET, now)).toMatchObject({ ok: false, problem: 'other-store' });
  });

  it('rejects forged codes: changed store id, wrong secret, another tenant, garbage', () => {
    const genuine = code(STORE);
    const tampered = genuine.replace(STORE, OTHER_STORE);
    expect(verifyQr(tampered, expectFor(OTHER_STORE), { currentKid: 1 }, SECRET, now)).toMatchObject({ ok: false, problem: 'forged' });
    const wrongKey = encodeQr({ dynamic: false, tenant: 'acme', customerId: STORE, kid: 1 }, deriveKey('guessed', TENANT_ID, 1));
    expect(verifyQr(wrongKey, expectFor(STORE), { currentKid: 1 }, SECRET, now)).toMatchObject({ ok: false, problem: 'forged' });
    const foreign = code(STORE, 1, '65a000000000000000000002', 'other-co');
    expect(verifyQr(foreign, expectFor(STORE), { currentKid: 1 }, SECRET, now)).toMatchObject({ ok: false, problem: 'forged' });
    expect(verifyQr('hello', expectFor(STORE), { currentKid: 1 }, SECRET, now)).toMatchObject({ ok: false, problem: 'malformed' });
  });

  it('rotating the key revokes printed codes, except during the grace period', () => {
    const old = code(STORE, 1);
    expect(verifyQr(old, expectFor(STORE), { currentKid: 2 }, SECRET, now)).toMatchObject({ ok: false, problem: 'revoked' });
    const grace = { currentKid: 2, previous: { kid: 1, graceUntil: new Date(now.getTime() + 3_600_000) } };
    expect(verifyQr(old, expectFor(STORE), grace, SECRET, now).ok).toBe(true);
    const expired = { currentKid: 2, previous: { kid: 1, graceUntil: new Date(now.getTime() - 1) } };
    expect(verifyQr(old, expectFor(STORE), expired, SECRET, now)).toMatchObject({ ok: false, problem: 'revoked' });
    expect(verifyQr(code(STORE, 2), expectFor(STORE), { currentKid: 2 }, SECRET, now).ok).toBe(true);
  });

  it('a rotating code is accepted in its window and the next, and rejected as replayed after that', () => {
    const w = currentWindow(now);
    const shown = encodeQr({ dynamic: true, tenant: 'acme', customerId: STORE, kid: 1, window: w }, deriveKey(SECRET, TENANT_ID, 1));
    expect(parseQr(shown)).toMatchObject({ dynamic: true, window: w });
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, now).ok).toBe(true);
    const later = (s: number) => new Date(now.getTime() + s * 1000);
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, later(DYNAMIC_WINDOW_SECONDS)).ok).toBe(true);
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, later(3 * DYNAMIC_WINDOW_SECONDS))).toMatchObject({ ok: false, problem: 'replayed' });
    const future = encodeQr({ dynamic: true, tenant: 'acme', customerId: STORE, kid: 1, window: w + 5 }, deriveKey(SECRET, TENANT_ID, 1));
    expect(verifyQr(future, expectFor(STORE), { currentKid: 1 }, SECRET, now)).toMatchObject({ ok: false, problem: 'forged' });
  });

  it('a rotating code scanned without signal counts when the phone scanned it in its window and it arrives within 24 h', () => {
    const shown = encodeQr({ dynamic: true, tenant: 'acme', customerId: STORE, kid: 1, window: currentWindow(now) }, deriveKey(SECRET, TENANT_ID, 1));
    const arrives = (h: number) => new Date(now.getTime() + h * 3_600_000);
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, arrives(3), now)).toEqual({ ok: true, claims: expect.objectContaining({ dynamic: true }), offlineDelayMs: 3 * 3_600_000 });
    // The phone says it scanned an hour after the code was shown: a photographed code.
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, arrives(3), arrives(1))).toMatchObject({ ok: false, problem: 'replayed' });
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, arrives(25), now)).toMatchObject({ ok: false, problem: 'replayed' });
    // Without a scan time a stale code stays refused; a fresh one needs none.
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, arrives(3))).toMatchObject({ ok: false, problem: 'replayed' });
    expect(verifyQr(shown, expectFor(STORE), { currentKid: 1 }, SECRET, now, now)).toEqual({ ok: true, claims: expect.anything() });
  });
});
