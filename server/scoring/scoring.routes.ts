// Scoring template routes: create (blank or from a template) plus the shared draft/publish routes.
import { route } from '../http/route.ts';
import { versionedRoutes } from '../versioning/versioned.routes.ts';
import type { VersionedDoc } from '../versioning/versioned.model.ts';
import type { ScoringService } from './scoring.service.ts';

const MANAGERS = ['admin', 'manager'] as const;

export function scoringView(doc: VersionedDoc) {
  return {
    id: doc._id, name: doc.name, description: doc.description, status: doc.status, source: doc.source ?? null,
    latestVersion: doc.latestVersion,
    draft: { config: doc.draft.content, revision: doc.draft.revision, updatedAt: doc.draft.updatedAt },
    createdAt: doc.createdAt, updatedAt: doc.updatedAt,
  };
}

export function scoringRoutes(scoring: ScoringService) {
  return [
    route<{ name: string; description?: string; config: unknown }>({
      method: 'post', path: '/scoring-templates', tag: 'scoring', roles: MANAGERS, status: 201,
      summary: '新建评分模板 / Create a scoring template',
      body: 'api/scoring.json#/$defs/CreateScoringBody',
      handler: async ({ auth, body }) => scoringView(await scoring.create(auth, { name: body.name, description: body.description, content: body.config })),
    }),
    route<{ templateKey: string; templateVersion?: number; name?: string; description?: string }>({
      method: 'post', path: '/scoring-templates/from-template', tag: 'scoring', roles: MANAGERS, status: 201,
      summary: '从模板新建评分模板 / Create a scoring template from a built-in one',
      body: 'api/common.json#/$defs/FromTemplateBody',
      handler: async ({ auth, body }) => scoringView(await scoring.createFromTemplate(auth, body)),
    }),
    ...versionedRoutes(scoring, {
      base: '/scoring-templates', tag: 'scoring', label: '评分模板', contentKey: 'config',
      saveDraftBody: 'api/scoring.json#/$defs/SaveScoringDraftBody', readRoles: MANAGERS, writeRoles: MANAGERS, view: scoringView,
    }),
  ];
}
