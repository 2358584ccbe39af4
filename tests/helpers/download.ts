// The body of a download as bytes, whatever its type (supertest parses only text and JSON by itself).
import type request from 'supertest';

export function bytes(req: request.Test): Promise<request.Response & { body: Buffer }> {
  return req.buffer(true).parse((res, done) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => done(null, Buffer.concat(chunks)));
  }) as unknown as Promise<request.Response & { body: Buffer }>;
}
