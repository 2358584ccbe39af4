// Template gallery: what managers start forms and scoring templates from.
import { route } from '../http/route.ts';
import type { TemplatesService, TemplateKind } from './templates.service.ts';
import type { TemplateRecord } from './template.model.ts';

function templateView(t: Omit<TemplateRecord, 'content'> & { content?: unknown }) {
  return {
    kind: t.kind, key: t.key, version: t.version, name: t.name, name_en: t.name_en, industry: t.industry,
    description: t.description, appliesTo: t.appliesTo, builtIn: t.builtIn,
    ...(t.content !== undefined ? { content: t.content } : {}),
  };
}

const MANAGERS = ['admin', 'manager'] as const;

export function templateRoutes(templates: TemplatesService) {
  return [
    route<unknown, { kind?: TemplateKind }>({
      method: 'get', path: '/templates', tag: 'templates', roles: MANAGERS,
      summary: '模板库列表 / List the template library (latest version of each)',
      query: 'api/templates.json#/$defs/ListQuery',
      handler: async ({ auth, query }) => ({ items: (await templates.list(auth.tenantId, query.kind)).map(templateView) }),
    }),
    route<unknown, Record<string, string>, { kind: TemplateKind; key: string }>({
      method: 'get', path: '/templates/:kind/:key', tag: 'templates', roles: MANAGERS,
      summary: '模板详情 / Get a template with its content',
      params: 'api/templates.json#/$defs/TemplateParams',
      handler: async ({ auth, params }) => templateView(await templates.get(auth.tenantId, params.kind, params.key)),
    }),
  ];
}
