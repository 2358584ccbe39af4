// QR_INVALID: the scanned store code failed verification (server/qr/qr-verify.ts). How bad depends on why:
// a forged signature is a hard failure; another store's code or a replayed rotating code is a full deduction;
// a rotating code that is merely a little stale (slow network) costs half; a revoked printed code usually means the
// store still shows the old sticker after a key rotation, which is the company's to fix, so it costs little.
import { finding, fmt, note, nothing, outcome, type Rule } from '../findings.ts';
import type { QrCheckProblem } from '../types.ts';

const SEVERITY: Record<QrCheckProblem, { scale: number; hard?: boolean; zh: string; en: string }> = {
  forged: { scale: 1, hard: true, zh: '签名无效，是伪造的二维码', en: 'its signature is invalid: a forged code' },
  malformed: { scale: 1, zh: '不是本系统的门店二维码', en: 'it is not one of our store codes' },
  'other-store': { scale: 1, zh: '是另一家门店的二维码', en: "it is another store's code" },
  replayed: { scale: 1, zh: '是重复使用的旧动态码（可能是拍下来的）', en: 'it is an old rotating code used again (perhaps photographed)' },
  expired: { scale: 0.5, zh: '动态码已过期', en: 'the rotating code had expired' },
  revoked: { scale: 0.3, zh: '使用的是已停用的旧二维码，请更换门店张贴的新码', en: 'it uses a revoked key; the sticker at the store needs replacing' },
};

export const qrInvalid: Rule = (facts, _history, params) => {
  if (facts.qr?.ok && facts.qr.offlineDelayS !== undefined) {
    const minutes = facts.qr.offlineDelayS / 60;
    return outcome([], [note('QR_SCANNED_OFFLINE',
      `门店动态码在无网络时扫描，${fmt.int(minutes)} 分钟后才上传；扫码时间取自手机，只当作普通门店码，不能单独证明到店`,
      `The store's rotating code was scanned without signal and reached us ${fmt.int(minutes)} min later; the scan time comes from the phone, so it counts as a printed code and does not prove presence by itself`,
      { visitId: facts.visitId, minutes: Math.round(minutes) })]);
  }
  if (!facts.qr || facts.qr.ok) return nothing();
  // A failure without a stated reason is judged as an unknown code, not accused of forgery.
  const problem = facts.qr.problem ?? 'malformed';
  const s = SEVERITY[problem];
  return outcome([finding('QR_INVALID', params, {
    scale: s.scale,
    ...(s.hard ? { hard: true } : {}),
    measured: 1,
    threshold: 0,
    unit: 'flag',
    zh: `扫描的门店二维码未通过校验：${s.zh}`,
    en: `The scanned store code failed verification: ${s.en}`,
    evidence: { visitId: facts.visitId, problem },
  })]);
};
