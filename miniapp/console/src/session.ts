// Who is using the console: the session in localStorage under its own key, so a rep signed into the mini-app in the
// same browser (same origin) never shares a token with a manager here.
import { reactive } from 'vue';

export interface ConsoleUser { id: string; username: string; name: string; role: 'admin' | 'manager' | 'rep' }
export interface ConsoleTenant { id?: string; code: string; name: string }
export interface LoginResult { token: string; expiresAt: string; user: ConsoleUser; tenant: ConsoleTenant }

const KEY = 'fv.console.session';

function read(): LoginResult | null {
  try {
    const raw = localStorage.getItem(KEY);
    const s = raw ? (JSON.parse(raw) as LoginResult) : null;
    return s && new Date(s.expiresAt).getTime() > Date.now() ? s : null;
  } catch {
    return null;
  }
}

export const session = reactive<{ current: LoginResult | null }>({ current: read() });

export function signIn(result: LoginResult): void {
  session.current = result;
  localStorage.setItem(KEY, JSON.stringify(result));
}

export function signOut(): void {
  session.current = null;
  localStorage.removeItem(KEY);
}

export const isAdmin = () => session.current?.user.role === 'admin';
