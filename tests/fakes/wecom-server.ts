// A fake WeCom server API (qyapi.weixin.qq.com) following the documented contracts: gettoken with expires_in,
// tokens a test can expire (42001, or 40014 as some corps see), corp and agent jsapi tickets, single-use OAuth codes
// (second use → 40029), user/get, departments, user/simplelist, media/get (bytes or a JSON error body), the
// trusted-IP refusal (60020). Use `script()` / `delay()` of FakeHost for busy (-1 / 45009) answers and timeouts.
import { randomBytes } from 'node:crypto';
import { FakeHost, type FakeReply, type FakeRequest } from './fake-host.ts';

export interface WecomUser { userid: string; name: string; department: number[]; main_department?: number }
export interface WecomDept { id: number; name: string; parentid: number; department_leader?: string[] }
export interface WecomCode { userId?: string; openid?: string; legacy?: boolean; deviceId?: string }

const err = (errcode: number, errmsg: string): FakeReply => ({ json: { errcode, errmsg } });

export class FakeWecom extends FakeHost {
  readonly corpId: string;
  readonly secret: string;
  tokenTtlSec = 7200;
  corpTicket = `corp-ticket-${randomBytes(6).toString('hex')}`;
  agentTicket = `agent-ticket-${randomBytes(6).toString('hex')}`;
  /** When set, every call answers 60020 (server egress IP not in the corp's trusted IPs). */
  ipBlocked = false;
  readonly users = new Map<string, WecomUser>();
  readonly departments = new Map<number, WecomDept>();
  readonly media = new Map<string, { contentType: string; bytes: Buffer }>();
  private readonly tokens = new Map<string, 'valid' | number>();
  private readonly codes = new Map<string, WecomCode & { used: boolean }>();
  private issued = 0;

  constructor(opts: { corpId?: string; secret?: string } = {}) {
    super();
    this.corpId = opts.corpId ?? 'ww-fake-corp';
    this.secret = opts.secret ?? 'wecom-fake-secret';
    this.on('GET', '/cgi-bin/gettoken', (r) => this.gettoken(r));
    this.on('GET', '/cgi-bin/get_jsapi_ticket', (r) => this.authed(r, () => ({ json: { errcode: 0, errmsg: 'ok', ticket: this.corpTicket, expires_in: 7200 } })));
    this.on('GET', '/cgi-bin/ticket/get', (r) => this.authed(r, () => (r.query.get('type') === 'agent_config'
      ? { json: { errcode: 0, errmsg: 'ok', ticket: this.agentTicket, expires_in: 7200 } }
      : err(40004, 'invalid type'))));
    this.on('GET', '/cgi-bin/auth/getuserinfo', (r) => this.authed(r, () => this.userinfo(r.query.get('code') ?? '')));
    this.on('GET', '/cgi-bin/user/get', (r) => this.authed(r, () => {
      const u = this.users.get(r.query.get('userid') ?? '');
      return u ? { json: { errcode: 0, errmsg: 'ok', ...u, main_department: u.main_department ?? u.department[0] } } : err(60111, 'invalid userid');
    }));
    this.on('GET', '/cgi-bin/department/simplelist', (r) => this.authed(r, () => ({
      json: { errcode: 0, errmsg: 'ok', department_id: [...this.departments.values()].map((d) => ({ id: d.id, parentid: d.parentid, order: 0 })) },
    })));
    this.on('GET', '/cgi-bin/department/get', (r) => this.authed(r, () => {
      const d = this.departments.get(Number(r.query.get('id')));
      return d ? { json: { errcode: 0, errmsg: 'ok', department: { name_en: '', order: 0, department_leader: [], ...d } } } : err(60123, 'invalid party id');
    }));
    this.on('GET', '/cgi-bin/user/simplelist', (r) => this.authed(r, () => {
      const dept = Number(r.query.get('department_id'));
      if (!this.departments.has(dept)) return err(60123, 'invalid party id');
      const userlist = [...this.users.values()].filter((u) => u.department.includes(dept)).map((u) => ({ userid: u.userid, name: u.name, department: u.department }));
      return { json: { errcode: 0, errmsg: 'ok', userlist } };
    }));
    this.on('GET', '/cgi-bin/media/get', (r) => this.authed(r, () => {
      const m = this.media.get(r.query.get('media_id') ?? '');
      return m ? { bytes: m.bytes, contentType: m.contentType } : err(40007, 'invalid media_id');
    }));
  }

  /** A one-time OAuth code as WeCom appends to the redirect URL (valid once). */
  issueCode(who: WecomCode): string {
    const code = `wc-${randomBytes(8).toString('hex')}`;
    this.codes.set(code, { ...who, used: false });
    return code;
  }

  /** Every token issued so far now answers `errcode` (42001 expired; some corps see 40014). */
  expireTokens(errcode: 42001 | 40014 = 42001): void {
    for (const t of this.tokens.keys()) this.tokens.set(t, errcode);
  }

  addUser(u: WecomUser): this { this.users.set(u.userid, u); return this; }
  addDept(d: WecomDept): this { this.departments.set(d.id, d); return this; }

  private gettoken(r: FakeRequest): FakeReply {
    if (this.ipBlocked) return this.ipRefusal();
    if (r.query.get('corpid') !== this.corpId) return err(40013, 'invalid corpid');
    if (r.query.get('corpsecret') !== this.secret) return err(40001, 'invalid credential');
    this.issued += 1;
    const token = `wt-${this.issued}-${randomBytes(4).toString('hex')}`;
    this.tokens.set(token, 'valid');
    return { json: { errcode: 0, errmsg: 'ok', access_token: token, expires_in: this.tokenTtlSec } };
  }

  /** Runs `ok` only for a valid token (as WeCom checks every API call); extensions added with on() use it too. */
  authed(r: FakeRequest, ok: () => FakeReply): FakeReply {
    if (this.ipBlocked) return this.ipRefusal();
    const token = r.query.get('access_token');
    if (!token) return err(41001, 'access_token missing');
    const state = this.tokens.get(token);
    if (state === undefined) return err(40014, 'invalid access_token');
    if (state !== 'valid') return err(state, state === 42001 ? 'access_token expired' : 'invalid access_token');
    return ok();
  }

  private userinfo(code: string): FakeReply {
    const c = this.codes.get(code);
    if (!c || c.used) return err(40029, 'invalid code');
    c.used = true;
    if (!c.userId) return { json: { errcode: 0, errmsg: 'ok', openid: c.openid ?? 'o-fake' } };
    if (c.legacy) return { json: { errcode: 0, errmsg: 'ok', UserId: c.userId, DeviceId: c.deviceId ?? '' } };
    return { json: { errcode: 0, errmsg: 'ok', userid: c.userId } };
  }

  private ipRefusal(): FakeReply {
    return err(60020, 'not allow to access from your ip, hint: [1700000000_1_abc], from ip: 203.0.113.7');
  }
}

export async function startFakeWecom(opts: { corpId?: string; secret?: string } = {}): Promise<FakeWecom> {
  return new FakeWecom(opts).start();
}
