// An appeal as the console shows it: the appeal, the visit it is about (machine verdict with its reasons, the band
// that counts now) and links to the rep's extra photos. Pure.
import { effectiveBand, type Band } from '../reviews/reviews.service.ts';
import type { VisitDoc } from '../visits/visit.model.ts';
import type { AppealDoc } from './appeal.model.ts';

export interface PhotoLink { id: string; url: string; receivedAt: Date }

interface MachineVerdict { band?: Band; score?: number; reasons?: unknown[] }

export function appealView(a: AppealDoc, visit: VisitDoc | undefined, photos: PhotoLink[]) {
  const verdict = (visit?.verdict ?? null) as MachineVerdict | null;
  return {
    id: a._id, status: a.status, visitId: a.visitId,
    rep: { id: a.repId, name: a.repName },
    customer: { id: a.customerId, name: a.customerName, address: visit?.customer.address ?? null, type: visit?.customer.type ?? null, class: visit?.customer.class ?? null },
    visitAt: a.visitAt,
    note: a.note, photos, filedAt: a.filedAt,
    machine: { band: verdict?.band ?? a.machineBand, score: verdict?.score ?? a.machineScore, reasons: verdict?.reasons ?? [] },
    bandAtFiling: a.bandAtFiling,
    effectiveBand: visit ? effectiveBand(visit as Parameters<typeof effectiveBand>[0]) ?? null : null,
    decision: a.decision ? { decision: a.decision.decision, reason: a.decision.reason, band: a.decision.band, bandBefore: a.decision.bandBefore, byName: a.decision.byName, at: a.decision.at } : null,
    notice: a.notice ? { status: a.notice.status, at: a.notice.at } : null,
  };
}

export type AppealView = ReturnType<typeof appealView>;

/** Waiting appeals first, the longest-waiting on top; decided ones after, the latest decision on top. */
export function queueOrder(a: Pick<AppealDoc, 'status' | 'filedAt' | 'decision'>, b: Pick<AppealDoc, 'status' | 'filedAt' | 'decision'>): number {
  const pa = a.status === 'pending' ? 0 : 1;
  const pb = b.status === 'pending' ? 0 : 1;
  if (pa !== pb) return pa - pb;
  if (pa === 0) return a.filedAt.getTime() - b.filedAt.getTime();
  return (b.decision?.at.getTime() ?? 0) - (a.decision?.at.getTime() ?? 0);
}
