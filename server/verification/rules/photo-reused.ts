// PHOTO_REUSED: a photo looks like an earlier one (pHash and/or dHash within a few bits), i.e. the same picture
// re-encoded, resized or cropped. How much that means depends on whose photo it was:
//   another customer                    → strong at photoHashMaxDistance (a shop cannot look like another one);
//   same customer, another rep          → strong when tight (a copy), weak up to the max (a hand-over shot);
//   same customer, same rep or 协访     → weak when tight, else only a note: next month's storefront photo
//                                          from the same spot is honestly close.
import { finding, note, nothing, outcome, type Rule } from '../findings.ts';
import type { PhotoMatch } from '../types.ts';

const WEAK = 1 / 3;

export const photoReused: Rule = (facts, history, params) => {
  const ownPhotos = new Set(facts.photos.map((p) => p.id));
  const max = params.photoHashMaxDistance;
  const tight = Math.min(params.photoHashTightDistance, max);
  const graded = history.photoMatches
    .filter((m) => !m.sameFile && m.otherVisitId !== facts.visitId && ownPhotos.has(m.photoId))
    .map((m) => {
      const otherCustomer = m.otherCustomerId !== facts.customer.id;
      // Across customers either hash close is enough (a crop shifts pHash more than dHash, or the other way);
      // within one customer both must be close, because new shots of the same storefront are honestly similar.
      const bits = otherCustomer ? Math.min(m.phashDistance, m.dhashDistance) : Math.max(m.phashDistance, m.dhashDistance);
      const otherRep = m.otherRepId !== facts.repId && !history.jointVisit;
      return { m, bits, otherCustomer, ...grade(bits, otherCustomer, otherRep, tight, max) };
    })
    .filter((g) => g.bits <= max)
    .sort((a, b) => b.scale - a.scale || a.bits - b.bits || a.m.photoId.localeCompare(b.m.photoId) || a.m.otherPhotoId.localeCompare(b.m.otherPhotoId));
  const worst = graded[0];
  if (!worst) return nothing();
  const evidence = evidenceOf(facts.visitId, worst.m);
  if (worst.scale === 0) {
    return outcome([], [note('PHOTO_SIMILAR_SAME_CUSTOMER',
      `照片与本客户以前拜访（${worst.m.otherVisitId}）的照片相似（相差 ${worst.bits} 位），同一门店重复拍摄属正常`,
      `A photo resembles one from an earlier visit to the same customer (${worst.m.otherVisitId}, ${worst.bits} bits apart); new photos of the same storefront are normal`,
      evidence)]);
  }
  const whose = worst.otherCustomer ? { zh: '另一家客户', en: 'another customer' }
    : worst.m.otherRepId !== facts.repId ? { zh: '同事在本客户', en: "a colleague's visit to this customer" }
      : { zh: '本人以前在本客户', en: 'an earlier visit to this customer' };
  return outcome([finding('PHOTO_REUSED', params, {
    scale: worst.scale,
    measured: worst.bits,
    threshold: worst.threshold,
    unit: 'bits',
    zh: `一张照片与${whose.zh}的拜访（${worst.m.otherVisitId}）中的照片几乎相同（相差 ${worst.bits} 位，阈值 ${worst.threshold} 位），像是重复使用的旧照片`,
    en: `A photo is nearly identical to one from ${whose.en} (${worst.m.otherVisitId}): ${worst.bits} bits apart, threshold ${worst.threshold}; it looks re-used`,
    evidence,
  })]);
};

/** Share of the weight (0 = note only) and the threshold that applied, per the table at the top. */
function grade(bits: number, otherCustomer: boolean, otherRep: boolean, tight: number, max: number) {
  if (otherCustomer) return { scale: 1, threshold: max };
  if (otherRep) return bits <= tight ? { scale: 1, threshold: tight } : { scale: WEAK, threshold: max };
  return { scale: bits <= tight ? WEAK : 0, threshold: tight };
}

function evidenceOf(visitId: string, m: PhotoMatch) {
  return { visitId, photoId: m.photoId, otherPhotoId: m.otherPhotoId, otherVisitId: m.otherVisitId, otherRepId: m.otherRepId, otherCustomerId: m.otherCustomerId };
}
