// SOP forms: created from templates or from scratch, edited as drafts, published as immutable versions, and
// used to validate a visit's answers against the version it pinned.
import type { Models } from '../db/models.ts';
import { versionedService, type Actor } from '../versioning/versioned.service.ts';
import type { VersionedDoc, VersionRecord } from '../versioning/versioned.model.ts';
import type { TemplatesService } from '../templates/templates.service.ts';
import { AppError, type FieldError } from '../http/errors.ts';
import { checkAuthoredForm } from './form-meta.ts';
import { FormValidatorCache, validateAnswers } from './form-validators.ts';
import type { AnswerContext, FormSchema } from './form-types.ts';
import { matchRank, pickForm, type AppliesTo } from './form-choice.ts';
import { formUsageRepo } from './form-usage.ts';

export type { AppliesTo } from './form-choice.ts';

const USAGE_SAMPLE = 8;

export function formsService(models: Models, templates: TemplatesService, validators: FormValidatorCache) {
  const versions = versionedService(
    {
      label: { zh: '表单', en: 'Form' },
      invalidCode: 'FORM_INVALID',
      check: checkAuthoredForm,
      // Compile at publish so the first visit against a new version does not pay for it.
      onPublished: (v) => validators.get(FormValidatorCache.key(String(v.docId), v.version), () => v.content as FormSchema),
    },
    models.Form,
    models.FormVersion,
    '/schema',
  );
  const usageRepo = formUsageRepo(models);

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
      const best = pickForm(forms, customerType, customerClass);
      if (!best) throw new AppError('NO_FORM_FOR_CUSTOMER');
      return { formId: best._id, version: best.latestVersion };
    },

    /** Checks a form definition without saving it; pointers start at /schema, as saveDraft's do. */
    async check(content: unknown): Promise<void> {
      await versions.assertValid(content);
    },

    /**
     * Who uses the form: visits per pinned version, and the customers it applies to (by type/class) and those
     * whose next visit would pin it (it is their most specific published form).
     */
    async usage(actor: Actor, id: string) {
      const doc = (await versions.get(actor, id)) as VersionedDoc & { appliesTo?: AppliesTo };
      const [records, stats, groups, published] = await Promise.all([
        versions.listVersions(actor, id),
        usageRepo.visitStats(actor.tenantId, doc._id),
        usageRepo.customerGroups(actor.tenantId),
        versions.list(actor, { status: 'published' }) as Promise<(VersionedDoc & { appliesTo?: AppliesTo })[]>,
      ]);
      const byVersion = new Map(stats.map((s) => [s.version, s]));
      const applicable = groups.filter((g) => matchRank(doc.appliesTo, g.type, g.class) >= 0);
      const using = applicable.filter((g) => String(pickForm(published, g.type, g.class)?._id) === String(doc._id));
      const count = (gs: typeof groups) => gs.reduce((n, g) => n + g.count, 0);
      return {
        formId: doc._id, status: doc.status, latestVersion: doc.latestVersion,
        versions: records.map((r) => {
          const s = byVersion.get(r.version);
          return { version: r.version, note: r.note, publishedAt: r.publishedAt, visits: s?.visits ?? 0, customers: s?.customers ?? 0, firstVisitAt: s?.firstVisitAt ?? null, lastVisitAt: s?.lastVisitAt ?? null };
        }),
        customers: {
          applicable: count(applicable),
          using: count(using),
          usingVersion: using.length > 0 ? doc.latestVersion : null,
          sampleOf: using.length > 0 ? 'using' : 'applicable',
          sample: await usageRepo.sampleCustomers(actor.tenantId, using.length > 0 ? using : applicable, USAGE_SAMPLE),
        },
      };
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
