// PHOTO_REUSED: a photo is an earlier one again — re-encoded, resized, cropped by a few percent or brightened.
// Hashes only find candidates; the verdict rests on the pixels (PhotoMatch.pixels): a copy keeps near-identical
// pixels after alignment, while a new shot of the same scene differs somewhere (people, objects, light, framing).
//   pixels the same (a copy)    → strong whoever's photo it was: another customer's, a colleague's, or one's own
//                                 from an earlier visit (yellow only when the camera dates it to this visit);
//                                 a declared joint visit (协访) is spared: the colleague shot the same view.
//   pixels differ (another moment) → across customers weak when both hashes are close, else a note.
//   too little detail (night, blank wall) → a note: such frames hash alike without being the same picture.
//   no thumbnail (a photo the migration could not read) → the hashes alone, never a full deduction.
import { finding, note, nothing, outcome, type Evidence, type Rule, type RuleOutcome } from '../findings.ts';
import type { AuthenticityParams } from '../params.ts';
import type { History, PhotoMatch, VisitFacts } from '../types.ts';

const WEAK = 1 / 3;
/** A copy the camera dates to this visit, or one graded on hashes only: sent to review, not made invalid. */
const REVIEW = 2 / 3;
/** How far outside the visit an EXIF time still counts as "taken during it" (phone clocks drift, reps arrive early). */
const EXIF_SLACK_MS = 30 * 60_000;

type Kind = 'copy' | 'another-moment' | 'low-detail' | 'hashes-only';

interface Graded { m: PhotoMatch; kind: Kind; scale: number; bits: number; otherCustomer: boolean }

export const photoReused: Rule = (facts, history, params) => {
  const ownPhotos = new Set(facts.photos.map((p) => p.id));
  const graded = history.photoMatches
    .filter((m) => !m.sameFile && m.otherVisitId !== facts.visitId && ownPhotos.has(m.photoId))
    .map((m) => grade(m, facts, history, params))
    .filter((g): g is Graded => g !== null)
    .sort((a, b) => b.scale - a.scale || a.bits - b.bits || a.m.photoId.localeCompare(b.m.photoId) || a.m.otherPhotoId.localeCompare(b.m.otherPhotoId));
  const worst = graded[0];
  if (!worst) return nothing();
  return worst.scale === 0 ? noteFor(worst, facts) : findingFor(worst, facts, params);
};

function grade(m: PhotoMatch, facts: VisitFacts, history: History, params: AuthenticityParams): Graded | null {
  const max = params.photoHashMaxDistance;
  const tight = Math.min(params.photoHashTightDistance, max);
  const otherCustomer = m.otherCustomerId !== facts.customer.id;
  const otherRep = m.otherRepId !== facts.repId;
  const bits = Math.max(m.phashDistance, m.dhashDistance);
  const base = { m, bits, otherCustomer };
  if (m.detail && Math.min(m.detail.photo, m.detail.other) < params.photoMinDetail) return { ...base, kind: 'low-detail', scale: 0 };
  if (m.pixels) {
    const copy = m.pixels.similarity >= params.photoCopySimilarity && m.pixels.changed <= params.photoCopyMaxChanged;
    if (copy) {
      if (!otherCustomer && otherRep && history.jointVisit) return { ...base, kind: 'another-moment', scale: 0 };
      const fresh = !otherCustomer && !otherRep && takenDuringVisit(facts, m.photoId);
      return { ...base, kind: 'copy', scale: fresh ? REVIEW : 1 };
    }
    if (otherCustomer) return bits <= max ? { ...base, kind: 'another-moment', scale: WEAK } : null;
    return bits <= max ? { ...base, kind: 'another-moment', scale: 0 } : null;
  }
  // Hashes only: both must be close, and even a tight match is not proof enough for a full deduction.
  if (bits > max) return null;
  if (otherCustomer || (otherRep && !history.jointVisit)) return { ...base, kind: 'hashes-only', scale: bits <= tight ? REVIEW : WEAK };
  return { ...base, kind: 'hashes-only', scale: bits <= tight ? WEAK : 0 };
}

/** The photo's EXIF time falls within this visit (with some slack): the camera says it was taken now. */
function takenDuringVisit(facts: VisitFacts, photoId: string): boolean {
  const takenAt = facts.photos.find((p) => p.id === photoId)?.exif?.takenAt;
  if (!takenAt) return false;
  const end = (facts.checkOut ?? facts.submitted).deviceTime.getTime();
  return takenAt.getTime() >= facts.checkIn.deviceTime.getTime() - EXIF_SLACK_MS && takenAt.getTime() <= end + EXIF_SLACK_MS;
}

