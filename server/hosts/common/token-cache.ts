// Access tokens and JS-API tickets of the hosts: fetched with the tenant's credentials, kept until shortly before
// they expire, refreshed once for all concurrent callers, and dropped when the host says one is no longer valid.
// Hosts limit how often tokens and tickets may be fetched (WeCom: ticket ≤400/hour per corp), so caching is required.

export interface Issued {
  value: string;
  /** Lifetime the host announced (expires_in), in seconds. */
  expiresInSec: number;
}

interface Entry { value: string; expiresAt: number }

export interface TokenCacheOptions {
  /** Refresh this long before the announced expiry. */
  marginMs?: number;
  now?: () => number;
}

export class TokenCache {
  private readonly entries = new Map<string, Entry>();
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly marginMs: number;
  private readonly now: () => number;

  constructor(options: TokenCacheOptions = {}) {
    this.marginMs = options.marginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached value, or one fresh fetch shared by every caller that asks while it runs. */
  async get(key: string, fetch: () => Promise<Issued>): Promise<string> {
    const entry = this.entries.get(key);
    if (entry && entry.expiresAt > this.now()) return entry.value;
    const running = this.inflight.get(key);
    if (running) return running;
    const refresh = this.refresh(key, fetch);
    this.inflight.set(key, refresh);
    try {
      return await refresh;
    } finally {
      this.inflight.delete(key);
    }
  }

  /**
   * Drops the value the host refused. Passing the refused value makes this a no-op once another caller has already
   * replaced it, so a burst of "token expired" answers causes one refresh, not one per caller.
   */
  invalidate(key: string, refused?: string): void {
    const entry = this.entries.get(key);
    if (entry && (refused === undefined || entry.value === refused)) this.entries.delete(key);
  }

  private async refresh(key: string, fetch: () => Promise<Issued>): Promise<string> {
    const issued = await fetch();
    const lifetimeMs = issued.expiresInSec * 1000;
    // A short-lived value (shorter than twice the margin) is kept for half its life instead.
    const keepMs = lifetimeMs > 2 * this.marginMs ? lifetimeMs - this.marginMs : lifetimeMs / 2;
    this.entries.set(key, { value: issued.value, expiresAt: this.now() + keepMs });
    return issued.value;
  }
}

/**
 * Runs `call` with a cached token; when the host answers that the token expired, drops it and retries exactly once
 * with a fresh one (a second refusal is thrown, so a broken secret cannot loop).
 */
export async function withToken<T>(
  tokens: TokenCache,
  key: string,
  fetch: () => Promise<Issued>,
  call: (token: string) => Promise<T>,
  isExpired: (err: unknown) => boolean,
): Promise<T> {
  const token = await tokens.get(key, fetch);
  try {
    return await call(token);
  } catch (err) {
    if (!isExpired(err)) throw err;
    tokens.invalidate(key, token);
    return call(await tokens.get(key, fetch));
  }
}
