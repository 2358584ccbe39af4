// Wire shapes of the KPI endpoints the board reads (server/kpis/*: GET /api/kpis, /api/kpis/trend, /api/kpis/funnel).
export type Band = 'green' | 'yellow' | 'red';
/** A rep's light: a band, or 'none' (grey, 暂无数据) without data in the period. */
export type Light = Band | 'none';
export type Scope = 'rep' | 'team' | 'tenant';

export interface IndicatorView {
  value: number | null;
  band: Band | null;
  unit: string;
  name_zh: string;
  name_en: string;
  green: number | null;
  yellow: number | null;
  target: number | null;
  direction: 'higher' | 'lower';
}

export interface RepRow {
  repId: string;
  repName: string;
  managerId: string | null;
  managerName: string;
  score: number | null;
  grade: string | null;
  grade_en: string | null;
  maintenanceZeroed: boolean;
  /**
   * The rep's light as the board and the morning message judge it: red if any judged indicator is red, else yellow,
   * else green; 'none' without a visit or a follow-up due in the period (then score and grade are null).
   */
  band: Light;
  reason_zh: string | null;
  reason_en: string | null;
  bands: Record<string, Band | null>;
  values: Record<string, number | null>;
  counts: { visits: number; green: number; yellow: number; red: number; valid: number };
}

export interface KpiResult {
  scope: Scope;
  id: string | null;
  name: string;
  period: { from: string; to: string; days: number; fraction: number };
  indicators: Record<string, IndicatorView>;
  counts: { visits: number; green: number; yellow: number; red: number; valid: number; held: number; covered: number; planned: number | null; plannedDone: number };
  averageScore: number | null;
  reps: RepRow[];
}

export interface TrendDay {
  date: string;
  visits: number;
  onsite: number;
  phone: number;
  green: number;
  yellow: number;
  red: number;
  valid: number;
  validVisitRate: number | null;
  avgVisitMinutes: number | null;
  followUpsDue: number;
  followUpsOnTime: number;
}

export interface TrendResult {
  scope: Scope;
  id: string | null;
  period: { from: string; to: string };
  thresholds: { validVisitRate: { green: number; yellow: number } | null; avgVisitMinutes: { green: number; yellow: number } | null };
  days: TrendDay[];
}

export interface FunnelStepRow {
  step: string;
  name_zh: string;
  name_en: string;
  count: number;
  conversion: number | null;
  fromStart: number | null;
  medianMinutes: number | null;
}

export interface FunnelResult {
  visits: number;
  steps: FunnelStepRow[];
  conversion: number | null;
  bottleneck: { step: string; from: string; conversion: number; lost: number; medianMinutes: number | null; reason_zh: string; reason_en: string } | null;
}

export interface UserItem { id: string; username: string; name: string; role: string; managerId: string | null; active?: boolean }
