// Who is using the app: the tenant code and the session, kept in localStorage so a restart stays logged in.
import { reactive } from 'vue';
import type { LoginResult, Tenant, User } from './api/types.ts';

const KEY = 'fv.session';
const TENANT_KEY = 'fv.tenant';

interface Stored { token: string; expiresAt: string; user: User; tenant: Tenant }

function read(): Stored | null {
  try {
    const raw = localStorage.getItem(KEY);
    const s = raw ? (JSON.parse(raw) as Stored) : null;
    return s && new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export const session = reactive<{ current: Stored | null; tenantCode: string | null }>({
  current: read(),
  tenantCode: localStorage.getItem(TENANT_KEY),
});

export function rememberTenant(code: string): void {
  session.tenantCode = code;
  localStorage.setItem(TENANT_KEY, code);
}

export function signIn(result: LoginResult): void {
  const stored: Stored = { token: result.token, expiresAt: result.expiresAt, user: result.user, tenant: result.tenant };
  session.current = stored;
  localStorage.setItem(KEY, JSON.stringify(stored));
}

export function signOut(): void {
  session.current = null;
  localStorage.removeItem(KEY);
}

/** The owner of offline data: a phone may be shared, and one rep's queue must never be sent with another's token. */
export function ownerKey(): string | null {
  const s = session.current;
  return s ? `${s.tenant.code}:${s.user.id}` : null;
}
