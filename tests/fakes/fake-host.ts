// A tiny HTTP server for faking a host's API in tests: routes by method + path, counts calls, and lets a test
// script the next answers of a path (an error body, a delay, another status) before the normal handler runs.
// WeCom and DingTalk fakes build on it; later fakes (robots, message sending) add routes with `on()`.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  /** Parsed JSON body ({} when absent or not JSON). */
  body: Record<string, unknown>;
  raw: Buffer;
  headers: IncomingMessage['headers'];
}

/** A JSON answer (status 200 unless given), or raw bytes with a content type. */
export type FakeReply =
  | { json: unknown; status?: number; delayMs?: number }
  | { bytes: Buffer; contentType: string; status?: number; delayMs?: number };

export type FakeHandler = (req: FakeRequest) => FakeReply | Promise<FakeReply>;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class FakeHost {
  private server: Server | null = null;
  private readonly routes = new Map<string, FakeHandler>();
  private readonly scripted = new Map<string, FakeReply[]>();
  private readonly delays = new Map<string, number>();
  private readonly counts = new Map<string, number>();
  /** Every request, in order (for assertions on what was sent). */
  readonly log: FakeRequest[] = [];
  url = '';

  on(method: string, path: string, handler: FakeHandler): this {
    this.routes.set(`${method.toUpperCase()} ${path}`, handler);
    return this;
  }

  /** The next answers of `path` (any method), used once each, before the normal handler. */
  script(path: string, ...replies: FakeReply[]): this {
    this.scripted.set(path, [...(this.scripted.get(path) ?? []), ...replies]);
    return this;
  }

  /** Every answer of `path` waits this long (0 removes the delay). */
  delay(path: string, ms: number): this {
    if (ms > 0) this.delays.set(path, ms);
    else this.delays.delete(path);
    return this;
  }

  calls(path: string): number {
    return this.counts.get(path) ?? 0;
  }

  resetCounts(): void {
    this.counts.clear();
    this.log.length = 0;
  }

  async start(): Promise<this> {
    this.server = createServer((req, res) => void this.handle(req, res));
    await new Promise<void>((ok) => this.server!.listen(0, '127.0.0.1', () => ok()));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async close(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise<void>((ok) => this.server!.close(() => ok()));
    this.server = null;
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const url = new URL(req.url ?? '/', 'http://fake');
    let body: Record<string, unknown> = {};
    try {
      const parsed = JSON.parse(raw.toString('utf8')) as unknown;
      if (parsed && typeof parsed === 'object') body = parsed as Record<string, unknown>;
    } catch { /* not JSON */ }
    const request: FakeRequest = { method: req.method ?? 'GET', path: url.pathname, query: url.searchParams, body, raw, headers: req.headers };
    this.log.push(request);
    this.counts.set(url.pathname, this.calls(url.pathname) + 1);

    const queue = this.scripted.get(url.pathname);
    const handler = this.routes.get(`${request.method} ${url.pathname}`) ?? this.prefixRoute(request.method, url.pathname);
    let reply: FakeReply;
    if (queue && queue.length > 0) reply = queue.shift() as FakeReply;
    else if (handler) reply = await handler(request);
    else reply = { json: { errcode: 404, errmsg: 'no such fake endpoint' }, status: 404 };

    const wait = (reply.delayMs ?? 0) + (this.delays.get(url.pathname) ?? 0);
    if (wait > 0) await sleep(wait);
    if (res.destroyed) return;
    if ('json' in reply) {
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(reply.json));
    } else {
      res.writeHead(reply.status ?? 200, { 'content-type': reply.contentType, 'content-length': String(reply.bytes.length) });
      res.end(reply.bytes);
    }
  }

  /** Routes registered as "METHOD /prefix/*" match any path under the prefix. */
  private prefixRoute(method: string, path: string): FakeHandler | undefined {
    for (const [key, handler] of this.routes) {
      const [m, p] = key.split(' ') as [string, string];
      if (m === method && p.endsWith('/*') && path.startsWith(p.slice(0, -1))) return handler;
    }
    return undefined;
  }
}
