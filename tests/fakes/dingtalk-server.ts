// A fake DingTalk oapi server following the documented contracts: gettoken (appkey/appsecret) with expires_in,
// tokens a test can expire (40014, 42001, or errcode 88 with that sub_code), get_jsapi_ticket, single-use login
// codes (second use → 40078) with device_id, topapi/v2 user/get, department listsub/get, user/list (paged), image
// downloads under /media/, the IP whitelist refusal (60020). `script()` / `delay()` give busy answers and timeouts.
import { randomBytes } from 'node:crypto';
import { FakeHost, type FakeReply, type FakeRequest } from './fake-host.ts';

export interface DingtalkUser { userid: string; name: string; dept_id_list: number[] }
export interface DingtalkDept { dept_id: number; name: string; parent_id?: number; dept_manager_userid_list?: string[] }

const err = (errcode: number, errmsg: string, extra: Record<string, unknown> = {}): FakeReply => ({ json: { errcode, errmsg, request_id: 'fake', ...extra } });
const ok = (result: unknown): FakeReply => ({ json: { errcode: 0, errmsg: 'ok', request_id: 'fake', result } });

type Refusal = { errcode: number; subCode?: string };

export class FakeDingtalk extends FakeHost {
  readonly appKey: string;
  readonly appSecret: string;
  tokenTtlSec = 7200;
  ticket = `dd-ticket-${randomBytes(6).toString('hex')}`;
  ipBlocked = false;
  /** Page size cap of user/list, small so tests exercise paging. */
  pageCap = 2;
  readonly users = new Map<string, DingtalkUser>();
  readonly departments = new Map<number, DingtalkDept>();
  /** Served at GET /media/<name>. */
  readonly images = new Map<string, { contentType: string; bytes: Buffer }>();
  private readonly tokens = new Map<string, 'valid' | Refusal>();
  private readonly codes = new Map<string, { userId: string; deviceId?: string; used: boolean }>();
  private issued = 0;

  constructor(opts: { appKey?: string; appSecret?: string } = {}) {
    super();
    this.appKey = opts.appKey ?? 'ding-fake-key';
    this.appSecret = opts.appSecret ?? 'ding-fake-secret';
    this.departments.set(1, { dept_id: 1, name: '根部门', dept_manager_userid_list: [] });
    this.on('GET', '/gettoken', (r) => this.gettoken(r));
    this.on('GET', '/get_jsapi_ticket', (r) => this.authed(r, () => ({ json: { errcode: 0, errmsg: 'ok', ticket: this.ticket, expires_in: 7200 } })));
    this.on('POST', '/topapi/v2/user/getuserinfo', (r) => this.authed(r, () => this.userinfo(String(r.body.code ?? ''))));
    this.on('POST', '/topapi/v2/user/get', (r) => this.authed(r, () => {
      const u = this.users.get(String(r.body.userid ?? ''));
      return u ? ok({ ...u, active: true, leader_in_dept: [] }) : err(60121, '找不到该用户');
    }));
    this.on('POST', '/topapi/v2/department/listsub', (r) => this.authed(r, () => {
      const parent = Number(r.body.dept_id ?? 1);
      if (!this.departments.has(parent)) return err(60003, '部门不存在');
      return ok([...this.departments.values()].filter((d) => d.dept_id !== 1 && (d.parent_id ?? 1) === parent)
        .map((d) => ({ dept_id: d.dept_id, name: d.name, parent_id: d.parent_id ?? 1, create_dept_group: false, auto_add_user: false })));
    }));
    this.on('POST', '/topapi/v2/department/get', (r) => this.authed(r, () => {
      const d = this.departments.get(Number(r.body.dept_id));
      return d ? ok({ dept_manager_userid_list: [], ...d, ...(d.dept_id === 1 ? {} : { parent_id: d.parent_id ?? 1 }) }) : err(60003, '部门不存在');
    }));
    this.on('POST', '/topapi/v2/user/list', (r) => this.authed(r, () => {
      const dept = Number(r.body.dept_id);
      const size = Math.min(Number(r.body.size ?? 100), this.pageCap);
      const cursor = Number(r.body.cursor ?? 0);
      const all = [...this.users.values()].filter((u) => u.dept_id_list.includes(dept));
      const list = all.slice(cursor, cursor + size).map((u) => ({ ...u, active: true, leader: Boolean(this.departments.get(dept)?.dept_manager_userid_list?.includes(u.userid)) }));
      const more = cursor + size < all.length;
      return ok({ has_more: more, ...(more ? { next_cursor: cursor + size } : {}), list });
    }));
    this.on('GET', '/media/*', (r) => {
      const img = this.images.get(r.path.slice('/media/'.length));
      return img ? { bytes: img.bytes, contentType: img.contentType } : { json: { code: 'NotFound', message: 'no such object' }, status: 404 };
    });
  }

  /** The code dd.runtime.permission.requestAuthCode hands the page (valid once). */
  issueCode(userId: string, deviceId?: string): string {
    const code = `dd-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, { userId, deviceId, used: false });
    return code;
  }

  /** Every token issued so far now answers this refusal (40014 is what an expired token is reported to give). */
  expireTokens(refusal: Refusal = { errcode: 40014 }): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, refusal);
  }

  addUser(u: DingtalkUser): this { this.users.set(u.userid, u); return this; }
  addDept(d: DingtalkDept): this { this.departments.set(d.dept_id, { ...this.departments.get(d.dept_id), ...d }); return this; }
  imageUrl(name: string): string { return `${this.url}/media/${name}`; }

  private gettoken(r: FakeRequest): FakeReply {
    if (this.ipBlocked) return this.ipRefusal();
    if (r.query.get('appkey') !== this.appKey || r.query.get('appsecret') !== this.appSecret) return err(40089, '不合法的corpid或corpsecret');
    this.issued += 1;
    const token = `dt-${this.issued}-${randomBytes(4).toString('hex')}`;
    this.tokens.set(token, 'valid');
    return { json: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.tokenTtlSec } };
  }

  /** Runs `handler` only for a valid token; extensions added with on() use it too. */
  authed(r: FakeRequest, handler: () => FakeReply): FakeReply {
    if (this.ipBlocked) return this.ipRefusal();
    const token = r.query.get('access_token');
    if (!token) return err(41001, '缺少access_token参数');
    const state = this.tokens.get(token);
    if (state === undefined) return err(40014, '不合法的access_token');
    if (state !== 'valid') {
      return state.subCode ? err(state.errcode, `ding talk error[subcode=${state.subCode}]`, { sub_code: state.subCode, sub_msg: '不合法的access_token' }) : err(state.errcode, '不合法的access_token');
    }
    return handler();
  }

  private userinfo(code: string): FakeReply {
    const c = this.codes.get(code);
    if (!c || c.used) return err(40078, '不存在的临时授权码');
    c.used = true;
    const u = this.users.get(c.userId);
    return ok({ userid: c.userId, name: u?.name ?? c.userId, unionid: `union-${c.userId}`, sys: false, sys_level: 0, ...(c.deviceId ? { device_id: c.deviceId } : {}) });
  }

  private ipRefusal(): FakeReply {
    return err(60020, '访问ip不在白名单之中,request ip=203.0.113.7');
  }
}

export async function startFakeDingtalk(opts: { appKey?: string; appSecret?: string } = {}): Promise<FakeDingtalk> {
  return new FakeDingtalk(opts).start();
}
