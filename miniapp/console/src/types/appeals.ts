// Wire shapes of the appeals API (server/appeals/appeal-view.ts: appealView; GET /api/appeals, POST /api/appeals/:id/decide).
export type AppealStatus = 'pending' | 'upheld' | 'overturned';
export type Band = 'green' | 'yellow' | 'red';

export interface AppealReason {
  code: string; counted?: boolean; measured?: number; threshold?: number; unit?: string; message_zh: string; message_en: string;
}

export interface AppealDecision {
  decision: 'uphold' | 'overturn'; reason: string; band: Band; bandBefore: Band; byName: string; at: string;
}

export interface Appeal {
  id: string; status: AppealStatus; visitId: string;
  rep: { id: string; name: string };
  customer: { id: string; name: string; address: string | null; type: string | null; class: string | null };
  visitAt: string; note: string; filedAt: string;
  photos: { id: string; url: string; receivedAt: string }[];
  machine: { band: Band | null; score: number | null; reasons: AppealReason[] };
  bandAtFiling: Band; effectiveBand: Band | null;
  decision: AppealDecision | null;
  notice: { status: 'queued' | 'unreachable' | 'failed'; at: string } | null;
}

export interface AppealList { items: Appeal[]; pending: number }

export interface DecideBody { decision: 'uphold' | 'overturn'; reason: string; band?: 'green' | 'yellow' }
