// PHOTO_OLD_OR_ELSEWHERE: EXIF says the photo was taken well before the check-in, or far from the customer.
// Host pickers often strip EXIF, so a photo without it is neutral. The age uses the phone's clock on both sides
// (EXIF and check-in deviceTime), so a phone clock that is off does not matter.
import { haversineM } from '../geo.ts';
import { finding, fmt, outcome, type Finding, type Rule } from '../findings.ts';
import { HOUR_MS } from '../fixes.ts';

export const photoOldOrElsewhere: Rule = (facts, _history, params) => {
  const checkIn = facts.checkIn.deviceTime.getTime();
  let oldest: { id: string; hours: number; at: Date } | undefined;
  let farthest: { id: string; distanceM: number } | undefined;
  for (const photo of facts.photos) {
    const { takenAt, lng, lat } = photo.exif ?? {};
    if (takenAt) {
      const hours = (checkIn - takenAt.getTime()) / HOUR_MS;
      if (hours > params.exifMaxAgeHours && (!oldest || hours > oldest.hours)) oldest = { id: photo.id, hours, at: takenAt };
    }
    if (lng !== undefined && lat !== undefined) {
      const distanceM = haversineM({ lng, lat }, facts.customer.location);
      if (distanceM > params.exifMaxDistanceM && (!farthest || distanceM > farthest.distanceM)) farthest = { id: photo.id, distanceM };
    }
  }
  const findings: Finding[] = [];
  if (oldest) {
    findings.push(finding('PHOTO_OLD_OR_ELSEWHERE', params, {
      measured: Math.round(oldest.hours * 10) / 10,
      threshold: params.exifMaxAgeHours,
      unit: 'h',
      zh: `照片拍摄时间比签到早 ${fmt.h(oldest.hours)} 小时（允许 ${params.exifMaxAgeHours} 小时），不是本次拜访时拍的`,
      en: `A photo was taken ${fmt.h(oldest.hours)} h before the check-in (${params.exifMaxAgeHours} h allowed), not during this visit`,
      evidence: { visitId: facts.visitId, photoId: oldest.id, at: oldest.at, hours: Math.round(oldest.hours * 10) / 10 },
    }));
  }
  if (farthest) {
    findings.push(finding('PHOTO_OLD_OR_ELSEWHERE', params, {
      measured: Math.round(farthest.distanceM),
      threshold: params.exifMaxDistanceM,
      unit: 'm',
      zh: `照片的拍摄地点距客户 ${fmt.km(farthest.distanceM)} 公里（允许 ${fmt.km(params.exifMaxDistanceM)} 公里），不是在客户处拍的`,
      en: `A photo was taken ${fmt.km(farthest.distanceM)} km from the customer (${fmt.km(params.exifMaxDistanceM)} km allowed), not at the customer`,
      evidence: { visitId: facts.visitId, photoId: farthest.id, distanceM: Math.round(farthest.distanceM) },
    }));
  }
  return outcome(findings);
};
