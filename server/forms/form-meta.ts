// Checks a manager-authored form before it is saved or published: the meta-schema first, then the rules a
// JSON Schema cannot express (safe patterns, consistent limits, required keys that exist, overall size).
import { ambiguousPatternErrors, patternSyntaxErrors } from './pattern-check.ts';
import { registeredValidator } from '../validation/ajv.ts';
import { toFieldErrors } from '../validation/errors.ts';
import { fieldError, type FieldError } from '../http/errors.ts';
import type { FieldSchema, FormSchema } from './form-types.ts';

const validateMeta = registeredValidator('form.meta.schema.json');
const MAX_FIELDS = 300;
const MAX_FORM_BYTES = 256 * 1024;

/**
 * Everything checkForm checks, and that no pattern is ambiguous (an analysis that yields to other requests):
 * what a form a manager writes must pass before it is saved or published.
 */
export async function checkAuthoredForm(form: unknown): Promise<FieldError[]> {
  const errors = checkForm(form);
  return errors.length > 0 ? errors : ambiguousPatternErrors(form as FormSchema);
}

/** The structure of a form: the meta-schema, then the rules a schema cannot express (built-ins are checked with it at start). */
export function checkForm(form: unknown): FieldError[] {
  const size = Buffer.byteLength(JSON.stringify(form ?? null));
  if (size > MAX_FORM_BYTES) {
    return [fieldError('', 'FORM_TOO_LARGE', `表单定义过大（${Math.round(size / 1024)} KB，上限 256 KB）`, `The form is too large (${Math.round(size / 1024)} KB, limit 256 KB)`)];
  }
  if (!validateMeta(form)) return toFieldErrors(validateMeta.errors);
  return checkBeyondSchema(form as FormSchema);
}

function checkBeyondSchema(form: FormSchema): FieldError[] {
  const errors: FieldError[] = [];
  let fieldCount = 0;
  for (const [sectionKey, section] of Object.entries(form.properties)) {
    const at = `/properties/${sectionKey}`;
    section.required?.forEach((key, i) => {
      if (!(key in section.properties)) {
        errors.push(fieldError(`${at}/required/${i}`, 'UNKNOWN_REQUIRED_FIELD', `必填字段「${key}」不存在于该分组`, `Required field "${key}" is not in this section`));
      }
    });
    for (const [fieldKey, field] of Object.entries(section.properties)) {
      fieldCount += 1;
      errors.push(...checkField(field, `${at}/properties/${fieldKey}`));
    }
  }
  if (fieldCount > MAX_FIELDS) {
    errors.push(fieldError('/properties', 'TOO_MANY_FIELDS', `字段总数 ${fieldCount} 超过上限 ${MAX_FIELDS}`, `${fieldCount} fields exceed the limit of ${MAX_FIELDS}`));
  }
  form['x-evidence'].photos?.kinds.forEach((k, i) => {
    if (k.max !== undefined && k.max < k.min) {
      errors.push(fieldError(`/x-evidence/photos/kinds/${i}/max`, 'LIMITS_INVERTED', `「${k.kind}」最多张数小于最少张数`, `"${k.kind}": max is below min`));
    }
  });
  const kinds = form['x-evidence'].photos?.kinds.map((k) => k.kind) ?? [];
  if (new Set(kinds).size !== kinds.length) {
    errors.push(fieldError('/x-evidence/photos/kinds', 'DUPLICATE_ITEMS', '照片类型重复', 'Photo kinds are duplicated'));
  }
  return errors;
}

function checkField(field: FieldSchema, at: string): FieldError[] {
  const errors: FieldError[] = [];
  const inverted = (lo: number | undefined, hi: number | undefined, key: string) => {
    if (lo !== undefined && hi !== undefined && lo > hi) {
      errors.push(fieldError(`${at}/${key}`, 'LIMITS_INVERTED', `「${field.title}」的下限大于上限`, `"${field.title}": lower limit exceeds upper limit`));
    }
  };
  inverted(field.minLength, field.maxLength, 'maxLength');
  inverted(field.minimum, field.maximum, 'maximum');
  inverted(field.minItems, field.maxItems, 'maxItems');
  if (field.pattern !== undefined) errors.push(...patternSyntaxErrors(field.pattern, `${at}/pattern`, field.title));
  return errors;
}
