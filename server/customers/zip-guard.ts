// A look inside a ZIP (an xlsx file) before a spreadsheet library unpacks it: a few MB of upload can expand to
// gigabytes. Declared sizes are summed first (cheap), then every entry is inflated with a hard output cap on
// zlib's thread pool, so a directory that lies about sizes is caught too without blocking the event loop.
import { promisify } from 'node:util';
import { inflateRaw } from 'node:zlib';

const inflate = promisify(inflateRaw);

export interface ZipLimits { maxEntries: number; maxTotalBytes: number }

export type ZipVerdict =
  | { ok: true; entries: number; totalBytes: number }
  | { ok: false; reason: 'not_zip' | 'corrupt' | 'unsupported' | 'too_many_entries' | 'too_large' };

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_DIRECTORY = 0x06054b50;

export function startsLikeZip(data: Buffer): boolean {
  return data.length >= 4 && data.readUInt32LE(0) === LOCAL_HEADER;
}

function findEndOfDirectory(data: Buffer): number {
  const stop = Math.max(0, data.length - 22 - 0xffff); // the archive comment is at most 64 KB
  for (let i = data.length - 22; i >= stop; i--) if (data.readUInt32LE(i) === END_OF_DIRECTORY) return i;
  return -1;
}

export async function inspectZip(data: Buffer, limits: ZipLimits): Promise<ZipVerdict> {
  if (!startsLikeZip(data) || data.length < 22) return { ok: false, reason: 'not_zip' };
  const end = findEndOfDirectory(data);
  if (end < 0) return { ok: false, reason: 'corrupt' };
  const entries = data.readUInt16LE(end + 10);
  let at = data.readUInt32LE(end + 16);
  if (entries === 0xffff || at === 0xffffffff) return { ok: false, reason: 'unsupported' }; // ZIP64: no real xlsx needs it
  if (entries > limits.maxEntries) return { ok: false, reason: 'too_many_entries' };
  let total = 0;
  const bodies: { body: Buffer; size: number }[] = [];
  for (let n = 0; n < entries; n++) {
    if (at + 46 > data.length || data.readUInt32LE(at) !== CENTRAL_HEADER) return { ok: false, reason: 'corrupt' };
    const method = data.readUInt16LE(at + 10);
    const compressed = data.readUInt32LE(at + 20);
    const size = data.readUInt32LE(at + 24);
    const local = data.readUInt32LE(at + 42);
    at += 46 + data.readUInt16LE(at + 28) + data.readUInt16LE(at + 30) + data.readUInt16LE(at + 32);
    total += size;
    if (total > limits.maxTotalBytes) return { ok: false, reason: 'too_large' };
    if (local + 30 > data.length || data.readUInt32LE(local) !== LOCAL_HEADER) return { ok: false, reason: 'corrupt' };
    const start = local + 30 + data.readUInt16LE(local + 26) + data.readUInt16LE(local + 28);
    const body = data.subarray(start, start + compressed);
    if (body.length !== compressed) return { ok: false, reason: 'corrupt' };
    if (method === 0) {
      if (compressed !== size) return { ok: false, reason: 'corrupt' };
      continue;
    }
    if (method !== 8) return { ok: false, reason: 'unsupported' };
    bodies.push({ body, size });
  }
  for (const { body, size } of bodies) {
    try {
      // One byte over the declared size is enough to prove the declaration false.
      if ((await inflate(body, { maxOutputLength: size + 1 })).length !== size) return { ok: false, reason: 'corrupt' };
    } catch {
      return { ok: false, reason: 'corrupt' };
    }
  }
  return { ok: true, entries, totalBytes: total };
}
