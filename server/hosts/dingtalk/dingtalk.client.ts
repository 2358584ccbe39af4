// The DingTalk server APIs this product uses (classic oapi.dingtalk.com), for one internal app (corp id, agent id,
// app key = clientId, app secret). Tokens and tickets come from the shared cache; failures leave as catalog errors.
import type { AxiosInstance } from 'axios';
import { callJson, mapLimit, mapped, type HostReply } from '../common/host-http.ts';
import { downloadBytes } from '../common/media-download.ts';
import { withToken, type Issued, type TokenCache } from '../common/token-cache.ts';
import { hostId, identityFromReply, type HostDepartment, type HostDirectory, type HostIdentity, type HostUser } from '../common/directory.ts';
import { dingtalkErrors, dingtalkMediaErrors, dingtalkTokenErrors, isDingtalkTokenRefused } from './dingtalk.errors.ts';
import { assertAllowedMediaUrl } from './dingtalk.media.ts';

export interface DingtalkApp { corpId: string; agentId: string; clientId: string; appSecret: string }
export interface DingtalkDeps { http: AxiosInstance; media: AxiosInstance; tokens: TokenCache; mediaMaxBytes: number; mediaHosts: readonly string[] }

interface TokenReply extends HostReply { access_token: string; expires_in: number }
interface TicketReply extends HostReply { ticket: string; expires_in: number }
interface Result<T> extends HostReply { result: T }
interface CodeResult { userid: string; device_id?: string }
interface UserResult { userid: string; name: string; dept_id_list?: number[] }
interface DeptBase { dept_id: number; name: string; parent_id?: number }
interface DeptDetail extends DeptBase { dept_manager_userid_list?: string[] }
interface UserPage { has_more: boolean; next_cursor?: number; list?: UserResult[] }
export interface WorkNoticeReply extends HostReply { task_id?: number }

const ROOT_DEPT = 1;
const PAGE_SIZE = 100;

function toUser(u: UserResult): HostUser {
  const departmentIds = (u.dept_id_list ?? []).map(String);
  // DingTalk has no "main department": the first listed one decides the manager.
  return { id: u.userid, name: u.name, departmentIds, mainDepartmentId: departmentIds[0] ?? null };
}

export function dingtalkClient(app: DingtalkApp, deps: DingtalkDeps) {
  const key = `dingtalk:${app.clientId}`;
  const { http } = deps;

  const fetchToken = async (): Promise<Issued> => {
    const r = await mapped(callJson<TokenReply>(http, 'dingtalk', '/gettoken', { params: { appkey: app.clientId, appsecret: app.appSecret } }), dingtalkTokenErrors);
    return { value: r.access_token, expiresInSec: Number(r.expires_in) };
  };

  const call = <T extends HostReply>(api: string, body?: object) =>
    mapped(withToken(deps.tokens, key, fetchToken, (token) => callJson<T>(http, 'dingtalk', api,
      body ? { method: 'post', params: { access_token: token }, data: body } : { params: { access_token: token } }), isDingtalkTokenRefused), dingtalkErrors);

  /** Walks the tree from the root: listsub answers one level at a time. */
  async function departmentIds(): Promise<number[]> {
    const found = [ROOT_DEPT];
    for (let i = 0; i < found.length; i += 1) {
      const subs = (await call<Result<DeptBase[]>>('/topapi/v2/department/listsub', { dept_id: found[i] })).result ?? [];
      for (const d of subs) if (!found.includes(d.dept_id)) found.push(d.dept_id);
    }
    return found;
  }

  async function departments(): Promise<HostDepartment[]> {
    return mapLimit(await departmentIds(), 5, async (id) => {
      const d = (await call<Result<DeptDetail>>('/topapi/v2/department/get', { dept_id: id })).result;
      return { id: String(d.dept_id), name: d.name, parentId: d.dept_id === ROOT_DEPT ? null : hostId(d.parent_id), leaderIds: d.dept_manager_userid_list ?? [] };
    });
  }

  async function usersOf(deptId: string): Promise<UserResult[]> {
    const out: UserResult[] = [];
    let cursor = 0;
    for (;;) {
      const page = (await call<Result<UserPage>>('/topapi/v2/user/list', { dept_id: Number(deptId), cursor, size: PAGE_SIZE })).result;
      out.push(...(page.list ?? []));
      if (!page.has_more || page.next_cursor === undefined) return out;
      cursor = page.next_cursor;
    }
  }

  return {
    host: 'dingtalk' as const,
    accessToken: () => mapped(deps.tokens.get(key, fetchToken), dingtalkErrors),

    /** One ticket per app; it signs dd.config. */
    jsapiTicket(): Promise<string> {
      return deps.tokens.get(`${key}:ticket`, async () => {
        const r = await call<TicketReply>('/get_jsapi_ticket');
        return { value: r.ticket, expiresInSec: Number(r.expires_in) };
      });
    },

    async userFromCode(code: string): Promise<HostIdentity> {
      const r = (await call<Partial<Result<Partial<CodeResult> | null>>>('/topapi/v2/user/getuserinfo', { code })).result;
      return identityFromReply(r?.userid, r?.device_id);
    },

    async user(userId: string): Promise<HostUser> {
      return toUser((await call<Result<UserResult>>('/topapi/v2/user/get', { userid: userId, language: 'zh_CN' })).result);
    },

    async directory(): Promise<HostDirectory> {
      const depts = await departments();
      const byUser = new Map<string, HostUser>();
      for (const list of await mapLimit(depts, 5, (d) => usersOf(d.id))) {
        for (const u of list) if (!byUser.has(u.userid)) byUser.set(u.userid, toUser(u));
      }
      return { departments: depts, users: [...byUser.values()] };
    },

    /**
     * Work notification (工作通知, corpconversation/asyncsend_v2) as this app: `agent_id` is filled in here. Refusals
     * stay HostCallErrors so the outbox can tell a rate limit from a permanent refusal.
     */
    sendWorkNotification(body: Record<string, unknown>): Promise<WorkNoticeReply> {
      return withToken(deps.tokens, key, fetchToken, (token) => callJson<WorkNoticeReply>(http, 'dingtalk', '/topapi/message/corpconversation/asyncsend_v2', {
        method: 'post', params: { access_token: token }, data: { ...body, agent_id: Number(app.agentId) },
      }), isDingtalkTokenRefused);
    },

    /** A photo on DingTalk's storage, downloaded only from the configured hosts. */
    async media(url: string): Promise<Buffer> {
      const parsed = assertAllowedMediaUrl(url, deps.mediaHosts);
      return mapped(downloadBytes(deps.media, 'dingtalk', parsed.pathname, { url: parsed.toString() }, deps.mediaMaxBytes), dingtalkMediaErrors);
    },
  };
}

export type DingtalkClient = ReturnType<typeof dingtalkClient>;
