// The one interface the pages use to reach the phone: location, camera, scanner and login. Each host (WeCom,
// DingTalk, a plain browser) has an adapter; only adapters import a host SDK, and pages never ask which host runs.

export type HostName = 'wecom' | 'dingtalk' | 'browser';

/** One location reading, as the server's check-in API takes it (schemas/api/visits.json#/$defs/Fix). */
export interface Fix {
  lng: number;
  lat: number;
  system: 'WGS84' | 'GCJ02' | 'BD09';
  accuracyM?: number;
  provider?: 'gps' | 'wifi' | 'lbs' | 'network' | 'unknown';
  /** The host said the reading came from a mock-location app (DingTalk Android only). */
  isMock?: boolean;
  /** DingTalk: asked for with `useCache: false`, so a repeat of the same point is not the host's 2-minute cache. */
  uncached?: boolean;
  /** ISO time on the phone's clock. */
  deviceTime: string;
}

/** A photo taken for the visit: the bytes when the host hands them over, else a host media id the server downloads. */
export type CapturedPhoto =
  | { kind: 'blob'; blob: Blob; source: 'camera' | 'album' | 'unknown'; deviceTime: string }
  | { kind: 'hostMedia'; host: 'wecom' | 'dingtalk'; mediaId?: string; url?: string; source: 'camera'; deviceTime: string };

/** What the server tells an unauthenticated app about its tenant (GET /api/hosts/bootstrap?tenant=CODE). */
export interface TenantBootstrap {
  tenant: { code: string; name: string };
  wecom: { corpId: string; agentId: string } | null;
  dingtalk: { corpId: string; agentId: string; clientId: string } | null;
  devLogin: boolean;
}

/** Server-computed JS-API signature for a page URL (POST /api/hosts/:host/jsapi-signature). */
export interface JsApiSignature {
  timestamp: number;
  nonceStr: string;
  signature: string;
}

export type Signer = (kind: 'corp' | 'agent', url: string) => Promise<JsApiSignature>;

export interface HostAdapter {
  readonly name: HostName;
  /** Before login: the host's one-time login code, or null when this host has none (the browser's dev login). */
  loginCode(boot: TenantBootstrap): Promise<string | null>;
  /** After login: registers the host's JS-API with server-signed config. */
  ready(boot: TenantBootstrap, sign: Signer): Promise<void>;
  /** A fresh location reading (never a cached fix). */
  locate(): Promise<Fix>;
  /** Opens the camera (camera only where the host allows it) and returns the photo. */
  takePhoto(): Promise<CapturedPhoto>;
  /** Scans a QR code and returns its text; null when the user cancelled. */
  scan(): Promise<string | null>;
  /** A stable id of this install when the host gives one. */
  deviceId(): Promise<string | undefined>;
}
