// Downloads a photo from a host as bytes. Hosts answer errors with a JSON body (and HTTP 200), so the Content-Type
// decides: JSON or text is never treated as an image.
import type { AxiosInstance, AxiosRequestConfig } from 'axios';
import { AppError, fieldError } from '../../http/errors.ts';
import { HostCallError, transportError, type HostName } from './host-http.ts';

const NOT_AN_IMAGE = /json|^text\//i;

function parseJson(data: Buffer): { errcode?: unknown; errmsg?: unknown } | null {
  try {
    const parsed = JSON.parse(data.toString('utf8')) as unknown;
    return parsed && typeof parsed === 'object' ? (parsed as { errcode?: unknown; errmsg?: unknown }) : null;
  } catch {
    return null;
  }
}

function mediaInvalid(host: HostName, reason: string): AppError {
  return new AppError('HOST_MEDIA_INVALID', [fieldError('', 'NOT_AN_IMAGE', `下载的内容不是照片：${reason}`, `The download is not a photo: ${reason}`)]);
}

export async function downloadBytes(http: AxiosInstance, host: HostName, api: string, config: AxiosRequestConfig, maxBytes: number): Promise<Buffer> {
  let res;
  try {
    res = await http.request<ArrayBuffer>({ url: api, method: 'get', ...config, responseType: 'arraybuffer', maxContentLength: maxBytes, maxRedirects: 0 });
  } catch (err) {
    const e = err as { message?: string; response?: { status?: number } };
    if (/maxContentLength/.test(e.message ?? '')) throw new AppError('PHOTO_TOO_LARGE');
    const status = e.response?.status ?? 0;
    if (status >= 300 && status < 500) throw mediaInvalid(host, `HTTP ${status}`);
    throw transportError(host, api, err);
  }
  const data = Buffer.from(res.data);
  const type = String(res.headers['content-type'] ?? '');
  if (NOT_AN_IMAGE.test(type)) {
    const body = parseJson(data);
    if (body && body.errcode !== undefined && Number(body.errcode) !== 0) {
      throw new HostCallError(host, api, Number(body.errcode), String(body.errmsg ?? ''));
    }
    throw mediaInvalid(host, type);
  }
  if (data.length === 0) throw mediaInvalid(host, 'empty body');
  return data;
}
