// Photos carry their hash bands, which the multikey { tenantId, bands } index serves to the re-used-photo look-up.
// Photos written before have none, and the look-up index of the old version (9 × 256 photo_index_* collections,
// a workaround for the previous local engine, which scanned whole collections) has nothing left to do.
import type { MigrationStep } from './migration.ts';
import { dropCollections, rewrite } from './migration.ts';
import { hashBands } from '../../photos/photo-match.ts';

export const photoBands: MigrationStep = {
  id: '2026-12-photo-bands',
  describe: 'photos: hash bands from pHash/dHash; drop the photo_index_* collections',
  run: async (db) => {
    const photos = await rewrite(db.collection('photos'), { bands: { $exists: false } }, (p) => (
      typeof p.phash === 'string' && typeof p.dhash === 'string' ? { $set: { bands: hashBands(p.phash, p.dhash) } } : null
    ));
    return photos + await dropCollections(db, /^photo_index_/);
  },
};
