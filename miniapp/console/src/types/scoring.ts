// Wire shapes of the scoring-template API (server/scoring/, schemas/scoring-template.schema.json) as the console reads them.
export type Band = 'green' | 'yellow' | 'red';

export interface ScoringGroup {
  key: string; name: string; name_en?: string; weight: number;
  indicators: { key: string; weight: number }[];
}
export interface GradeBand { min: number; label: string; label_en: string }
export interface IndicatorSpec {
  name: string; name_en?: string; unit?: string; direction: 'higher' | 'lower'; green: number; yellow: number; target?: number;
}
export interface CoverageRule { onSitePerMonth?: number; phonePerMonth?: number; onSitePerQuarter?: number; minContacts?: number }

export interface ScoringConfig {
  groups: ScoringGroup[];
  gradeBands: GradeBand[];
  validVisitThreshold: number;
  indicators: Record<string, IndicatorSpec>;
  maintenance?: { group?: string; minCoverageRate?: number; minFrequencyCompliance?: number };
  coverage: Record<string, CoverageRule>;
  authenticity: {
    bands: { green: number; yellow: number };
    minStayMinutes: Record<string, number>;
    ruleWeights: Record<string, number>;
    [param: string]: unknown;
  };
}

export interface ScoringTemplate {
  id: string; name: string; description: string; status: 'draft' | 'published' | 'archived';
  source: { templateKey: string; templateVersion: number } | null;
  latestVersion: number;
  draft: { config: ScoringConfig; revision: number; updatedAt: string };
  createdAt: string; updatedAt: string;
}

export interface ScoringVersion { id: string; docId: string; version: number; note: string; publishedAt: string; publishedBy: string; config?: ScoringConfig }

export interface LibraryTemplate { kind: 'scoring' | 'form'; key: string; version: number; name: string; name_en?: string; industry?: string; description?: string }

export interface VerdictChange {
  visitId: string; repId: string; repName: string; customer: string;
  before: { band: Band; score: number };
  after: { band: Band; score: number; reasons: string[] };
}
export interface GradeView { score: number | null; grade: string | null; grade_en: string | null }
export interface GradeChange {
  repId: string; repName: string; before: GradeView; after: GradeView;
  indicators: { key: string; name: string; name_en: string; unit: string; before: number | null; after: number | null }[];
}
export interface WhatIfResult {
  total: number; changed: number;
  before: Record<Band, number>; after: Record<Band, number>;
  changes: VerdictChange[];
  grades: { reps: number; changed: number; scoreChanged: number; changes: GradeChange[] };
}
