// Scoring templates (评分模板): weights, grade bands, thresholds and authenticity parameters, versioned like forms.
import type { Models } from '../db/models.ts';
import { versionedService, type Actor } from '../versioning/versioned.service.ts';
import type { VersionedDoc } from '../versioning/versioned.model.ts';
import type { TemplatesService } from '../templates/templates.service.ts';
import { checkScoring } from './scoring-check.ts';

export function scoringService(models: Models, templates: TemplatesService) {
  const versions = versionedService(
    { label: { zh: '评分模板', en: 'Scoring template' }, invalidCode: 'SCORING_INVALID', check: checkScoring },
    models.ScoringTemplate,
    models.ScoringVersion,
    '/config',
  );
  return {
    ...versions,
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
