// The token cache: values live until shortly before the host's expiry, concurrent callers share one fetch, a
// refused token is dropped once (not once per caller), and a failed fetch is not cached.
import { describe, expect, it } from 'vitest';
import { TokenCache, withToken, type Issued } from '../../../server/hosts/common/token-cache.ts';

function counter(values: string[], expiresInSec = 7200, delayMs = 5) {
  let calls = 0;
  const fetch = async (): Promise<Issued> => {
    const value = values[Math.min(calls, values.length - 1)] as string;
    calls += 1;
    await new Promise((r) => setTimeout(r, delayMs));
    return { value, expiresInSec };
  };
  return { fetch, calls: () => calls };
}

describe('TokenCache', () => {
  it('keeps a value until 5 minutes before expires_in, then fetches a new one', async () => {
    let now = 1_000_000;
    const cache = new TokenCache({ now: () => now });
    const src = counter(['t1', 't2']);
    expect(await cache.get('k', src.fetch)).toBe('t1');
    now += (7200 - 301) * 1000;
    expect(await cache.get('k', src.fetch)).toBe('t1');
    expect(src.calls()).toBe(1);
    now += 2000; // now inside the 5-minute margin
    expect(await cache.get('k', src.fetch)).toBe('t2');
    expect(src.calls()).toBe(2);
  });

  it('keeps a short-lived value for half its life', async () => {
    let now = 0;
    const cache = new TokenCache({ now: () => now });
    const src = counter(['a', 'b'], 60);
    await cache.get('k', src.fetch);
    now = 29_000;
    expect(await cache.get('k', src.fetch)).toBe('a');
    now = 31_000;
    expect(await cache.get('k', src.fetch)).toBe('b');
  });

  it('20 concurrent callers cause one fetch and all get the same value', async () => {
    const cache = new TokenCache();
    const src = counter(['only'], 7200, 30);
    const got = await Promise.all(Array.from({ length: 20 }, () => cache.get('k', src.fetch)));
    expect(new Set(got)).toEqual(new Set(['only']));
    expect(src.calls()).toBe(1);
  });

  it('keys are independent', async () => {
    const cache = new TokenCache();
    const a = counter(['a']);
    const b = counter(['b']);
    expect(await cache.get('tenant-a', a.fetch)).toBe('a');
    expect(await cache.get('tenant-b', b.fetch)).toBe('b');
  });

  it('a failed fetch is not cached: the next caller tries again', async () => {
    const cache = new TokenCache();
    let fail = true;
    const fetch = async (): Promise<Issued> => {
      if (fail) throw new Error('host down');
      return { value: 'ok', expiresInSec: 7200 };
    };
    await expect(cache.get('k', fetch)).rejects.toThrow('host down');
    fail = false;
    expect(await cache.get('k', fetch)).toBe('ok');
  });

  it('invalidate(key, refused) drops only the refused value', async () => {
    const cache = new TokenCache();
    const src = counter(['old', 'new']);
    await cache.get('k', src.fetch);
    cache.invalidate('k', 'something-else');
    expect(await cache.get('k', src.fetch)).toBe('old');
    cache.invalidate('k', 'old');
    expect(await cache.get('k', src.fetch)).toBe('new');
    expect(src.calls()).toBe(2);
  });
});

describe('withToken', () => {
  const expired = (e: unknown) => (e as Error).message === 'expired';

  it('retries once with a fresh token when the host says the token expired', async () => {
    const cache = new TokenCache();
    const src = counter(['stale', 'fresh']);
    const seen: string[] = [];
    const result = await withToken(cache, 'k', src.fetch, async (t) => {
      seen.push(t);
      if (t === 'stale') throw new Error('expired');
      return 'done';
    }, expired);
    expect(result).toBe('done');
    expect(seen).toEqual(['stale', 'fresh']);
  });

  it('does not retry forever: a second refusal is thrown', async () => {
    const cache = new TokenCache();
    const src = counter(['a', 'b', 'c']);
    let attempts = 0;
    await expect(withToken(cache, 'k', src.fetch, async () => { attempts += 1; throw new Error('expired'); }, expired)).rejects.toThrow('expired');
    expect(attempts).toBe(2);
    expect(src.calls()).toBe(2);
  });

  it('other errors are not retried', async () => {
    const cache = new TokenCache();
    const src = counter(['a']);
    let attempts = 0;
    await expect(withToken(cache, 'k', src.fetch, async () => { attempts += 1; throw new Error('boom'); }, expired)).rejects.toThrow('boom');
    expect(attempts).toBe(1);
  });

  it('20 concurrent calls that all meet an expired token refresh it once', async () => {
    const cache = new TokenCache();
    const src = counter(['stale', 'fresh', 'third'], 7200, 20);
    const results = await Promise.all(Array.from({ length: 20 }, () => withToken(cache, 'k', src.fetch, async (t) => {
      await new Promise((r) => setTimeout(r, 5));
      if (t === 'stale') throw new Error('expired');
      return t;
    }, expired)));
    expect(new Set(results)).toEqual(new Set(['fresh']));
    expect(src.calls()).toBe(2);
  });
});
