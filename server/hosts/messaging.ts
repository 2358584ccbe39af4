// Sending one message through one channel, and what a failure means for the sender: retry soon, wait out a rate
// limit, or give up. Robots come from config (HOST_SECRETS.<tenant>.robots); app messages and work notifications go
// through the tenant's host clients, so they share the token cache with everything else.
import axios from 'axios';
import type { Config, RobotSecret } from '../config.ts';
import { AppError } from '../http/errors.ts';
import { HostCallError, type HostName } from './common/host-http.ts';
import type { HostApps } from './host-apps.ts';
import type { TenantHostFields } from './host-settings.ts';
import { sendWecomRobot } from './wecom/wecom.robot.ts';
import { sendDingtalkRobot } from './dingtalk/dingtalk.robot.ts';

export type ChannelKind = 'wecomRobot' | 'dingtalkRobot' | 'wecomApp' | 'dingtalkWork';
export interface ChannelRef { kind: ChannelKind; robotId?: string | null }

export type FailureKind = 'retry' | 'rateLimited' | 'permanent';
export interface SendFailure { kind: FailureKind; code: string; message: string }

/** Over the limit: WeCom 45009 (robots and APIs) / 45033 (concurrency); DingTalk robot 130101 ("send too fast"). */
const RATE_LIMITED = new Set([45009, 45033, 130101]);
/** Will not get better by retrying: bad webhook or key, refused signature/keyword/IP, content too long, nobody to send to. */
const PERMANENT = new Set([93000, 40058, 81013, 60020, 310000, 300001, 300005, 460101, 400013]);
const PERMANENT_APP_ERRORS = new Set(['HOST_NOT_CONFIGURED', 'HOST_CREDENTIALS_INVALID', 'HOST_IP_NOT_ALLOWED']);

export function classifySendError(err: unknown): SendFailure {
  if (err instanceof HostCallError) {
    const code = `${err.host.toUpperCase()}_${err.errcode ?? 'TRANSPORT'}`;
    const message = `${err.api}: ${err.errmsg}`.slice(0, 300);
    if (err.errcode === null) return { kind: 'retry', code, message };
    if (RATE_LIMITED.has(err.errcode)) return { kind: 'rateLimited', code, message };
    return { kind: PERMANENT.has(err.errcode) ? 'permanent' : 'retry', code, message };
  }
  if (err instanceof AppError) {
    const kind: FailureKind = err.code === 'HOST_RATE_LIMITED' ? 'rateLimited' : PERMANENT_APP_ERRORS.has(err.code) ? 'permanent' : 'retry';
    return { kind, code: err.code, message: (err.details[0]?.message_en ?? err.message).slice(0, 300) };
  }
  return { kind: 'retry', code: 'UNEXPECTED', message: String((err as Error)?.message ?? err).slice(0, 300) };
}

export function hostMessaging(config: Config, apps: HostApps) {
  const robotHttp = axios.create({ timeout: config.hostTimeoutMs, maxRedirects: 0 });
  const robotsOf = (tenantCode: string): Record<string, RobotSecret> => config.hostSecrets[tenantCode]?.robots ?? {};

  return {
    /** The robots configured for a tenant: ids and hosts only (the webhooks are credentials). */
    robots(tenantCode: string): { id: string; host: HostName }[] {
      return Object.entries(robotsOf(tenantCode)).map(([id, r]) => ({ id, host: r.host }));
    },

    /** Sends one payload; throws HostCallError / AppError (see classifySendError) when it was not accepted. */
    async send(tenant: TenantHostFields, channel: ChannelRef, payload: Record<string, unknown>): Promise<{ ref: string | null }> {
      switch (channel.kind) {
        case 'wecomRobot':
        case 'dingtalkRobot': {
          const robot = channel.robotId ? robotsOf(tenant.code)[channel.robotId] : undefined;
          const host: HostName = channel.kind === 'wecomRobot' ? 'wecom' : 'dingtalk';
          if (!robot || robot.host !== host) throw new AppError('HOST_NOT_CONFIGURED', [{ field: '/robotId', code: 'ROBOT_NOT_CONFIGURED', message_zh: `服务器未配置机器人 ${channel.robotId ?? ''}`, message_en: `No robot ${channel.robotId ?? ''} is configured` }]);
          if (host === 'wecom') await sendWecomRobot(robotHttp, robot.webhook, payload);
          else await sendDingtalkRobot(robotHttp, robot.webhook, robot.secret, payload);
          return { ref: null };
        }
        case 'wecomApp': {
          const r = await apps.wecom(tenant).client.sendAppMessage(payload);
          // One recipient per message: if WeCom names them invalid, nobody got it.
          if (r.invaliduser) throw new HostCallError('wecom', '/cgi-bin/message/send', 81013, `invaliduser ${r.invaliduser}`);
          return { ref: r.msgid ?? null };
        }
        case 'dingtalkWork': {
          const r = await apps.dingtalk(tenant).client.sendWorkNotification(payload);
          return { ref: r.task_id === undefined ? null : String(r.task_id) };
        }
      }
    },
  };
}

export type HostMessaging = ReturnType<typeof hostMessaging>;
