// DingTalk photos reach us as URLs (e.g. from dd.biz.util.uploadImageFromCamera). The server downloads only from
// configured hosts: an open URL would let any rep make the server fetch internal addresses (SSRF).
import { AppError, fieldError } from '../../http/errors.ts';

/** `allowed` entries: a bare host ("static-legacy.dingtalk.com", https only) or a full origin ("http://10.0.0.5:8080"). */
export function assertAllowedMediaUrl(url: string, allowed: readonly string[]): URL {
  const refuse = (code: string, zh: string, en: string) => new AppError('VALIDATION_FAILED', [fieldError('/url', code, zh, en)]);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw refuse('INVALID_URL', '照片地址格式不正确', 'The photo URL is not a valid URL');
  }
  const ok = !parsed.username && !parsed.password && allowed.some((entry) => (entry.includes('://')
    ? new URL(entry).origin === parsed.origin
    : parsed.protocol === 'https:' && parsed.host === entry.toLowerCase()));
  if (!ok) throw refuse('URL_HOST_NOT_ALLOWED', '照片地址不在允许下载的钉钉域名内', 'The photo URL is not on an allowed DingTalk host');
  return parsed;
}
