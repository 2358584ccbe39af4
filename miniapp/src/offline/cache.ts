// Reference data kept on the phone so screens open without a network: the rep's customers, today's list and the
// published forms. Live data wins whenever the server answers; the cache is only the fallback.
import { api, ApiError } from '../api/client.ts';
import type { Customer, FormSchema, FormSummary, FormVersion } from '../api/types.ts';
import { ownerKey } from '../session.ts';
import { db } from './db.ts';

export interface Fetched<T> { data: T; fromCache: boolean; at: number }

const scoped = (key: string) => `${ownerKey() ?? 'anon'}|${key}`;

export async function readCache<T>(key: string): Promise<{ data: T; at: number } | undefined> {
  const e = await (await db()).get('cache', scoped(key));
  return e ? { data: e.data as T, at: e.at } : undefined;
}

export async function writeCache(key: string, data: unknown): Promise<void> {
  // Plain data only: callers may hand in Vue proxies, which IndexedDB cannot clone.
  await (await db()).put('cache', { key: scoped(key), at: Date.now(), data: JSON.parse(JSON.stringify(data)) as unknown });
}

/** Fetches and caches; on a network failure returns the cached copy (or rethrows when there is none). */
export async function fetchCached<T>(key: string, path: string): Promise<Fetched<T>> {
  try {
    const data = await api<T>(path);
    await writeCache(key, data);
    return { data, fromCache: false, at: Date.now() };
  } catch (err) {
    if (!(err instanceof ApiError) || !err.transient) throw err;
    const hit = await readCache<T>(key);
    if (!hit) throw err;
    return { ...hit, fromCache: true };
  }
}

/** A published form version never changes, so once fetched it is kept for good. */
export async function pinnedForm(formId: string, version: number): Promise<FormSchema> {
  const key = `form:${formId}@${version}`;
  const hit = await readCache<FormSchema>(key);
  if (hit) return hit.data;
  const v = await api<FormVersion>(`/forms/${formId}/versions/${version}`);
  await writeCache(key, v.schema);
  return v.schema;
}

export async function myCustomers(q = ''): Promise<Fetched<Customer[]>> {
  const path = `/customers?limit=200${q ? `&q=${encodeURIComponent(q)}` : ''}`;
  const res = await fetchCached<{ items: Customer[] }>(q ? `customers?q=${q}` : 'customers', path).catch(async (err) => {
    // Searching offline: filter the full cached list instead.
    const all = await readCache<{ items: Customer[] }>('customers');
    if (!all) throw err;
    const needle = q.toLowerCase();
    return { data: { items: all.data.items.filter((c) => `${c.name}${c.address}${c.code ?? ''}`.toLowerCase().includes(needle)) }, fromCache: true, at: all.at };
  });
  return { ...res, data: res.data.items };
}

export async function cachedCustomer(id: string): Promise<Customer | undefined> {
  const one = await readCache<Customer>(`customer:${id}`);
  if (one) return one.data;
  return (await readCache<{ items: Customer[] }>('customers'))?.data.items.find((c) => c.id === id);
}

/**
 * Keeps what a visit needs without a network: the customer list and the latest version of every published form,
 * so a visit started offline can show its checklist at once (the server pins the real version on arrival).
 */
export async function prefetchForOffline(): Promise<void> {
  await myCustomers().catch(() => undefined);
  const forms = await fetchCached<{ items: FormSummary[] }>('forms', '/forms?status=published').catch(() => undefined);
  for (const f of forms?.data.items ?? []) {
    if (f.latestVersion > 0) await pinnedForm(f.id, f.latestVersion).catch(() => undefined);
  }
}

/** The form the server will most likely pin for this customer (the same ranking as forms.applicableVersion). */
export async function predictForm(type: string, cls: string): Promise<{ formId: string; version: number } | undefined> {
  const forms = (await readCache<{ items: FormSummary[] }>('forms'))?.data.items ?? [];
  const rank = (f: FormSummary) => {
    const types = f.appliesTo?.customerTypes ?? [];
    const classes = f.appliesTo?.customerClasses ?? [];
    if ((types.length > 0 && !types.includes(type)) || (classes.length > 0 && !classes.includes(cls))) return -1;
    return (types.length > 0 ? 2 : 0) + (classes.length > 0 ? 1 : 0);
  };
  const best = forms.map((f) => ({ f, r: rank(f) })).filter((x) => x.r >= 0 && x.f.latestVersion > 0).sort((a, b) => b.r - a.r)[0];
  return best ? { formId: best.f.id, version: best.f.latestVersion } : undefined;
}
