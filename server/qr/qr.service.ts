// Store codes of a tenant: issue (static or rotating), verify a scan, rotate the key.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { AppError } from '../http/errors.ts';
import { currentWindow, deriveKey, encodeQr } from './qr-token.ts';
import { verifyQr, type QrKeyState, type QrVerdict } from './qr-verify.ts';
import { systemClock, type Clock } from '../lib/clock.ts';

interface TenantQr { _id: Types.ObjectId; code: string; qr?: { currentKid?: number; previous?: { kid?: number; graceUntil?: Date } } }

function keyState(t: TenantQr): QrKeyState {
  const prev = t.qr?.previous;
  return { currentKid: t.qr?.currentKid ?? 1, previous: prev?.kid && prev.graceUntil ? { kid: prev.kid, graceUntil: prev.graceUntil } : null };
}

export function qrService(models: Models, masterSecret: string, clock: Clock = systemClock) {
  const displayToken = (t: TenantQr, customerId: string) =>
    createHmac('sha256', deriveKey(masterSecret, String(t._id), keyState(t).currentKid)).update(`display:${customerId}`).digest('base64url').slice(0, 32);

  async function tenant(tenantId: Types.ObjectId): Promise<TenantQr> {
    const t = await models.Tenant.findOne({ _id: tenantId }).lean<TenantQr>();
    if (!t) throw new AppError('UNAUTHENTICATED');
    return t;
  }

  return {
    async codeFor(tenantId: Types.ObjectId, customerId: string, dynamic = false, now = clock.now()): Promise<string> {
      const t = await tenant(tenantId);
      const kid = keyState(t).currentKid;
      return encodeQr({ dynamic, tenant: t.code, customerId, kid, window: dynamic ? currentWindow(now) : undefined }, deriveKey(masterSecret, String(t._id), kid));
    },

    async verifyScan(tenantId: Types.ObjectId, text: string, customerId?: string, scannedAt?: Date, now = clock.now()): Promise<QrVerdict> {
      const t = await tenant(tenantId);
      return verifyQr(text, { tenantId: String(t._id), tenantCode: t.code, customerId }, keyState(t), masterSecret, now, scannedAt);
    },

    /** Path of the store-screen page; its token is signed with the current key, so a rotation revokes it too. */
    async displayPath(tenantId: Types.ObjectId, customerId: string): Promise<string> {
      const t = await tenant(tenantId);
      return `/qr/display/${t.code}/${customerId}?k=${displayToken(t, customerId)}`;
    },

    /** The rotating code currently shown on a store screen, or undefined when the link is not genuine. */
    async currentDisplayCode(tenantCode: string, customerId: string, token: string, now = clock.now()): Promise<string | undefined> {
      const t = await models.Tenant.findOne({ code: tenantCode }).lean<TenantQr>();
      if (!t || !/^[0-9a-f]{24}$/.test(customerId)) return undefined;
      const expected = Buffer.from(displayToken(t, customerId));
      const given = Buffer.from(token);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
      const kid = keyState(t).currentKid;
      return encodeQr({ dynamic: true, tenant: t.code, customerId, kid, window: currentWindow(now) }, deriveKey(masterSecret, String(t._id), kid));
    },

    /** Revokes every printed code at once; with graceHours > 0 the old codes keep working that long. */
    async rotate(tenantId: Types.ObjectId, graceHours: number, now = clock.now()): Promise<{ currentKid: number; graceUntil: Date | null }> {
      const t = await tenant(tenantId);
      const state = keyState(t);
      const graceUntil = graceHours > 0 ? new Date(now.getTime() + graceHours * 3_600_000) : null;
      const next = state.currentKid + 1;
      const updated = await models.Tenant.updateOne(
        { _id: tenantId, 'qr.currentKid': t.qr?.currentKid },
        { $set: { 'qr.currentKid': next, 'qr.previous': graceUntil ? { kid: state.currentKid, graceUntil } : null } },
      );
      if (updated.modifiedCount !== 1) throw new AppError('CONFLICT');
      return { currentKid: next, graceUntil };
    },
  };
}

export type QrService = ReturnType<typeof qrService>;
