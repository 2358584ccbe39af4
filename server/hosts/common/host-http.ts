// HTTP to the hosts' classic APIs: a bounded axios instance per base URL, one JSON call that turns `errcode ≠ 0`
// (sent with HTTP 200) into a HostCallError, and the mapping of those errors onto the project's error catalog.
import axios, { type AxiosInstance, type AxiosRequestConfig } from 'axios';
import { AppError, fieldError, type ErrorCode } from '../../http/errors.ts';
import { logger } from '../../lib/logger.ts';

export type HostName = 'wecom' | 'dingtalk';

const LABEL: Record<HostName, { zh: string; en: string }> = {
  wecom: { zh: '企业微信', en: 'WeCom' },
  dingtalk: { zh: '钉钉', en: 'DingTalk' },
};

/** The envelope both hosts' classic APIs answer with. */
export interface HostReply { errcode?: number; errmsg?: string; sub_code?: string; sub_msg?: string }

/** The host refused a call (errcode), or the call never got a usable answer (errcode null: timeout, network, HTTP error). */
export class HostCallError extends Error {
  constructor(
    readonly host: HostName,
    readonly api: string,
    readonly errcode: number | null,
    readonly errmsg: string,
    readonly subCode?: string,
  ) {
    super(`${host} ${api}: ${errcode ?? 'transport'} ${errmsg}`);
  }
}

export function hostHttp(baseURL: string, timeoutMs: number): AxiosInstance {
  // No redirects: a host API never redirects, and following one could leak the access token in the query.
  return axios.create({ baseURL, timeout: timeoutMs, maxRedirects: 0, headers: { accept: 'application/json' } });
}

/** Axios errors carry the request config (with the access token): keep only what is safe to log. */
export function transportError(host: HostName, api: string, err: unknown): HostCallError {
  const e = err as { code?: string; message?: string; response?: { status?: number } };
  const what = e.response?.status ? `HTTP ${e.response.status}` : (e.code ?? 'network error');
  return new HostCallError(host, api, null, `${what}: ${e.message ?? ''}`.slice(0, 200));
}

export async function callJson<T extends HostReply>(http: AxiosInstance, host: HostName, api: string, config: AxiosRequestConfig = {}): Promise<T> {
  let data: unknown;
  try {
    data = (await http.request({ url: api, method: 'get', responseType: 'json', ...config })).data;
  } catch (err) {
    throw transportError(host, api, err);
  }
  if (!data || typeof data !== 'object') throw new HostCallError(host, api, null, 'the reply is not JSON');
  const reply = data as T;
  if (reply.errcode !== undefined && Number(reply.errcode) !== 0) {
    throw new HostCallError(host, api, Number(reply.errcode), String(reply.errmsg ?? ''), reply.sub_code === undefined ? undefined : String(reply.sub_code));
  }
  return reply;
}

export interface ErrorTable {
  /** errcode → catalog code. */
  codes: ReadonlyMap<number, ErrorCode>;
  /** For a refusal not in `codes`. */
  fallback: ErrorCode;
}

/** A host failure as the client sees it: a catalog code, with the host's errcode and errmsg in the details and the log. */
export function toAppError(err: unknown, table: ErrorTable): unknown {
  if (!(err instanceof HostCallError)) return err;
  const code = err.errcode === null ? 'HOST_UNAVAILABLE' : (table.codes.get(err.errcode) ?? table.fallback);
  logger.warn('host call failed', { host: err.host, api: err.api, errcode: err.errcode, errmsg: err.errmsg, subCode: err.subCode, mapped: code });
  const label = LABEL[err.host];
  const shown = err.errcode === null ? 'no answer' : String(err.errcode);
  const sub = err.subCode ? ` (sub_code ${err.subCode})` : '';
  return new AppError(code, [fieldError('', `${err.host.toUpperCase()}_${err.errcode ?? 'TRANSPORT'}`,
    `${label.zh}接口 ${err.api} 返回 ${shown}${sub}：${err.errmsg}`, `${label.en} ${err.api} answered ${shown}${sub}: ${err.errmsg}`)]);
}

/** Runs a host call and rethrows its failure as a catalog error. */
export async function mapped<T>(work: Promise<T>, table: ErrorTable): Promise<T> {
  try {
    return await work;
  } catch (err) {
    throw toAppError(err, table);
  }
}

/** Runs `fn` over items with at most `limit` calls in flight (hosts limit concurrency per app). */
export async function mapLimit<I, O>(items: readonly I[], limit: number, fn: (item: I) => Promise<O>): Promise<O[]> {
  const out: O[] = new Array<O>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i] as I);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
