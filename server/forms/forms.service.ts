// SOP forms: created from templates or from scratch, edited as drafts, published as immutable versions, and
// used to validate a visit's answers against the version it pinned.
import type { Models } from '../db/models.ts';
import { versionedService, type Actor } from '../versioning/versioned.service.ts';
import type { VersionedDoc, VersionRecord } from '../versioning/versioned.model.ts';
import type { TemplatesService } from '../templates/templates.service.ts';
import type { FieldError } from '../http/errors.ts';
import { checkForm } from './form-meta.ts';
import { FormValidatorCache, validateAnswers } from './form-validators.ts';
import type { AnswerContext, FormSchema } from './form-types.ts';

export interface AppliesTo { customerTypes?: string[]; customerClasses?: string[] }

export function formsService(models: Models, templates: TemplatesService, validators: FormValidatorCache) {
  const versions = versionedService(
    {
      label: { zh: '表单', en: 'Form' },
      invalidCode: 'FORM_INVALID',
      check: checkForm,
      // Compile at publish so the first visit against a new version does not pay for it.
      onPublished: (v) => validators.get(FormValidatorCache.key(String(v.docId), v.version), () => v.content as FormSchema),
    },
    models.Form,
    models.FormVersion,
    '/schema',
  );

  return {
    ...versions,

    async createFromTemplate(actor: Actor, input: { templateKey: string; templateVersion?: number; name?: string; description?: string }): Promise<VersionedDoc> {
      const template = await templates.get(actor.tenantId, 'form', input.templateKey, input.templateVersion);
      return versions.create(actor, {
        name: input.name ?? template.name,
        description: input.description ?? template.description,
        content: template.content,
        source: { templateKey: template.key, templateVersion: template.version },
        extra: { appliesTo: template.appliesTo },
      });
    },

    /** Validates answers against a published version; the validator is compiled once per version and cached. */
    async checkAnswers(actor: Actor, formId: string, version: number, context: AnswerContext, answers: unknown): Promise<FieldError[]> {
      const key = FormValidatorCache.key(formId, version);
      let record: VersionRecord | undefined;
      if (validators.has(key)) await versions.get(actor, formId); // a cache hit still enforces tenant ownership
      else record = await versions.getVersion(actor, formId, version);
      const validate = validators.get(key, () => record?.content as FormSchema);
      return validateAnswers(validate, context, answers);
    },
  };
}

export type FormsService = ReturnType<typeof formsService>;
