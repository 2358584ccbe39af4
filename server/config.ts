// Configuration from the environment. Secrets and switches come only from here, never from code.
import { readFileSync } from 'node:fs';
import { consoleDistDir, miniappDistDir } from './paths.ts';

/** A group-chat robot: its webhook URL (which holds the key or access token) and, for DingTalk 加签, its SEC… secret. */
export interface RobotSecret { host: 'wecom' | 'dingtalk'; webhook: string; secret?: string }

/**
 * Per-tenant host app secrets and chat robots, keyed by tenant code. Never stored in the database, never sent to a
 * browser; the database holds only robot ids.
 */
export type HostSecrets = Record<string, { wecom?: { secret: string }; dingtalk?: { appSecret: string }; robots?: Record<string, RobotSecret> }>;

export interface Config {
  port: number;
  host: string;
  mongoUri: string;
  mongoDb: string;
  /** Development login (pick a user by name, no password). Off unless explicitly enabled. */
  devLoginEnabled: boolean;
  sessionTtlHours: number;
  bodyLimitBytes: number;
  publicUrl: string;
  /** Master secret for store QR codes: per-tenant keys are derived from it. Required in production. */
  qrSecret: string;
  /** Signs short-lived photo links. */
  linkSecret: string;
  /** A CJK font (TTF/TTC) for watermarks and printed QR sheets. */
  fontFile: string;
  photoMaxBytes: number;
  photoMaxPixels: number;
  /** Folder of the built mini-app served at /app/. */
  miniappDist: string;
  /** Folder of the built manager console served at /console/. */
  consoleDist: string;
  hostSecrets: HostSecrets;
  wecomApiBase: string;
  dingtalkOapiBase: string;
  /** Hosts (or full http(s) origins) DingTalk photo URLs may be downloaded from. A bare host means https only. */
  dingtalkMediaHosts: string[];
  hostTimeoutMs: number;
  /** Page origins the server signs JS-API configs for (defaults to the origin of publicUrl). */
  jsapiOrigins: string[];
  /** Scheduled jobs and the message sender run in this process (main.ts only; tests start them explicitly). */
  jobsEnabled: boolean;
  /** Messages per minute per chat robot (both hosts allow 20). */
  robotMaxPerMinute: number;
  /** How long the answers to retried requests are kept (Idempotency-Key). */
  idempotencyTtlDays: number;
  /** How long a running request holds its key before another may take it over (its process died). */
  idempotencyLeaseMs: number;
  /** How long delivered messages and their attempt log are kept. */
  outboxRetentionDays: number;
}

function flag(value: string | undefined): boolean {
  return value === '1' || value === 'true' || value === 'yes';
}

function list(value: string | undefined, fallback: string[]): string[] {
  const items = (value ?? '').split(',').map((v) => v.trim()).filter(Boolean);
  return items.length > 0 ? items : fallback;
}

function hostSecrets(env: NodeJS.ProcessEnv): HostSecrets {
  const text = env.HOST_SECRETS ?? (env.HOST_SECRETS_FILE ? readFileSync(env.HOST_SECRETS_FILE, 'utf8') : '');
  if (!text.trim()) return {};
  const parsed = JSON.parse(text) as unknown;
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('HOST_SECRETS must be a JSON object keyed by tenant code');
  for (const [code, entry] of Object.entries(parsed as HostSecrets)) {
    for (const [id, robot] of Object.entries(entry?.robots ?? {})) {
      if ((robot?.host !== 'wecom' && robot?.host !== 'dingtalk') || !/^https?:\/\//.test(String(robot.webhook ?? ''))) {
        throw new Error(`HOST_SECRETS ${code}.robots.${id} needs host "wecom" or "dingtalk" and an http(s) webhook`);
      }
    }
  }
  return parsed as HostSecrets;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  const publicUrl = env.PUBLIC_URL ?? `http://${host}:${port}`;
  return {
    port,
    host,
    mongoUri: env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027',
    mongoDb: env.MONGODB_DB ?? 'fieldvisit',
    devLoginEnabled: flag(env.DEV_LOGIN_ENABLED),
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 72),
    bodyLimitBytes: Number(env.BODY_LIMIT_KB ?? 1024) * 1024,
    publicUrl,
    qrSecret: env.QR_SECRET ?? '',
    linkSecret: env.LINK_SECRET ?? env.QR_SECRET ?? '',
    fontFile: env.FONT_FILE ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    photoMaxBytes: Number(env.PHOTO_MAX_MB ?? 15) * 1024 * 1024,
    photoMaxPixels: Number(env.PHOTO_MAX_MEGAPIXELS ?? 50) * 1_000_000,
    miniappDist: env.MINIAPP_DIST ?? miniappDistDir,
    consoleDist: env.CONSOLE_DIST ?? consoleDistDir,
    hostSecrets: hostSecrets(env),
    wecomApiBase: env.WECOM_API_BASE ?? 'https://qyapi.weixin.qq.com',
    dingtalkOapiBase: env.DINGTALK_OAPI_BASE ?? 'https://oapi.dingtalk.com',
    dingtalkMediaHosts: list(env.DINGTALK_MEDIA_HOSTS, ['static-legacy.dingtalk.com', 'static.dingtalk.com']),
    hostTimeoutMs: Number(env.HOST_TIMEOUT_MS ?? 8000),
    jsapiOrigins: list(env.JSAPI_ALLOWED_ORIGINS, [new URL(publicUrl).origin]),
    jobsEnabled: env.JOBS_ENABLED === undefined ? true : flag(env.JOBS_ENABLED),
    robotMaxPerMinute: Number(env.ROBOT_MAX_PER_MINUTE ?? 20),
    idempotencyTtlDays: Number(env.IDEMPOTENCY_TTL_DAYS ?? 7),
    idempotencyLeaseMs: Number(env.IDEMPOTENCY_LEASE_SECONDS ?? 30) * 1000,
    outboxRetentionDays: Number(env.OUTBOX_RETENTION_DAYS ?? 30),
  };
}
