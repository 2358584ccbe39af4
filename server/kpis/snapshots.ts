// Tenant-wide inputs that are slow to read on the local database and change rarely: who holds which customer, and
// a month's approved plan items. Each is kept as one compact text (kpi.repo.ts saveSnapshot) and refreshed when it
// is older than maxAgeMs, or on demand (refresh): a job can refresh them before the morning board.
import type { Types } from 'mongoose';
import { addDays } from '../lib/time.ts';
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

export function kpiSnapshots(repo: KpiRepo, plans: PlanSource | undefined, maxAgeMs: number) {
  const fresh = (at: Date) => Date.now() - at.getTime() <= maxAgeMs;

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
      const snap = await repo.readSnapshot(`${String(tenantId)}:holdings`);
      return snap && fresh(snap.at) ? decodeHoldings(snap.text) : refreshHoldings(tenantId);
    },

    /** Every rep's approved plan items of the months in [from, to], within those dates; null without plans. */
    async planItems(tenantId: Types.ObjectId, months: string[], from: string, to: string): Promise<Map<string, PlanItem[]> | null> {
      if (!plans) return null;
      const out = new Map<string, PlanItem[]>();
      for (const month of months) {
        const snap = await repo.readSnapshot(`${String(tenantId)}:plans:${month}`);
        const byRep = snap && fresh(snap.at) ? decodePlans(month, snap.text) : await refreshPlans(tenantId, month);
        for (const [rep, list] of byRep) append(out, rep, ...list.filter((i) => i.date >= from && i.date <= to));
      }
      return out;
    },

    /** Re-reads holdings and the given months' plans now (e.g. before the morning board). */
    async refresh(tenantId: Types.ObjectId, months: string[]): Promise<{ reps: number; customers: number; planItems: number }> {
      const byRep = await refreshHoldings(tenantId);
      let planItems = 0;
      for (const month of months) for (const list of (await refreshPlans(tenantId, month)).values()) planItems += list.length;
      return { reps: byRep.size, customers: [...byRep.values()].reduce((a, l) => a + l.length, 0), planItems };
    },
  };
}
