// Which evidence steps of the pinned form a visit still lacks. Pure; submit refuses while anything is missing.
import { fieldError, type FieldError } from '../http/errors.ts';
import type { Evidence } from '../forms/form-types.ts';

export interface EvidenceState {
  startMethod: 'qr' | 'location';
  qrOk: boolean;
  checkinFixes: number;
  checkoutFixes: number;
  checkedOut: boolean;
  photoKinds: string[];
}

export function missingEvidence(evidence: Evidence, s: EvidenceState): FieldError[] {
  const missing: FieldError[] = [];
  if (!s.checkedOut) missing.push(fieldError('/evidence/checkOut', 'CHECKOUT_REQUIRED', '请先签退再提交', 'Check out before submitting'));
  const qr = evidence.qrScan;
  if (qr?.required && !(s.startMethod === 'qr' && (s.qrOk || qr.onInvalid === 'review')) && !qr.allowLocationFallback) {
    missing.push(fieldError('/evidence/qrScan', 'QR_SCAN_REQUIRED', '本表单要求扫描门头二维码开始拜访', 'This form requires scanning the store QR code'));
  }
  const loc = evidence.location;
  if (loc?.required && s.checkinFixes < (loc.minFixes ?? 1)) {
    missing.push(fieldError('/evidence/location', 'LOCATION_REQUIRED', `签到定位不足 ${loc.minFixes ?? 1} 次`, `Check-in needs at least ${loc.minFixes ?? 1} location fixes`));
  }
  if (loc?.checkOut && s.checkedOut && s.checkoutFixes === 0) {
    missing.push(fieldError('/evidence/location/checkOut', 'CHECKOUT_LOCATION_REQUIRED', '签退时需要定位', 'Check-out needs a location fix'));
  }
  for (const k of evidence.photos?.kinds ?? []) {
    const have = s.photoKinds.filter((kind) => kind === k.kind).length;
    if (have < k.min) {
      missing.push(fieldError(`/evidence/photos/${k.kind}`, 'PHOTO_KIND_MISSING', `「${k.kind}」还差 ${k.min - have} 张（至少 ${k.min} 张）`, `"${k.kind}": ${k.min - have} more photo(s) needed (at least ${k.min})`));
    }
  }
  return missing;
}

export function photoKindAllowed(evidence: Evidence, kind: string, alreadyOfKind: number): FieldError | undefined {
  const spec = evidence.photos?.kinds.find((k) => k.kind === kind);
  if (!spec) return fieldError('/kind', 'UNKNOWN_PHOTO_KIND', `本表单没有「${kind}」这类照片`, `This form has no photo kind "${kind}"`);
  if (spec.max !== undefined && alreadyOfKind >= spec.max) {
    return fieldError('/kind', 'TOO_MANY_PHOTOS', `「${kind}」最多 ${spec.max} 张`, `"${kind}": at most ${spec.max} photos`);
  }
  return undefined;
}
