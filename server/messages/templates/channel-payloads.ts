// What each channel sends, as the hosts document it, and the size each one accepts. Pure.
//   WeCom group robot     POST /cgi-bin/webhook/send?key=…   { msgtype:'markdown', markdown:{ content ≤ 4096 B } }
//   DingTalk custom robot POST /robot/send?access_token=…    { msgtype:'markdown', markdown:{ title, text }, at:{ atUserIds } },
//                         whole body ≤ 20,000 B (errcode 460101 "message too long, exceed 20000 bytes", seen in several
//                         projects' logs; not on a page we could read, hence [M])
//   WeCom app message     POST /cgi-bin/message/send         { touser, msgtype:'markdown', markdown:{ content ≤ 2048 B },
//                         enable_duplicate_check:1, duplicate_check_interval } (+ agentid when sent)
//   DingTalk work notice  POST /topapi/message/corpconversation/asyncsend_v2  { userid_list, msg:{ msgtype:'markdown',
//                         markdown:{ title, text } } } (+ agent_id when sent); msg ≤ 2048 B (older official page)
import type { HostName } from '../../hosts/common/host-http.ts';
import type { ChannelKind } from '../../hosts/messaging.ts';
import { DIALECTS, splitDraft, utf8Bytes, type Draft, type Part } from './draft.ts';

export type { ChannelKind };
export const CHANNEL_KINDS: readonly ChannelKind[] = ['wecomRobot', 'dingtalkRobot', 'wecomApp', 'dingtalkWork'];

export const LIMITS = {
  wecomRobotMarkdownBytes: 4096,
  wecomRobotTextBytes: 2048,
  dingtalkRobotBodyBytes: 20_000,
  wecomAppMarkdownBytes: 2048,
  dingtalkWorkMsgBytes: 2048,
} as const;

/** WeCom drops a repeat of the same app message to the same people within this window (its maximum, 4 h). */
export const WECOM_DUPLICATE_CHECK_SEC = 4 * 3600;

export const hostOf = (kind: ChannelKind): HostName => (kind.startsWith('wecom') ? 'wecom' : 'dingtalk');
export const isRobot = (kind: ChannelKind): boolean => kind === 'wecomRobot' || kind === 'dingtalkRobot';

/** The host payload of one part; `to` is the recipient's host userid for the personal channels. */
export function payloadOf(kind: ChannelKind, part: Part, to = ''): Record<string, unknown> {
  switch (kind) {
    case 'wecomRobot':
      return { msgtype: 'markdown', markdown: { content: part.markdown } };
    case 'dingtalkRobot':
      return { msgtype: 'markdown', markdown: { title: part.title, text: part.markdown }, at: { atUserIds: part.mentions, isAtAll: false } };
    case 'wecomApp':
      return { touser: to, msgtype: 'markdown', markdown: { content: part.markdown }, enable_duplicate_check: 1, duplicate_check_interval: WECOM_DUPLICATE_CHECK_SEC };
    case 'dingtalkWork':
      return { userid_list: to, msg: { msgtype: 'markdown', markdown: { title: part.title, text: part.markdown } } };
  }
}

/** The measure each host limits, in UTF-8 bytes. */
export function measuredBytes(kind: ChannelKind, payload: Record<string, unknown>): number {
  switch (kind) {
    case 'wecomRobot':
    case 'wecomApp':
      return utf8Bytes((payload.markdown as { content: string }).content);
    case 'dingtalkRobot':
      return utf8Bytes(JSON.stringify(payload));
    case 'dingtalkWork':
      return utf8Bytes(JSON.stringify(payload.msg));
  }
}

export function limitOf(kind: ChannelKind): number {
  switch (kind) {
    case 'wecomRobot': return LIMITS.wecomRobotMarkdownBytes;
    case 'dingtalkRobot': return LIMITS.dingtalkRobotBodyBytes;
    case 'wecomApp': return LIMITS.wecomAppMarkdownBytes;
    case 'dingtalkWork': return LIMITS.dingtalkWorkMsgBytes;
  }
}

// The agent id (app messages) and `at` defaults add a few bytes when sent: keep that much spare.
const SPARE_BYTES = 64;

export interface Rendered { title: string; payloads: Record<string, unknown>[]; bytes: number[] }

/** A draft as the payloads one channel sends: split to the channel's limit, mentions kept only where the host has them. */
export function render(draft: Draft, kind: ChannelKind, to = ''): Rendered {
  const limit = limitOf(kind) - SPARE_BYTES;
  const withoutMentions = !isRobot(kind);
  const fit = (part: Part) => measuredBytes(kind, payloadOf(kind, part, to)) <= limit;
  const parts = splitDraft(draft, DIALECTS[hostOf(kind)], fit).map((p) => (withoutMentions ? { ...p, mentions: [] } : p));
  const payloads = parts.map((p) => payloadOf(kind, p, to));
  return { title: draft.title, payloads, bytes: payloads.map((p) => measuredBytes(kind, p)) };
}
