// Answer validation throughput: the project's cached validator (cache lookup + validate + error mapping)
// against raw ajv compiled once, on the same realistic 40-field form, in the same run.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { templatesDir } from '../server/paths.ts';
import { buildAnswerSchema } from '../server/forms/form-compiler.ts';
import { FormValidatorCache, validateAnswers } from '../server/forms/form-validators.ts';
import { newAjv } from '../server/validation/ajv.ts';
import type { FormSchema } from '../server/forms/form-types.ts';
import { sampleAnswers } from './sample-answers.ts';
import { compareRates, type BenchResult } from './measure.ts';

/** The FMCG store-visit template, padded with extra fields in its first section to exactly 40 fields. */
export function fortyFieldForm(): FormSchema {
  const file = JSON.parse(readFileSync(join(templatesDir, 'forms', 'fmcg-store-visit.json'), 'utf8')) as { form: FormSchema };
  const form = file.form;
  const count = () => Object.values(form.properties).reduce((n, s) => n + Object.keys(s.properties).length, 0);
  const first = Object.values(form.properties)[0]!;
  for (let i = 0; count() < 40; i += 1) {
    first.properties[`extra${i}`] = { 'x-widget': 'number', type: 'integer', title: `补充指标${i}`, minimum: 0, maximum: 999 };
  }
  return form;
}

export function runValidationBench(): BenchResult {
  const form = fortyFieldForm();
  const context = { customerType: '药店', customerClass: 'A' as const, visitDate: '2026-11-20' };
  const answers = sampleAnswers(form, context.customerType, context.customerClass);

  const cache = new FormValidatorCache();
  const key = FormValidatorCache.key('bench-form', 1);
  const project = () => validateAnswers(cache.get(key, () => form), context, answers).length === 0;

  // Same options and keywords as the project's instance, compiled once and called directly.
  const raw = newAjv();
  const rawValidate = raw.compile(buildAnswerSchema(form));
  const baseline = () => rawValidate({ context, answers });

  if (!project() || !baseline()) throw new Error('benchmark answers must be valid for both paths');
  return compareRates({
    name: 'answer validation, 40-field form (validations/s)',
    subject: project,
    baseline,
    target: { minRatio: 0.8, text: 'project ≥ 80% of raw ajv' },
  });
}
