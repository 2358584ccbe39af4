// Compiled answer validators, one per published form version, cached by `formId@version`.
// ajv's own cache keys on schema object identity, so a schema fresh from the database would recompile on every
// request; this cache keys on the version instead and evicts (and unregisters) the least recently used.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import { ajv } from '../validation/ajv.ts';
import { toFieldErrors } from '../validation/errors.ts';
import type { FieldError } from '../http/errors.ts';
import { buildAnswerSchema } from './form-compiler.ts';
import type { AnswerContext, FormSchema } from './form-types.ts';

interface Entry { validate: ValidateFunction; schema: object }

export class FormValidatorCache {
  private readonly entries = new Map<string, Entry>();
  constructor(private readonly capacity = 500) {}

  static key(formId: string, version: number): string {
    return `${formId}@${version}`;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Returns the cached validator, compiling the form on first use (at publish, or after a restart). */
  get(key: string, form: () => FormSchema): ValidateFunction {
    const hit = this.entries.get(key);
    if (hit) {
      // Map order doubles as recency order; re-inserting only matters once eviction is near.
      if (this.entries.size >= this.capacity) {
        this.entries.delete(key);
        this.entries.set(key, hit);
      }
      return hit.validate;
    }
    const schema = buildAnswerSchema(form());
    const validate = ajv.compile(schema);
    this.entries.set(key, { validate, schema });
    this.evict();
    return validate;
  }

  private evict(): void {
    while (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next().value as string;
      const entry = this.entries.get(oldest);
      if (entry) ajv.removeSchema(entry.schema);
      this.entries.delete(oldest);
    }
  }
}

export function validateAnswers(validate: ValidateFunction, context: AnswerContext, answers: unknown): FieldError[] {
  return validate({ context, answers }) ? [] : toFieldErrors(validate.errors, '', validate.schema);
}
