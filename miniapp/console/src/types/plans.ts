// Wire shapes of the monthly plan API (server/plans/plans.service.ts: planSummary, planView, Coverage).
export type PlanStatus = 'draft' | 'submitted' | 'approved' | 'returned';
export type PlanAction = 'created' | 'edited' | 'submitted' | 'approved' | 'returned' | 'resubmitted';

export interface PlanSummary {
  id: string; repId: string; repName: string; month: string; status: PlanStatus; revision: number; itemCount: number;
  submittedAt: string | null; gapsAtSubmit: number | null; decidedAt: string | null; decidedBy: string | null;
  decidedByName: string | null; createdAt: string; updatedAt: string;
}

export interface PlanItem {
  id: string; date: string; customerId: string; customerName: string; purpose: string; purposeNote: string;
  visitType: 'onsite' | 'phone'; contactName: string; contactPhone: string;
}

export interface PlanHistoryEntry { at: string; by: string; byName: string; action: PlanAction; comment: string | null; revision: number }

export interface CoverageGap {
  customerId: string; customerName: string; class: 'A' | 'B' | 'C' | 'D';
  need: 'onsiteThisMonth' | 'contactThisMonth' | 'onsiteThisQuarter'; message_zh: string; message_en: string;
}
export interface Coverage { ok: boolean; missing: CoverageGap[] }

export interface PlanDetail extends Omit<PlanSummary, 'itemCount'> {
  items: PlanItem[]; history: PlanHistoryEntry[]; coverage: Coverage;
}
