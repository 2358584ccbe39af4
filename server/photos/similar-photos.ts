// Earlier photos that may be the same file or a transformed copy of a visit's photos: one indexed query for the
// whole visit, an $or of the SHA-256s ({ tenantId, sha256 }) and the hash bands (multikey { tenantId, bands }). The
// visit's photos look up with their whole-frame bands; earlier photos are stored under their centre's too.
import type { Types } from 'mongoose';
import type { Models } from '../db/models.ts';
import { op } from '../db/trusted.ts';
import { photoBands, probeBands } from './photo-match.ts';
import type { PhotoDoc } from './photo.model.ts';

/** Photos per key (file or band) the look-up reads at most; a band shared by more says nothing. */
export const MAX_PER_KEY = 64;

/** What the look-up needs of each of the visit's photos. */
export type PhotoProbe = Pick<PhotoDoc, '_id' | 'sha256' | 'phash' | 'dhash' | 'receivedAt'>;

export type EarlierPhoto = Pick<PhotoDoc, '_id' | 'visitId' | 'repId' | 'customerId' | 'sha256' | 'phash' | 'dhash' | 'centrePhash' | 'centreDhash' | 'receivedAt'>;

// Bands are recomputed from the hashes rather than read: less to send for every candidate. Thumbnails are read
// later, for the few candidates whose hashes stay close.
const FIELDS = { visitId: 1, repId: 1, customerId: 1, sha256: 1, phash: 1, dhash: 1, centrePhash: 1, centreDhash: 1, receivedAt: 1 } as const;

const uniqueBands = (photos: PhotoProbe[]) => [...new Set(photos.flatMap((p) => probeBands(p)))];

/**
 * The filter `similarEarlier` runs (exported so a test can `explain` exactly this query): the tenant's photos
 * sharing a file or one of `bands` with the visit's photos, received no later than its last one (a photo received
 * afterwards cannot have been copied by it).
 */
export function similarPhotosFilter(tenantId: Types.ObjectId, photos: PhotoProbe[], bands = uniqueBands(photos)) {
  const latest = new Date(Math.max(...photos.map((p) => p.receivedAt.getTime())));
  return {
    tenantId,
    receivedAt: op({ $lte: latest }),
    $or: [{ sha256: op({ $in: [...new Set(photos.map((p) => p.sha256))] }) }, { bands: op({ $in: bands }) }],
  };
}

/**
 * For each of the visit's photos, the earlier photos of other visits sharing its file or one of its hash bands
 * (the caller measures the real distances). Only an earlier photo can have been re-used: of two concurrent uploads
 * the later is the copy, and of two received at the same instant the one with the greater id.
 */
export async function similarEarlier<P extends PhotoProbe>(
  Photo: Models['Photo'], tenantId: Types.ObjectId, photos: P[], excludeVisitId: Types.ObjectId,
): Promise<{ photo: P; other: EarlierPhoto }[]> {
  if (photos.length === 0) return [];
  const others = await candidates(Photo, tenantId, photos, excludeVisitId);
  return photos.flatMap((photo) => {
    const bands = new Set(probeBands(photo));
    return others
      .filter((other) => other.sha256 === photo.sha256 || other.bands.some((b) => bands.has(b)))
      .filter((other) => {
        const otherAt = other.receivedAt.getTime();
        return otherAt < photo.receivedAt.getTime() || (otherAt === photo.receivedAt.getTime() && String(other._id) < String(photo._id));
      })
      .map((other) => ({ photo, other }));
  });
}

/**
 * Nearly always one query, capped at MAX_PER_KEY photos per key of the visit (file or band). Only when the cap is
 * reached is some band that common (a plain wall, a dark frame): the bands with more than MAX_PER_KEY photos in the
 * answer are dropped and the query asked again, so they cannot crowd out the band that finds the real copy. A
 * SHA-256 is never dropped: one same-file match is proof enough.
 */
async function candidates(Photo: Models['Photo'], tenantId: Types.ObjectId, photos: PhotoProbe[], excludeVisitId: Types.ObjectId): Promise<(EarlierPhoto & { bands: string[] })[]> {
  let bands = uniqueBands(photos);
  const cap = MAX_PER_KEY * (new Set(photos.map((p) => p.sha256)).size + bands.length);
  for (;;) {
    // The visit's own photos share every key of theirs; they come on top of the cap and are left out here.
    const found = (await Photo.find(similarPhotosFilter(tenantId, photos, bands), FIELDS).limit(cap + photos.length + 1).lean<EarlierPhoto[]>())
      .filter((c) => String(c.visitId) !== String(excludeVisitId))
      .map((c) => ({ ...c, bands: photoBands(c) }));
    const perBand = new Map<string, number>();
    for (const c of found) for (const b of c.bands) perBand.set(b, (perBand.get(b) ?? 0) + 1);
    const common = new Set(bands.filter((b) => (perBand.get(b) ?? 0) > MAX_PER_KEY));
    if (found.length <= cap || common.size === 0) return found.slice(0, cap);
    bands = bands.filter((b) => !common.has(b));
  }
}
