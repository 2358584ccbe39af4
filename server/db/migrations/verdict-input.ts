// Visits stored the engine's inputs as JSON text (the previous local engine could not hold nested arrays); they become the
// subdocument they describe, with real dates.
import type { MigrationStep } from './migration.ts';
import { rewrite } from './migration.ts';
import { parseVerdictInput, storableVerdictInput } from '../../verification/verdict-input.ts';

export const verdictInputSubdocument: MigrationStep = {
  id: '2026-12-verdict-input-subdocument',
  describe: 'visits: verdictInput JSON text → subdocument',
  run: (db) => rewrite(db.collection('visits'), { verdictInput: { $type: 'string' } }, (v) => {
    try {
      return { $set: { verdictInput: storableVerdictInput(parseVerdictInput(v.verdictInput as string)) } };
    } catch {
      return { $unset: { verdictInput: '' } }; // unreadable text: the what-if skips visits without inputs
    }
  }),
};
