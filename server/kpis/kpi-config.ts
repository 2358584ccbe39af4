// The scoring template in force for the KPIs: the newest published one, else the built-in default.
import type { Types } from 'mongoose';
import type { TemplatesService } from '../templates/templates.service.ts';
import type { KpiRepo } from './kpi.repo.ts';
import { withDefaults, type KpiScoringConfig } from './scorecard.ts';

export type ScoringConfigSource = (tenantId: Types.ObjectId) => Promise<KpiScoringConfig>;

export function activeScoringConfig(repo: KpiRepo, templates: Pick<TemplatesService, 'get'>): ScoringConfigSource {
  return async (tenantId) => {
    const published = await repo.publishedScoring(tenantId);
    const content = published ?? (await templates.get(tenantId, 'scoring', 'default')).content;
    return withDefaults(content as KpiScoringConfig);
  };
}
