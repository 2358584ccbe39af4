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

/** How deep a free-form value (draft answers, form drafts) may nest; MongoDB itself stops at 100 levels. */
export interface StorableOptions { maxDepth: number }

const escapeKey = (key: string) => key.replace(/~/g, '~0').replace(/\//g, '~1');

/** Keys MongoDB treats as operators or paths, or that no client legitimately sends. */
function badKey(key: string): boolean {
  return key === '' || key.startsWith('$') || key.includes('.') || key.includes('\u0000');
}

/**
 * `x-storable: { maxDepth }` on a free-form object: every key at every level must be storable as a MongoDB field
 * name, and the value must not nest deeper than maxDepth. Each offending key or node is reported at its own path.
 */
export const storable: FuncKeywordDefinition = {
  keyword: 'x-storable',
  schemaType: 'object',
  errors: true,
  validate: function validate(opts: StorableOptions, data: unknown, _parent?: unknown, cxt?: DataValidationCxt): boolean {
    const self = validate as typeof validate & { errors?: unknown[] };
    const errors: { keyword: string; instancePath: string; schemaPath: string; params: Record<string, unknown> }[] = [];
    const walk = (value: unknown, path: string, depth: number): void => {
      if (errors.length > 100 || value === null || typeof value !== 'object') return;
      if (depth > opts.maxDepth) {
        errors.push({ keyword: 'x-storable', instancePath: path, schemaPath: '#/x-storable', params: { problem: 'depth', maxDepth: opts.maxDepth } });
        return;
      }
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        const at = `${path}/${escapeKey(key)}`;
        if (!Array.isArray(value) && badKey(key)) errors.push({ keyword: 'x-storable', instancePath: at, schemaPath: '#/x-storable', params: { problem: 'key', key } });
        else walk(child, at, depth + 1);
      }
    };
    walk(data, cxt?.instancePath ?? '', 1);
    if (errors.length === 0) return true;
    self.errors = errors;
    return false;
  },
};