function evidenceOf(visitId: string, m: PhotoMatch): Evidence {
  return {
    visitId, photoId: m.photoId, otherPhotoId: m.otherPhotoId, otherVisitId: m.otherVisitId, otherRepId: m.otherRepId, otherCustomerId: m.otherCustomerId,
    ...(m.pixels ? { similarity: m.pixels.similarity, changedShare: m.pixels.changed } : {}),
  };
}

const pct = (x: number) => `${(Math.round(x * 1000) / 10).toFixed(1)}%`;

function noteFor(g: Graded, facts: VisitFacts): RuleOutcome {
  const { m } = g;
  const evidence = evidenceOf(facts.visitId, m);
  if (g.kind === 'low-detail') {
    return outcome([], [note('PHOTO_SIMILAR_LOW_DETAIL',
      `照片与以前拜访（${m.otherVisitId}）的一张照片哈希相近，但画面信息很少（夜景或大面积纯色），不能据此判定重复使用`,
      `A photo hashes close to one from an earlier visit (${m.otherVisitId}), but the pictures hold too little detail (night shot or near-uniform frame) to call it re-used`,
      evidence)]);
  }
  const moment = m.pixels ? `，逐像素比对有 ${pct(m.pixels.changed)} 的画面不同` : '';
  const momentEn = m.pixels ? `; pixel by pixel ${pct(m.pixels.changed)} of the picture differs` : '';
  return outcome([], [note('PHOTO_SIMILAR_SAME_CUSTOMER',
    `照片与本客户以前拜访（${m.otherVisitId}）的照片相似（相差 ${g.bits} 位${moment}），同一门店重复拍摄属正常`,
    `A photo resembles one from an earlier visit to the same customer (${m.otherVisitId}, ${g.bits} bits apart${momentEn}); new photos of the same storefront are normal`,
    evidence)]);
}

function findingFor(g: Graded, facts: VisitFacts, params: AuthenticityParams): RuleOutcome {
  const { m } = g;
  const whose = g.otherCustomer ? { zh: '另一家客户', en: 'another customer' }
    : m.otherRepId !== facts.repId ? { zh: '同事在本客户', en: "a colleague's visit to this customer" }
      : { zh: '本人以前在本客户', en: 'an earlier visit to this customer' };
  const evidence = evidenceOf(facts.visitId, m);
  if (g.kind === 'copy') {
    const p = m.pixels!;
    const dated = g.scale < 1 ? '；照片的拍摄时间虽在本次拜访内，仍需复核' : '';
    const datedEn = g.scale < 1 ? '; its EXIF dates it to this visit, so it goes to review' : '';
    return outcome([finding('PHOTO_REUSED', params, {
      scale: g.scale,
      measured: Math.round(p.similarity * 1000) / 10,
      threshold: Math.round(params.photoCopySimilarity * 1000) / 10,
      unit: '%',
      zh: `一张照片与${whose.zh}的拜访（${m.otherVisitId}）中的照片是同一画面：对齐后像素相似度 ${pct(p.similarity)}（阈值 ${pct(params.photoCopySimilarity)}），仅 ${pct(p.changed)} 的画面不同，是旧照片重新压缩、缩放、裁剪或调亮后再次提交${dated}`,
      en: `A photo is the same picture as one from ${whose.en} (${m.otherVisitId}): ${pct(p.similarity)} pixel similarity after alignment (threshold ${pct(params.photoCopySimilarity)}), only ${pct(p.changed)} of it differs; an old photo re-encoded, resized, cropped or brightened${datedEn}`,
      evidence,
    })]);
  }
  const confirm = g.kind === 'another-moment'
    ? { zh: '，但逐像素比对显示不是同一画面', en: ', though the pixels show another picture' }
    : { zh: '（无缩略图，未能逐像素核对）', en: ' (no thumbnail to check the pixels)' };
  return outcome([finding('PHOTO_REUSED', params, {
    scale: g.scale,
    measured: g.bits,
    threshold: params.photoHashMaxDistance,
    unit: 'bits',
    zh: `一张照片与${whose.zh}的拜访（${m.otherVisitId}）中的照片很像（两种哈希均相差不超过 ${g.bits} 位，阈值 ${params.photoHashMaxDistance} 位）${confirm.zh}，可能是重复使用的旧照片`,
    en: `A photo closely resembles one from ${whose.en} (${m.otherVisitId}): both hashes within ${g.bits} bits, threshold ${params.photoHashMaxDistance}${confirm.en}; it may be re-used`,
    evidence,
  })]);
}
