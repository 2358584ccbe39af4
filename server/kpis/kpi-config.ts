// What the KPIs read from other domains: the scoring template in force (the newest published one, else the
// built-in default) and the approved plan items.
import type { Types } from 'mongoose';
import { withDefaults, type KpiScoringConfig } from './scorecard.ts';
import type { PlanItem } from './indicators.ts';

export type ScoringConfigSource = (tenantId: Types.ObjectId) => Promise<KpiScoringConfig>;

export function activeScoringConfig(scoring: { activeConfig(tenantId: Types.ObjectId): Promise<unknown> }): ScoringConfigSource {
  return async (tenantId) => withDefaults(structuredClone(await scoring.activeConfig(tenantId)) as KpiScoringConfig);
}

/** The slice of the plans service the KPIs need: the approved planned visits in a date range (some reps, or all). */
export interface PlanSource {
  itemsInRange(tenantId: Types.ObjectId, repIds: readonly (Types.ObjectId | string)[] | null, from: string, to: string): Promise<PlanItem[]>;
}
