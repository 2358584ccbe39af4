// WeCom group robot (消息推送, formerly 群机器人, WC doc 99110): POST the message to the webhook URL, whose `key` is the
// credential. Errors come back as HTTP 200 with errcode ≠ 0 (93000 invalid webhook url, 40058 content too long,
// 45009 over the 20 messages/minute limit).
import type { AxiosInstance } from 'axios';
import { callJson, type HostReply } from '../common/host-http.ts';

export const WECOM_ROBOT_API = '/cgi-bin/webhook/send';

export async function sendWecomRobot(http: AxiosInstance, webhook: string, payload: Record<string, unknown>): Promise<HostReply> {
  // The URL carries the key: errors are labelled with the API path only, so logs never show it.
  return callJson<HostReply>(http, 'wecom', WECOM_ROBOT_API, { url: webhook, method: 'post', data: payload, headers: { 'content-type': 'application/json' } });
}
