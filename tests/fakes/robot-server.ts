// Fake chat robots of both hosts, checking what the hosts document and answering with their error codes:
//   WeCom   POST /cgi-bin/webhook/send?key=K   text.content ≤ 2048 B, markdown.content ≤ 4096 B (else 40058),
//           unknown key 93000, over 20 messages/minute 45009
//   DingTalk POST /robot/send?access_token=T[&timestamp&sign]  加签: timestamp within 1 h and
//           sign = Base64(HMAC-SHA256(secret, `${timestamp}\n${secret}`)) (else 310000), body ≤ 20,000 B (460101),
//           markdown needs title and text, at.atUserIds a list of strings, unknown token 300001, over 20/minute 130101
// Only answers with errcode 0 count as delivered (`delivered`). Script failures with FakeHost.script()/delay().
import { createHmac } from 'node:crypto';
import { FakeHost, type FakeReply, type FakeRequest } from './fake-host.ts';

export interface Delivered { robot: string; host: 'wecom' | 'dingtalk'; body: Record<string, unknown>; at: number }

const bytes = (s: unknown) => Buffer.byteLength(String(s ?? ''), 'utf8');
const err = (errcode: number, errmsg: string): FakeReply => ({ json: { errcode, errmsg } });
const isStringList = (v: unknown) => v === undefined || (Array.isArray(v) && v.every((x) => typeof x === 'string'));

export class FakeRobots extends FakeHost {
  readonly delivered: Delivered[] = [];
  /** Refusals with their reason, for assertions that something was checked. */
  readonly refused: { robot: string; errcode: number; errmsg: string }[] = [];
  perMinute = 20;
  /** The receiver's clock for the rate window (tests align it with the server's fake clock). */
  now: () => number = Date.now;
  private readonly wecomKeys = new Set<string>();
  private readonly dingtalkTokens = new Map<string, string | undefined>();
  private readonly recent = new Map<string, number[]>();

  constructor() {
    super();
    this.on('POST', '/cgi-bin/webhook/send', (r) => this.wecom(r));
    this.on('POST', '/robot/send', (r) => this.dingtalk(r));
  }

  /** Registers a WeCom robot; returns its webhook URL. */
  wecomRobot(key: string): string {
    this.wecomKeys.add(key);
    return `${this.url}/cgi-bin/webhook/send?key=${key}`;
  }

  /** Registers a DingTalk robot (with 加签 when `secret` is given); returns its webhook URL. */
  dingtalkRobot(token: string, secret?: string): string {
    this.dingtalkTokens.set(token, secret);
    return `${this.url}/robot/send?access_token=${token}`;
  }

  of(robot: string): Delivered[] {
    return this.delivered.filter((d) => d.robot === robot);
  }

  private refuse(robot: string, errcode: number, errmsg: string): FakeReply {
    this.refused.push({ robot, errcode, errmsg });
    return err(errcode, errmsg);
  }

  private overLimit(robot: string): boolean {
    const now = this.now();
    const recent = (this.recent.get(robot) ?? []).filter((t) => t > now - 60_000);
    this.recent.set(robot, recent);
    if (recent.length >= this.perMinute) return true;
    recent.push(now);
    return false;
  }

  private wecom(r: FakeRequest): FakeReply {
    const key = r.query.get('key') ?? '';
    const robot = `wecom:${key}`;
    if (!this.wecomKeys.has(key)) return this.refuse(robot, 93000, 'invalid webhook url');
    const b = r.body as { msgtype?: string; text?: { content?: unknown; mentioned_list?: unknown }; markdown?: { content?: unknown } };
    if (b.msgtype === 'text') {
      if (typeof b.text?.content !== 'string' || !isStringList(b.text.mentioned_list)) return this.refuse(robot, 40008, 'invalid message type');
      if (bytes(b.text.content) > 2048) return this.refuse(robot, 40058, 'text.content exceed max length 2048');
    } else if (b.msgtype === 'markdown') {
      if (typeof b.markdown?.content !== 'string' || b.markdown.content === '') return this.refuse(robot, 40008, 'invalid message type');
      if (bytes(b.markdown.content) > 4096) return this.refuse(robot, 40058, 'markdown.content exceed max length 4096');
    } else {
      return this.refuse(robot, 40008, 'invalid message type');
    }
    if (this.overLimit(robot)) return this.refuse(robot, 45009, 'api freq out of limit');
    this.delivered.push({ robot, host: 'wecom', body: r.body, at: this.now() });
    return { json: { errcode: 0, errmsg: 'ok' } };
  }

  private dingtalk(r: FakeRequest): FakeReply {
    const token = r.query.get('access_token') ?? '';
    const robot = `dingtalk:${token}`;
    if (!this.dingtalkTokens.has(token)) return this.refuse(robot, 300001, 'token is not exist');
    const secret = this.dingtalkTokens.get(token);
    if (secret) {
      const timestamp = r.query.get('timestamp') ?? '';
      // The receiver's wall clock: DingTalk compares with its own time, whatever clock the sender's tests use.
      if (!/^\d{13}$/.test(timestamp) || Math.abs(Date.now() - Number(timestamp)) > 3_600_000) return this.refuse(robot, 310000, 'invalid timestamp');
      const expected = createHmac('sha256', secret).update(`${timestamp}\n${secret}`).digest('base64');
      if (r.query.get('sign') !== expected) return this.refuse(robot, 310000, 'sign not match');
    }
    if (r.raw.length > 20_000) return this.refuse(robot, 460101, 'message too long, exceed 20000 bytes');
    const b = r.body as { msgtype?: string; text?: { content?: unknown }; markdown?: { title?: unknown; text?: unknown }; at?: { atUserIds?: unknown; atMobiles?: unknown; isAtAll?: unknown } };
    if (b.msgtype === 'markdown') {
      if (typeof b.markdown?.title !== 'string' || !b.markdown.title || typeof b.markdown.text !== 'string' || !b.markdown.text) return this.refuse(robot, 40035, '缺少参数 markdown.title/text');
    } else if (b.msgtype === 'text') {
      if (typeof b.text?.content !== 'string') return this.refuse(robot, 40035, '缺少参数 text.content');
    } else {
      return this.refuse(robot, 40035, '不支持的消息类型');
    }
    if (b.at !== undefined && (!isStringList(b.at.atUserIds) || !isStringList(b.at.atMobiles))) return this.refuse(robot, 40035, '不合法的参数 at');
    if (this.overLimit(robot)) return this.refuse(robot, 130101, 'send too fast, exceed 20 times per minute');
    this.delivered.push({ robot, host: 'dingtalk', body: r.body, at: this.now() });
    return { json: { errcode: 0, errmsg: 'ok' } };
  }
}

export async function startFakeRobots(): Promise<FakeRobots> {
  return new FakeRobots().start();
}
