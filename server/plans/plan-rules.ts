// Where the coverage obligations come from: the tenant's active scoring template (the newest published version of
// any of its scoring templates, as for the authenticity parameters), else the built-in default template.
import type { Types } from 'mongoose';
import { readCoverageRules, type CoverageRules } from './plan-coverage.ts';

interface Actor { tenantId: Types.ObjectId; userId: Types.ObjectId }

/** The slices of the scoring and templates services this needs. */
export interface ScoringReader {
  list(actor: Actor): Promise<{ _id: Types.ObjectId; latestVersion: number }[]>;
  getVersion(actor: Actor, id: string, version: number): Promise<{ content: unknown; publishedAt: Date }>;
}
export interface DefaultTemplates {
  get(tenantId: Types.ObjectId, kind: 'scoring', key: string): Promise<{ content: unknown }>;
}

export function activeCoverageRules(scoring: ScoringReader, templates: DefaultTemplates) {
  return async function coverageRules(actor: Actor): Promise<CoverageRules> {
    // A tenant keeps a handful of scoring templates: read each one's latest version and take the newest.
    const published = (await scoring.list(actor)).filter((d) => d.latestVersion > 0);
    const versions = await Promise.all(published.map((d) => scoring.getVersion(actor, String(d._id), d.latestVersion)));
    const newest = versions.reduce<(typeof versions)[number] | undefined>((a, b) => (a && a.publishedAt >= b.publishedAt ? a : b), undefined);
    return readCoverageRules(newest?.content ?? (await templates.get(actor.tenantId, 'scoring', 'default')).content);
  };
}
