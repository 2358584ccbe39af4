// The single ajv instance of the process. All wire schemas in schemas/ are registered here at start-up.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type AnySchemaObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { schemasDir } from '../paths.ts';
import { followUpWithinDays, storable } from './keywords.ts';
import { linearRegExp } from './regexp.ts';

// ajv-formats ships CommonJS; under NodeNext its default export is the module object.
const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;

/** Presentation hints in forms: annotations only, validated by the form meta-schema. */
const ANNOTATION_KEYWORDS = [
  'x-widget', 'x-unit', 'x-units', 'x-display', 'x-placeholder', 'x-prefill', 'x-multiple',
  'x-evidence', 'x-visibleWhen',
];

export const SCHEMA_BASE = 'https://fieldvisit.dev/schemas/';

export const AJV_OPTIONS = {
  strict: true,
  strictTypes: false, // generated answer schemas use if/then without repeating `type`
  strictRequired: false, // the meta-schema requires x-widget before the discriminator defines it
  allErrors: true,
  discriminator: true,
  multipleOfPrecision: 9, // without it 19.99 is not a multiple of 0.01 in floating point
  messages: false, // messages come from validation/errors.ts, in Chinese and English
  code: { regExp: linearRegExp }, // RE2: a manager's pattern cannot backtrack for seconds
} as const;

/** A bare instance with the project's options and keywords (the process uses the single `ajv` below). */
export function newAjv(): Ajv2020 {
  const ajv = new Ajv2020(AJV_OPTIONS);
  addFormats(ajv);
  for (const keyword of ANNOTATION_KEYWORDS) ajv.addKeyword({ keyword });
  ajv.addKeyword(followUpWithinDays);
  ajv.addKeyword(storable);
  return ajv;
}

function createAjv(): Ajv2020 {
  const ajv = newAjv();
  for (const file of listSchemaFiles(schemasDir)) {
    ajv.addSchema(JSON.parse(readFileSync(file, 'utf8')) as AnySchemaObject);
  }
  return ajv;
}

function listSchemaFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listSchemaFiles(full);
    return entry.name.endsWith('.json') ? [full] : [];
  });
}

export const ajv = createAjv();

/** Validator for a registered schema, e.g. schemaRef('api/forms.json#/$defs/CreateFormBody'). */
export function registeredValidator(ref: string): ValidateFunction {
  const validate = ajv.getSchema(SCHEMA_BASE + ref);
  if (!validate) throw new Error(`schema not registered: ${ref}`);
  return validate;
}
