// Custom ajv keywords with behaviour (annotation-only keywords are registered in ajv.ts).
import type { FuncKeywordDefinition } from 'ajv/dist/2020.js';
import type { DataValidationCxt } from 'ajv/dist/types/index.js';

const DAY_MS = 86_400_000;

/**
 * `x-maxDays: N` on the follow-up object: its dueDate must fall within N days after the visit date, which the
 * answer validator receives as context.visitDate. Missing dates are left to `required`/`format`.
 */
export const followUpWithinDays: FuncKeywordDefinition = {
  keyword: 'x-maxDays',
  type: 'object',
  schemaType: 'number',
  errors: true,
  validate: function validate(maxDays: number, data: unknown, _parent?: unknown, cxt?: DataValidationCxt): boolean {
    const self = validate as typeof validate & { errors?: unknown[] };
    const due = (data as { dueDate?: unknown }).dueDate;
    const root = cxt?.rootData as { context?: { visitDate?: unknown } } | undefined;
    const visit = root?.context?.visitDate;
    if (typeof due !== 'string' || typeof visit !== 'string') return true;
    const days = Math.round((Date.parse(due) - Date.parse(visit)) / DAY_MS);
    if (Number.isNaN(days)) return true;
    if (days >= 0 && days <= maxDays) return true;
    self.errors = [{
      keyword: 'x-maxDays',
      instancePath: `${cxt?.instancePath ?? ''}/dueDate`,
      schemaPath: '#/x-maxDays',
      params: { maxDays, days },
    }];
    return false;
  },
};
