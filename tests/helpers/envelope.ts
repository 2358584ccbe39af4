// Assertions on the one error envelope: {error:{code,message_zh,message_en,details:[{field,code,message_zh,message_en}]}}.
import { expect } from 'vitest';
import type { Response } from 'supertest';

export interface Detail { field: string; code: string; message_zh: string; message_en: string }
export interface ErrorBody { code: string; message_zh: string; message_en: string; details: Detail[] }

const HAN = /\p{Script=Han}/u;

function expectMessages(m: { message_zh: unknown; message_en: unknown }, where: string): void {
  expect(typeof m.message_zh, `${where} message_zh`).toBe('string');
  expect(typeof m.message_en, `${where} message_en`).toBe('string');
  expect((m.message_zh as string).trim().length, `${where} message_zh empty`).toBeGreaterThan(0);
  expect((m.message_en as string).trim().length, `${where} message_en empty`).toBeGreaterThan(0);
  expect(m.message_zh as string, `${where} message_zh has no Chinese`).toMatch(HAN);
}

/**
 * Asserts status, code and the envelope shape; `detail` (if given) must appear among the details.
 * Never accepts a 5xx: every case here is the client's fault.
 */
export function expectError(res: Response, status: number, code: string, detail?: { field?: string; code?: string }): ErrorBody {
  const dump = `${res.status} ${JSON.stringify(res.body)}`;
  expect(res.status, dump).toBeLessThan(500);
  expect(res.status, dump).toBe(status);
  expect(res.headers['content-type'], dump).toMatch(/^application\/json/);
  expect(Object.keys(res.body as object), dump).toEqual(['error']);
  const err = (res.body as { error: ErrorBody }).error;
  expect(Object.keys(err).sort(), dump).toEqual(['code', 'details', 'message_en', 'message_zh']);
  expect(err.code, dump).toBe(code);
  expectMessages(err, 'error');
  expect(Array.isArray(err.details), dump).toBe(true);
  for (const d of err.details) {
    expect(Object.keys(d).sort(), dump).toEqual(['code', 'field', 'message_en', 'message_zh']);
    expect(typeof d.field, dump).toBe('string');
    // A JSON pointer: empty (the whole document) or starting with '/'.
    expect(d.field === '' || d.field.startsWith('/'), `not a JSON pointer: ${d.field}`).toBe(true);
    expect(typeof d.code === 'string' && d.code.length > 0, dump).toBe(true);
    expectMessages(d, `detail ${d.field}`);
  }
  if (detail) {
    expect(err.details, dump).toEqual(expect.arrayContaining([expect.objectContaining(detail)]));
  }
  return err;
}
