// PHOTO_NOT_CAMERA: the SOP asks for camera shots, but the host says a photo came from the album or is a
// screenshot, or it is a PNG shaped like a phone screen (cameras write JPEG/HEIC at 4:3). A source the host did not
// report ('unknown') is neutral. A screen capture during the visit is only noted: reps capture chats and orders too.
import { finding, note, outcome, type Rule } from '../findings.ts';
import type { PhotoEvidence } from '../types.ts';

/** Phone screens are 16:9 or taller (1080×2340 is 2.17); camera frames are 4:3 (1.33) or 3:2. */
const SCREEN_ASPECT = 1.7;

function looksLikeScreenshot(p: PhotoEvidence): boolean {
  const long = Math.max(p.width, p.height);
  const short = Math.min(p.width, p.height);
  return p.format.toLowerCase() === 'png' && short > 0 && long / short >= SCREEN_ASPECT;
}

export const photoNotCamera: Rule = (facts, _history, params) => {
  const suspects = facts.photos
    .filter((p) => p.source === 'album' || p.source === 'screenshot' || looksLikeScreenshot(p))
    .sort((a, b) => a.id.localeCompare(b.id));
  const captures = facts.screenshotsAt ?? [];
  const captureNote = captures.length === 0 ? null : note('SCREENSHOT_DURING_VISIT',
    `拜访期间手机截屏 ${captures.length} 次`, `The phone's screen was captured ${captures.length} time(s) during the visit`,
    { visitId: facts.visitId, at: captures[0]! });
  if (suspects.length === 0) return outcome([], [captureNote]);
  const first = suspects[0]!;
  const why = first.source === 'album' ? { zh: '来自相册', en: 'came from the album' }
    : first.source === 'screenshot' ? { zh: '是截屏', en: 'is a screenshot' }
      : { zh: `是手机屏幕尺寸的 PNG 图片（${first.width}×${first.height}），像是截屏`, en: `is a phone-screen-sized PNG (${first.width}×${first.height}), like a screenshot` };
  return outcome([finding('PHOTO_NOT_CAMERA', params, {
    measured: suspects.length,
    threshold: 0,
    unit: 'photos',
    zh: `${suspects.length} 张照片不是现场用相机拍摄的：例如「${first.kind}」照片${why.zh}`,
    en: `${suspects.length} photo(s) were not taken with the camera on site: e.g. the "${first.kind}" photo ${why.en}`,
    evidence: { visitId: facts.visitId, photoId: first.id },
  })], [captureNote]);
};
