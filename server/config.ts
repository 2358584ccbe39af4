// Configuration from the environment. Secrets and switches come only from here, never from code.
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
}

function flag(value: string | undefined): boolean {
  return value === '1' || value === 'true' || value === 'yes';
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  const host = env.HOST ?? '127.0.0.1';
  return {
    port,
    host,
    mongoUri: env.MONGODB_URI ?? 'mongodb://127.0.0.1:27027',
    mongoDb: env.MONGODB_DB ?? 'fieldvisit',
    devLoginEnabled: flag(env.DEV_LOGIN_ENABLED),
    sessionTtlHours: Number(env.SESSION_TTL_HOURS ?? 72),
    bodyLimitBytes: Number(env.BODY_LIMIT_KB ?? 1024) * 1024,
    publicUrl: env.PUBLIC_URL ?? `http://${host}:${port}`,
    qrSecret: env.QR_SECRET ?? '',
    linkSecret: env.LINK_SECRET ?? env.QR_SECRET ?? '',
    fontFile: env.FONT_FILE ?? '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc',
    photoMaxBytes: Number(env.PHOTO_MAX_MB ?? 15) * 1024 * 1024,
    photoMaxPixels: Number(env.PHOTO_MAX_MEGAPIXELS ?? 50) * 1_000_000,
  };
}
