// Tenant-wide inputs that are slow to read on the local database and change rarely: who holds which customer, and
// a month's approved plan items. Each is kept as one compact text (kpi.repo.ts saveSnapshot) and refreshed on demand
// (refresh: a rollup rebuild, a job before the morning board) or when it is older than maxAgeMs. An old snapshot is
// still served while one refresh per snapshot runs in the background: re-reading 200 reps' plans takes about 15 s on
// FerretDB, which the first manager to open the board each morning would otherwise wait for. Only a tenant without
// any snapshot yet waits for the first read.
import type { Types } from 'mongoose';
import { addDays } from '../lib/time.ts';
import { logger } from '../lib/logger.ts';
import { append, type Holding, type PlanItem } from './indicators.ts';
import type { KpiRepo } from './kpi.repo.ts';

/** The slice of the plans service the KPIs need: approved planned visits in a date range. */
export interface PlanSource {
  itemsInRange(tenantId: Types.ObjectId, repIds: readonly (Types.ObjectId | string)[] | null, from: string, to: string): Promise<PlanItem[]>;
}

/** "repId=customerId:A,customerId:B;repId=..." */
export function encodeHoldings(byRep: Map<string, Holding[]>): string {
  return [...byRep].map(([rep, list]) => `${rep}=${list.map((h) => `${h.customerId}:${h.cls}`).join(',')}`).join(';');
}

export function decodeHoldings(text: string): Map<string, Holding[]> {
  const out = new Map<string, Holding[]>();
  if (!text) return out;
  for (const part of text.split(';')) {
    const [rep = '', list = ''] = part.split('=');
    out.set(rep, list ? list.split(',').map((h) => { const [customerId = '', cls = 'D'] = h.split(':'); return { customerId, cls }; }) : []);
  }
  return out;
}

/** "repId=DDcustomerIdT,..." per month: DD the day, T o (on site) or p (phone). */
export function encodePlans(items: readonly PlanItem[]): string {
  const byRep = new Map<string, string[]>();
  for (const i of items) append(byRep, String(i.repId), `${i.date.slice(8, 10)}${String(i.customerId)}${i.visitType === 'phone' ? 'p' : 'o'}`);
  return [...byRep].map(([rep, list]) => `${rep}=${list.join(',')}`).join(';');
}

export function decodePlans(month: string, text: string): Map<string, PlanItem[]> {
  const out = new Map<string, PlanItem[]>();
  if (!text) return out;
  for (const part of text.split(';')) {
    const [repId = '', list = ''] = part.split('=');
    out.set(repId, list ? list.split(',').map((x) => ({ repId, date: `${month}-${x.slice(0, 2)}`, customerId: x.slice(2, -1), visitType: x.endsWith('p') ? 'phone' : 'onsite' })) : []);
  }
  return out;
}

const monthEnd = (month: string) => addDays(`${addDays(`${month}-01`, 31).slice(0, 7)}-01`, -1);

/** How long a background refresh waits for the request that started it to answer. */
const BACKGROUND_DELAY_MS = 1500;

export function kpiSnapshots(repo: KpiRepo, plans: PlanSource | undefined, maxAgeMs: number) {
  const fresh = (at: Date) => Date.now() - at.getTime() <= maxAgeMs;
  /** Refreshes under way, one per snapshot key, so a burst of requests starts one re-read, not one each. */
  const running = new Map<string, Promise<unknown>>();

  function once<T>(key: string, work: () => Promise<T>): Promise<T> {
    const seen = running.get(key);
    if (seen) return seen as Promise<T>;
    const p = work().finally(() => running.delete(key));
    running.set(key, p);
    return p;
  }

  /**
   * Starts a refresh a moment later: the request that found the snapshot old answers first from it, instead of
   * sharing the database with a re-read of every plan (the first board of a day is a manager's first click).
   */
  function inBackground(key: string, work: () => Promise<unknown>): void {
    const later = () => new Promise((resolve) => setTimeout(resolve, BACKGROUND_DELAY_MS)).then(work);
    once(key, later).catch((err: Error) => logger.error('kpi snapshot refresh failed', { key, error: err.message }));
  }

  async function refreshHoldings(tenantId: Types.ObjectId): Promise<Map<string, Holding[]>> {
    const byRep = await repo.holdingsNow(tenantId, null);
    await repo.saveSnapshot(`${String(tenantId)}:holdings`, encodeHoldings(byRep), new Date());
    return byRep;
  }

  async function refreshPlans(tenantId: Types.ObjectId, month: string): Promise<Map<string, PlanItem[]>> {
    const items = plans ? await plans.itemsInRange(tenantId, null, `${month}-01`, monthEnd(month)) : [];
    const text = encodePlans(items);
    await repo.saveSnapshot(`${String(tenantId)}:plans:${month}`, text, new Date());
    return decodePlans(month, text);
  }

  return {
    async holdings(tenantId: Types.ObjectId): Promise<Map<string, Holding[]>> {
      const key = `${String(tenantId)}:holdings`;
      const snap = await repo.readSnapshot(key);
      if (!snap) return once(key, () => refreshHoldings(tenantId));
      if (!fresh(snap.at)) inBackground(key, () => refreshHoldings(tenantId));
      return decodeHoldings(snap.text);
    },

    /** Every rep's approved plan items of the months in [from, to], within those dates; null without plans. */
    async planItems(tenantId: Types.ObjectId, months: string[], from: string, to: string): Promise<Map<string, PlanItem[]> | null> {
      if (!plans) return null;
      const out = new Map<string, PlanItem[]>();
      for (const month of months) {
        const key = `${String(tenantId)}:plans:${month}`;
        const snap = await repo.readSnapshot(key);
        if (snap && !fresh(snap.at)) inBackground(key, () => refreshPlans(tenantId, month));
        const byRep = snap ? decodePlans(month, snap.text) : await once(key, () => refreshPlans(tenantId, month));
        for (const [rep, list] of byRep) append(out, rep, ...list.filter((i) => i.date >= from && i.date <= to));
      }
      return out;
    },

    /** Resolves when the background refreshes under way have finished (shutdown, tests). */
    settled: async (): Promise<void> => { await Promise.allSettled([...running.values()]); },

    /** Re-reads holdings and the given months' plans now (e.g. before the morning board). */
    async refresh(tenantId: Types.ObjectId, months: string[]): Promise<{ reps: number; customers: number; planItems: number }> {
      const byRep = await refreshHoldings(tenantId);
      let planItems = 0;
      for (const month of months) for (const list of (await refreshPlans(tenantId, month)).values()) planItems += list.length;
      return { reps: byRep.size, customers: [...byRep.values()].reduce((a, l) => a + l.length, 0), planItems };
    },
  };
}
