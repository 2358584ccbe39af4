// SOP forms: created from templates or from scratch, edited as drafts, published as immutable versions, and
// used to validate a visit's answers against the version it pinned.
import type { Models } from '../db/models.ts';
import { versionedService, type Actor } from '../versioning/versioned.service.ts';
import type { VersionedDoc, VersionRecord } from '../versioning/versioned.model.ts';
import type { TemplatesService } from '../templates/templates.service.ts';
import { AppError, type FieldError } from '../http/errors.ts';
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

    /**
     * The published form a visit to this customer uses: the most specific appliesTo match (type and class beat
     * type alone, which beats a catch-all), newest first.
     */
    async applicableVersion(actor: Actor, customerType: string, customerClass: string): Promise<{ formId: VersionedDoc['_id']; version: number }> {
      const forms = (await versions.list(actor, { status: 'published' })) as (VersionedDoc & { appliesTo?: AppliesTo })[];
      const rank = (f: { appliesTo?: AppliesTo }) => {
        const types = f.appliesTo?.customerTypes ?? [];
        const classes = f.appliesTo?.customerClasses ?? [];
        if ((types.length > 0 && !types.includes(customerType)) || (classes.length > 0 && !classes.includes(customerClass))) return -1;
        return (types.length > 0 ? 2 : 0) + (classes.length > 0 ? 1 : 0);
      };
      const best = forms.map((f) => ({ f, r: rank(f) })).filter((x) => x.r >= 0 && x.f.latestVersion > 0).sort((a, b) => b.r - a.r)[0];
      if (!best) throw new AppError('NO_FORM_FOR_CUSTOMER');
      return { formId: best.f._id, version: best.f.latestVersion };
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
