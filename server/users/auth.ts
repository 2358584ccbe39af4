// Authentication (who is calling) and authorization (may they) as Koa middleware.
import type { Context, Next } from 'koa';
import type { Types } from 'mongoose';
import { AppError } from '../http/errors.ts';
import { sha256Hex } from '../lib/ids.ts';
import type { Models } from '../db/models.ts';
import type { Role } from './user.model.ts';
import { systemClock, type Clock } from '../lib/clock.ts';

export interface AuthState {
  tenantId: Types.ObjectId;
  userId: Types.ObjectId;
  role: Role;
  name: string;
}

declare module 'koa' {
  interface DefaultState { auth?: AuthState }
}

function bearerToken(ctx: Context): string | undefined {
  const header = ctx.get('authorization');
  const match = /^Bearer ([A-Za-z0-9_-]{20,100})$/.exec(header);
  return match?.[1];
}

export function authenticate(models: Models, clock: Clock = systemClock) {
  return async function requireSession(ctx: Context, next: Next): Promise<void> {
    const token = bearerToken(ctx);
    if (!token) throw new AppError('UNAUTHENTICATED');
    const session = await models.Session.findOne({ tokenHash: sha256Hex(token) }).lean();
    if (!session) throw new AppError('UNAUTHENTICATED');
    if (session.expiresAt.getTime() <= clock.now().getTime()) throw new AppError('SESSION_EXPIRED');
    const user = await models.User.findOne({ tenantId: session.tenantId, _id: session.userId, active: true }).lean();
    if (!user) throw new AppError('UNAUTHENTICATED');
    ctx.state.auth = { tenantId: session.tenantId, userId: user._id, role: user.role as Role, name: user.name };
    await next();
  };
}

export function authorize(roles: readonly Role[]) {
  return async function requireRole(ctx: Context, next: Next): Promise<void> {
    const auth = ctx.state.auth;
    if (!auth || !roles.includes(auth.role)) throw new AppError('FORBIDDEN');
    await next();
  };
}
