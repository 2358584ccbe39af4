// The Node HTTP server around the Koa app (main.ts and the tests listen through it). Requests Node cannot parse
// (headers or URL over the limit, malformed request lines) get the API's error envelope and a clean close.
import { createServer, STATUS_CODES, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import type Koa from 'koa';
import { AppError } from './errors.ts';

/** How long a refused connection keeps reading what the client still sends before it is closed. */
const LINGER_MS = 5_000;

/**
 * Answers, then reads and discards the rest of the request until the client hangs up (a lingering close): closing
 * a socket with unread data makes the kernel reset the connection, and the client would lose the answer.
 */
function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (err.code === 'ECONNRESET' || !socket.writable) {
    socket.destroy();
    return;
  }
  const tooLarge = err.code === 'HPE_HEADER_OVERFLOW';
  const status = tooLarge ? 431 : 400;
  const body = JSON.stringify(new AppError(tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST').toBody());
  socket.end([
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}`, 'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`, 'Connection: close', '', body,
  ].join('\r\n'));
  socket.on('error', () => socket.destroy());
  socket.on('end', () => socket.destroy());
  socket.resume();
  setTimeout(() => socket.destroy(), LINGER_MS).unref();
}

export function createHttpServer(app: Koa): Server {
  const server = createServer(app.callback());
  server.on('clientError', answerClientError);
  return server;
}

export function listen(app: Koa, port: number, host: string): Promise<Server> {
  const server = createHttpServer(app);
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, () => ok(server));
  });
}
