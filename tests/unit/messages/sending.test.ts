// What the sender makes of each host answer (retry soon, wait out a rate limit, give up), its back-off, and the
// DingTalk robot signature as the URL carries it.
import { describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import { HostCallError } from '../../../server/hosts/common/host-http.ts';
import { classifySendError } from '../../../server/hosts/messaging.ts';
import { dingtalkRobotSign, signedRobotUrl } from '../../../server/hosts/dingtalk/dingtalk.robot.ts';
import { AppError } from '../../../server/http/errors.ts';
import { backoffMs } from '../../../server/messages/sender.ts';

const refused = (host: 'wecom' | 'dingtalk', errcode: number | null) => new HostCallError(host, '/x', errcode, 'msg');

describe('send failures', () => {
  it('waits out rate limits, retries transient failures, gives up on what retrying cannot fix', () => {
    expect(classifySendError(refused('wecom', 45009))).toMatchObject({ kind: 'rateLimited', code: 'WECOM_45009' });
    expect(classifySendError(refused('dingtalk', 130101))).toMatchObject({ kind: 'rateLimited', code: 'DINGTALK_130101' });
    expect(classifySendError(refused('wecom', null))).toMatchObject({ kind: 'retry', code: 'WECOM_TRANSPORT' });
    expect(classifySendError(refused('wecom', -1))).toMatchObject({ kind: 'retry' });
    for (const code of [93000, 40058, 81013]) expect(classifySendError(refused('wecom', code)).kind).toBe('permanent');
    for (const code of [310000, 300001, 460101]) expect(classifySendError(refused('dingtalk', code)).kind).toBe('permanent');
    expect(classifySendError(new AppError('HOST_RATE_LIMITED')).kind).toBe('rateLimited');
    expect(classifySendError(new AppError('HOST_CREDENTIALS_INVALID')).kind).toBe('permanent');
    expect(classifySendError(new AppError('HOST_UNAVAILABLE')).kind).toBe('retry');
  });

  it('backs off 10 s, 20 s, 40 s … up to 10 minutes; rate limits at least a minute, doubling while they repeat', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs('retry', n, 0))).toEqual([10_000, 20_000, 40_000, 80_000]);
    expect(backoffMs('retry', 12, 0)).toBe(600_000);
    expect([0, 1, 2, 5].map((k) => backoffMs('rateLimited', 3, k))).toEqual([60_000, 120_000, 240_000, 600_000]);
  });
});

describe('DingTalk robot signature', () => {
  it('is Base64 HMAC-SHA256 of "timestamp\\nsecret", URL-encoded in the query', () => {
    const secret = 'SEC0123456789abcdef';
    const ts = 1_800_000_000_123;
    const expected = createHmac('sha256', secret).update(`${ts}\n${secret}`).digest('base64');
    expect(dingtalkRobotSign(secret, ts)).toBe(expected);
    const url = new URL(signedRobotUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', secret, ts));
    expect(url.searchParams.get('access_token')).toBe('abc');
    expect(url.searchParams.get('timestamp')).toBe(String(ts));
    expect(url.searchParams.get('sign')).toBe(expected); // decodes back exactly: '+', '/' and '=' were escaped
    expect(url.search).not.toMatch(/sign=[^&]*[+/=]/);
    expect(signedRobotUrl('https://oapi.dingtalk.com/robot/send?access_token=abc', undefined, ts)).toBe('https://oapi.dingtalk.com/robot/send?access_token=abc');
  });
});
