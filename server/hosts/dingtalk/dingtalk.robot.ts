// DingTalk custom robot (自定义机器人): POST to the webhook (access_token in the URL is the credential). With 加签
// the URL also carries `timestamp` (ms) and `sign` = URL-encoded Base64 of HMAC-SHA256(key = secret,
// `${timestamp}\n${secret}`); DingTalk refuses a timestamp more than an hour from its clock (310000), so the wall
// clock signs, never a test's fake one. Errors come back as HTTP 200 with errcode ≠ 0 (130101 over 20/min,
// 310000 keyword/sign/IP refused, 300001 unknown token, 460101 body over 20,000 bytes).
import { createHmac } from 'node:crypto';
import type { AxiosInstance } from 'axios';
import { callJson, type HostReply } from '../common/host-http.ts';

export const DINGTALK_ROBOT_API = '/robot/send';

/** The Base64 signature (before URL encoding). */
export function dingtalkRobotSign(secret: string, timestampMs: number): string {
  return createHmac('sha256', secret).update(`${timestampMs}\n${secret}`, 'utf8').digest('base64');
}

export function signedRobotUrl(webhook: string, secret: string | undefined, nowMs: number): string {
  if (!secret) return webhook;
  const sep = webhook.includes('?') ? '&' : '?';
  return `${webhook}${sep}timestamp=${nowMs}&sign=${encodeURIComponent(dingtalkRobotSign(secret, nowMs))}`;
}

export async function sendDingtalkRobot(http: AxiosInstance, webhook: string, secret: string | undefined, payload: Record<string, unknown>, nowMs = Date.now()): Promise<HostReply> {
  return callJson<HostReply>(http, 'dingtalk', DINGTALK_ROBOT_API, {
    url: signedRobotUrl(webhook, secret, nowMs), method: 'post', data: payload, headers: { 'content-type': 'application/json; charset=utf-8' },
  });
}
