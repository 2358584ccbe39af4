// Scoring templates (评分模板): weights, grade bands, thresholds and authenticity parameters, versioned like forms.
import type { Models } from '../db/models.ts';
import { versionedService, type Actor } from '../versioning/versioned.service.ts';
import type { VersionedDoc } from '../versioning/versioned.model.ts';
import type { TemplatesService } from '../templates/templates.service.ts';
import { checkScoring, type ScoringConfig } from './scoring-check.ts';
import type { Types } from 'mongoose';
import type { VersionRecord } from '../versioning/versioned.model.ts';
import { readAuthenticityParams, type AuthenticityBlock, type AuthenticityParams } from '../verification/params.ts';

/**
 * How long this process trusts the scoring template in force before reading it again. A publish on this instance
 * takes effect at once; one on another instance within this time (every submit and rollup reads the template).
 */
const IN_FORCE_TTL_MS = 5_000;

export function scoringService(models: Models, templates: TemplatesService) {
  const inForce = new Map<string, { until: number; config: ScoringConfig }>();
  const versions = versionedService(
    {
      label: { zh: '评分模板', en: 'Scoring template' }, invalidCode: 'SCORING_INVALID', check: checkScoring,
      onPublished: (v) => { inForce.delete(String(v.tenantId)); },
    },
    models.ScoringTemplate,
    models.ScoringVersion,
    '/config',
  );
  async function activeConfig(tenantId: Types.ObjectId): Promise<ScoringConfig> {
    const hit = inForce.get(String(tenantId));
    if (hit && hit.until > Date.now()) return hit.config;
    const latest = await models.ScoringVersion.findOne({ tenantId }).sort({ publishedAt: -1 }).lean<VersionRecord>();
    const config = (latest?.content ?? (await templates.get(tenantId, 'scoring', 'default')).content) as ScoringConfig;
    inForce.set(String(tenantId), { until: Date.now() + IN_FORCE_TTL_MS, config });
    return config;
  }

  return {
    ...versions,

    /** The authenticity parameters of a scoring template's current draft (for what-if before publishing). */
    async draftAuthenticity(actor: Actor, id: string): Promise<AuthenticityParams> {
      const doc = await versions.get(actor, id);
      return readAuthenticityParams((doc.draft.content as ScoringConfig).authenticity as AuthenticityBlock);
    },

    /** The authenticity parameters in force: the newest published scoring template, else the built-in default. */
    async activeAuthenticity(tenantId: Types.ObjectId): Promise<AuthenticityParams> {
      return readAuthenticityParams((await activeConfig(tenantId)).authenticity as AuthenticityBlock);
    },

    /** The scoring template in force: the newest published one, else the built-in default. */
    activeConfig,
    async createFromTemplate(actor: Actor, input: { templateKey: string; templateVersion?: number; name?: string; description?: string }): Promise<VersionedDoc> {
      const template = await templates.get(actor.tenantId, 'scoring', input.templateKey, input.templateVersion);
      return versions.create(actor, {
        name: input.name ?? template.name,
        description: input.description ?? template.description,
        content: template.content,
        source: { templateKey: template.key, templateVersion: template.version },
      });
    },
  };
}

export type ScoringService = ReturnType<typeof scoringService>;
