// PHOTO_SAME_FILE: a photo is byte for byte (SHA-256) a file already uploaded for another visit. A new shot is never
// the same file, whatever it shows, so this is a hard failure.
import { finding, nothing, outcome, type Rule } from '../findings.ts';

export const photoSameFile: Rule = (facts, history, params) => {
  const ownPhotos = new Set(facts.photos.map((p) => p.id));
  const same = history.photoMatches
    .filter((m) => m.sameFile && m.otherVisitId !== facts.visitId && ownPhotos.has(m.photoId))
    .sort((a, b) => a.photoId.localeCompare(b.photoId) || a.otherVisitId.localeCompare(b.otherVisitId));
  if (same.length === 0) return nothing();
  const photos = new Set(same.map((m) => m.photoId)).size;
  const first = same[0]!;
  return outcome([finding('PHOTO_SAME_FILE', params, {
    hard: true,
    measured: photos,
    threshold: 0,
    unit: 'photos',
    zh: `${photos} 张照片与以前上传过的文件完全相同（例如拜访 ${first.otherVisitId} 的照片），不是本次现场拍摄的`,
    en: `${photos} photo(s) are the very same file as one uploaded before (e.g. in visit ${first.otherVisitId}), not taken during this visit`,
    evidence: { visitId: facts.visitId, photoId: first.photoId, otherPhotoId: first.otherPhotoId, otherVisitId: first.otherVisitId, otherRepId: first.otherRepId, otherCustomerId: first.otherCustomerId },
  })]);
};
