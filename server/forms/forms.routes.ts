// SOP form routes: the shared draft/publish routes plus create, create-from-template and answer checking.
import { route } from '../http/route.ts';
import { AppError } from '../http/errors.ts';
import { versionedRoutes } from '../versioning/versioned.routes.ts';
import type { VersionedDoc } from '../versioning/versioned.model.ts';
import type { FormsService, AppliesTo } from './forms.service.ts';
import type { AnswerContext } from './form-types.ts';

const MANAGERS = ['admin', 'manager'] as const;
const EVERYONE = ['admin', 'manager', 'rep'] as const;

export function formView(doc: VersionedDoc & { appliesTo?: AppliesTo }) {
  return {
    id: doc._id, name: doc.name, description: doc.description, status: doc.status, appliesTo: doc.appliesTo ?? {},
    source: doc.source ?? null, latestVersion: doc.latestVersion,
    draft: { schema: doc.draft.content, revision: doc.draft.revision, updatedAt: doc.draft.updatedAt },
    createdAt: doc.createdAt, updatedAt: doc.updatedAt,
  };
}

export function formRoutes(forms: FormsService) {
  return [
    route<{ name: string; description?: string; appliesTo?: AppliesTo; schema: unknown }>({
      method: 'post', path: '/forms', tag: 'forms', roles: MANAGERS, status: 201,
      summary: '新建空白表单 / Create a form from a schema',
      body: 'api/forms.json#/$defs/CreateFormBody',
      handler: async ({ auth, body }) => formView(await forms.create(auth, {
        name: body.name, description: body.description, content: body.schema, extra: { appliesTo: body.appliesTo ?? {} },
      })),
    }),
    route<{ templateKey: string; templateVersion?: number; name?: string; description?: string }>({
      method: 'post', path: '/forms/from-template', tag: 'forms', roles: MANAGERS, status: 201,
      summary: '从模板新建表单 / Create a form from a template',
      body: 'api/common.json#/$defs/FromTemplateBody',
      handler: async ({ auth, body }) => formView(await forms.createFromTemplate(auth, body)),
    }),
    route<{ schema: unknown }>({
      method: 'post', path: '/forms/check', tag: 'forms', roles: MANAGERS,
      summary: '校验表单定义（不保存） / Check a form definition against the meta-schema without saving',
      body: 'api/forms.json#/$defs/CheckFormBody',
      handler: async ({ body }) => {
        await forms.check(body.schema);
        return { valid: true };
      },
    }),
    route<unknown, unknown, { id: string }>({
      method: 'get', path: '/forms/:id/usage', tag: 'forms', roles: MANAGERS,
      summary: '表单使用情况：各版本的拜访数与适用客户 / Form usage: visits per version and the customers it reaches',
      params: 'api/common.json#/$defs/IdParams',
      handler: async ({ auth, params }) => forms.usage(auth, params.id),
    }),
    ...versionedRoutes(forms, {
      base: '/forms', tag: 'forms', label: '表单', contentKey: 'schema', saveDraftBody: 'api/forms.json#/$defs/SaveDraftBody',
      readRoles: EVERYONE, writeRoles: MANAGERS, extraFields: ['appliesTo'], view: formView,
    }),
    route<{ context: AnswerContext; answers: unknown }, unknown, { id: string; version: string }>({
      method: 'post', path: '/forms/:id/versions/:version/check-answers', tag: 'forms', roles: EVERYONE,
      summary: '按已发布版本校验填写内容 / Check answers against a published version (with type-dependent sections)',
      params: 'api/common.json#/$defs/VersionParams', body: 'api/forms.json#/$defs/ValidateAnswersBody',
      handler: async ({ auth, params, body }) => {
        const errors = await forms.checkAnswers(auth, params.id, Number(params.version), body.context, body.answers);
        if (errors.length > 0) throw new AppError('ANSWERS_INVALID', errors);
        return { valid: true };
      },
    }),
  ];
}
