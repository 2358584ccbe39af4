// What the API's wire contract (schemas/api/visits.json) can carry of a sample: the fix fields and photo sources it
// declares. Read from the schema itself, so a field added there (e.g. DingTalk's `uncached`) is sent from then on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../../server/paths.ts';

interface VisitsSchema { $defs: { Fix: { properties: Record<string, unknown> }; PhotoFields: { properties: { source: { enum: string[] } } } } }

const schema = JSON.parse(readFileSync(join(repoRoot, 'schemas', 'api', 'visits.json'), 'utf8')) as VisitsSchema;

export const apiContract = {
  fixFields: new Set(Object.keys(schema.$defs.Fix.properties)),
  photoSources: new Set(schema.$defs.PhotoFields.properties.source.enum),
};
