// The WeCom server APIs this product uses, for one self-built app (corp id + agent id + secret). Tokens and tickets
// come from the shared cache; every failure leaves here as a catalog error (host errcode in the details).
import type { AxiosInstance } from 'axios';
import { callJson, mapLimit, mapped, type HostReply } from '../common/host-http.ts';
import { downloadBytes } from '../common/media-download.ts';
import { withToken, type Issued, type TokenCache } from '../common/token-cache.ts';
import { hostId, identityFromReply, type HostDepartment, type HostDirectory, type HostIdentity, type HostUser } from '../common/directory.ts';
import { isWecomTokenRefused, wecomErrors, wecomMediaErrors, wecomTokenErrors } from './wecom.errors.ts';

export interface WecomApp { corpId: string; agentId: string; secret: string }
export interface WecomDeps { http: AxiosInstance; tokens: TokenCache; mediaMaxBytes: number }
export type TicketKind = 'corp' | 'agent';

interface TokenReply extends HostReply { access_token: string; expires_in: number }
interface TicketReply extends HostReply { ticket: string; expires_in: number }
/** auth/getuserinfo; the legacy user/getuserinfo answered UserId/DeviceId/OpenId, so both spellings are read. */
interface CodeReply extends HostReply { userid?: string; UserId?: string; DeviceId?: string; deviceid?: string; openid?: string; OpenId?: string }
interface UserReply extends HostReply { userid: string; name: string; department?: number[]; main_department?: number }
interface DeptIdsReply extends HostReply { department_id?: { id: number; parentid: number }[] }
interface DeptReply extends HostReply { department: { id: number; name: string; parentid: number; department_leader?: string[] } }
interface SimpleListReply extends HostReply { userlist?: { userid: string; name: string; department?: number[] }[] }
export interface AppMessageReply extends HostReply { msgid?: string; invaliduser?: string; invalidparty?: string; invalidtag?: string }

const TICKET_API: Record<TicketKind, { api: string; params: Record<string, string> }> = {
  corp: { api: '/cgi-bin/get_jsapi_ticket', params: {} },
  agent: { api: '/cgi-bin/ticket/get', params: { type: 'agent_config' } },
};

const ids = (list: number[] | undefined): string[] => (list ?? []).map(String);

export function wecomClient(app: WecomApp, deps: WecomDeps) {
  const key = `wecom:${app.corpId}:${app.agentId}`;
  const { http } = deps;

  const fetchToken = async (): Promise<Issued> => {
    const r = await mapped(callJson<TokenReply>(http, 'wecom', '/cgi-bin/gettoken', { params: { corpid: app.corpId, corpsecret: app.secret } }), wecomTokenErrors);
    return { value: r.access_token, expiresInSec: Number(r.expires_in) };
  };

  /** A GET with the access token, retried once if WeCom says the token went stale. */
  const get = <T extends HostReply>(api: string, params: Record<string, string | number> = {}) =>
    mapped(withToken(deps.tokens, key, fetchToken, (token) => callJson<T>(http, 'wecom', api, { params: { access_token: token, ...params } }), isWecomTokenRefused), wecomErrors);

  async function user(userId: string): Promise<HostUser> {
    const r = await get<UserReply>('/cgi-bin/user/get', { userid: userId });
    const departmentIds = ids(r.department);
    return { id: r.userid, name: r.name, departmentIds, mainDepartmentId: hostId(r.main_department) ?? departmentIds[0] ?? null };
  }

  async function departments(): Promise<HostDepartment[]> {
    // simplelist + get per department: the doc flags the recursive department/list as slow.
    const list = (await get<DeptIdsReply>('/cgi-bin/department/simplelist')).department_id ?? [];
    return mapLimit(list, 5, async ({ id }) => {
      const d = (await get<DeptReply>('/cgi-bin/department/get', { id })).department;
      return { id: String(d.id), name: d.name, parentId: hostId(d.parentid), leaderIds: d.department_leader ?? [] };
    });
  }

  return {
    host: 'wecom' as const,
    accessToken: () => mapped(deps.tokens.get(key, fetchToken), wecomErrors),

    /** The corp ticket signs wx.config; the agent ticket (type=agent_config) signs wx.agentConfig. */
    jsapiTicket(kind: TicketKind): Promise<string> {
      const { api, params } = TICKET_API[kind];
      return deps.tokens.get(`${key}:ticket:${kind}`, async () => {
        const r = await get<TicketReply>(api, params);
        return { value: r.ticket, expiresInSec: Number(r.expires_in) };
      });
    },

    async userFromCode(code: string): Promise<HostIdentity> {
      const r = await get<CodeReply>('/cgi-bin/auth/getuserinfo', { code });
      // A non-member (external contact, WeChat user) gets an openid only, which identityFromReply refuses.
      return identityFromReply(r.userid ?? r.UserId, r.DeviceId ?? r.deviceid);
    },

    user,

    async directory(): Promise<HostDirectory> {
      const depts = await departments();
      const byUser = new Map<string, HostUser>();
      const lists = await mapLimit(depts, 5, async (d) => (await get<SimpleListReply>('/cgi-bin/user/simplelist', { department_id: d.id })).userlist ?? []);
      for (const u of lists.flat()) {
        if (!byUser.has(u.userid)) byUser.set(u.userid, { id: u.userid, name: u.name, departmentIds: ids(u.department), mainDepartmentId: ids(u.department)[0] ?? null });
      }
      // Only user/get knows the main department of someone in several departments.
      const several = [...byUser.values()].filter((u) => u.departmentIds.length > 1);
      for (const u of await mapLimit(several, 5, (s) => user(s.id))) byUser.set(u.id, u);
      return { departments: depts, users: [...byUser.values()] };
    },

    /**
     * message/send (WC doc 90236) as this app: `agentid` is filled in here. Refusals stay HostCallErrors (errcode
     * intact) because the outbox decides from the errcode whether to retry, wait out a rate limit or give up.
     */
    sendAppMessage(body: Record<string, unknown>): Promise<AppMessageReply> {
      return withToken(deps.tokens, key, fetchToken, (token) => callJson<AppMessageReply>(http, 'wecom', '/cgi-bin/message/send', {
        method: 'post', params: { access_token: token }, data: { ...body, agentid: Number(app.agentId) },
      }), isWecomTokenRefused);
    },

    /** A photo the app uploaded with ww.uploadImage (serverId = media_id, valid 3 days). */
    media(mediaId: string): Promise<Buffer> {
      return mapped(withToken(deps.tokens, key, fetchToken,
        (token) => downloadBytes(http, 'wecom', '/cgi-bin/media/get', { params: { access_token: token, media_id: mediaId } }, deps.mediaMaxBytes),
        isWecomTokenRefused), wecomMediaErrors);
    },
  };
}

export type WecomClient = ReturnType<typeof wecomClient>;
