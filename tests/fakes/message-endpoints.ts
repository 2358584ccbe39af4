// Message sending added to the fake hosts through their on() extension point:
//   WeCom message/send (WC doc 90236): token checked, agentid must be the app's, touser required, markdown.content
//     ≤ 2048 B (else 40058); with enable_duplicate_check = 1 the same content to the same user within
//     duplicate_check_interval (default 1800 s) is accepted but not delivered again, as WeCom documents.
//   DingTalk corpconversation/asyncsend_v2: token checked, agent_id must be the app's, userid_list required, msg ≤
//     2048 B; the same content to the same user is delivered once a day (answered ok, not delivered again).
// `delivered` lists what reached a person; `calls` every accepted request.
import type { FakeReply, FakeRequest } from './fake-host.ts';
import type { FakeWecom } from './wecom-server.ts';
import type { FakeDingtalk } from './dingtalk-server.ts';

export interface PersonalMessage { to: string; body: Record<string, unknown>; at: number }
export interface MessageInbox { delivered: PersonalMessage[]; calls: number; now: () => number }

const bytes = (s: string) => Buffer.byteLength(s, 'utf8');

export function addWecomAppMessages(fake: FakeWecom, agentId: string): MessageInbox {
  const inbox: MessageInbox = { delivered: [], calls: 0, now: Date.now };
  fake.on('POST', '/cgi-bin/message/send', (r: FakeRequest) => fake.authed(r, (): FakeReply => {
    const b = r.body as { touser?: unknown; msgtype?: unknown; agentid?: unknown; markdown?: { content?: unknown }; enable_duplicate_check?: unknown; duplicate_check_interval?: unknown };
    if (b.agentid !== Number(agentId)) return { json: { errcode: 40056, errmsg: 'invalid agentid' } };
    if (typeof b.touser !== 'string' || !b.touser) return { json: { errcode: 40035, errmsg: 'touser, toparty, totag cannot be all empty' } };
    if (b.msgtype !== 'markdown' || typeof b.markdown?.content !== 'string') return { json: { errcode: 40008, errmsg: 'invalid message type' } };
    if (bytes(b.markdown.content) > 2048) return { json: { errcode: 40058, errmsg: 'markdown.content exceed max length 2048' } };
    inbox.calls += 1;
    const windowMs = Number(b.duplicate_check_interval ?? 1800) * 1000;
    const repeat = b.enable_duplicate_check === 1 && inbox.delivered.some((d) => d.to === b.touser
      && (d.body.markdown as { content: string }).content === (b.markdown as { content: string }).content && inbox.now() - d.at < windowMs);
    if (!repeat) inbox.delivered.push({ to: b.touser, body: r.body, at: inbox.now() });
    return { json: { errcode: 0, errmsg: 'ok', invaliduser: '', msgid: `msg-${inbox.calls}` } };
  }));
  return inbox;
}

export function addDingtalkWorkNotices(fake: FakeDingtalk, agentId: string): MessageInbox {
  const inbox: MessageInbox = { delivered: [], calls: 0, now: Date.now };
  const day = (t: number) => new Date(t + 8 * 3_600_000).toISOString().slice(0, 10);
  fake.on('POST', '/topapi/message/corpconversation/asyncsend_v2', (r: FakeRequest) => fake.authed(r, (): FakeReply => {
    const b = r.body as { agent_id?: unknown; userid_list?: unknown; msg?: { msgtype?: unknown; markdown?: { title?: unknown; text?: unknown } } };
    if (b.agent_id !== Number(agentId)) return { json: { errcode: 40056, errmsg: '不合法的agentid', request_id: 'fake' } };
    if (typeof b.userid_list !== 'string' || !b.userid_list) return { json: { errcode: 40035, errmsg: '缺少参数 userid_list', request_id: 'fake' } };
    if (b.msg?.msgtype !== 'markdown' || typeof b.msg.markdown?.title !== 'string' || typeof b.msg.markdown.text !== 'string') {
      return { json: { errcode: 40035, errmsg: '缺少参数 msg', request_id: 'fake' } };
    }
    if (bytes(JSON.stringify(b.msg)) > 2048) return { json: { errcode: 40035, errmsg: 'msg 超过 2048 字节', request_id: 'fake' } };
    inbox.calls += 1;
    const text = b.msg.markdown.text;
    const repeat = inbox.delivered.some((d) => d.to === b.userid_list && ((d.body.msg as { markdown: { text: string } }).markdown.text === text) && day(d.at) === day(inbox.now()));
    if (!repeat) inbox.delivered.push({ to: b.userid_list, body: r.body, at: inbox.now() });
    return { json: { errcode: 0, errmsg: 'ok', task_id: 1000 + inbox.calls, request_id: 'fake' } };
  }));
  return inbox;
}
