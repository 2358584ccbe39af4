// Turns what a host hands back (numbers that may arrive as strings, base64 photos in two spellings) into the
// shapes of host.ts, refusing readings the server could not use.
import type { Fix, HostName } from './host.ts';
import { HostError } from './host-error.ts';

const MAX_ACCURACY_M = 100_000; // the check-in schema's bound: a worse reading still says "very imprecise"

export function makeFix(
  host: HostName,
  raw: { lng: unknown; lat: unknown; accuracy?: unknown },
  fields: Pick<Fix, 'system'> & Partial<Pick<Fix, 'provider' | 'isMock' | 'uncached' | 'deviceTime'>>,
): Fix {
  const lng = Number(raw.lng);
  const lat = Number(raw.lat);
  const valid = Number.isFinite(lng) && Number.isFinite(lat) && Math.abs(lng) <= 180 && Math.abs(lat) <= 90
    && !(lng === 0 && lat === 0); // hosts report (0,0) when they had no fix
  if (!valid) throw new HostError('unavailable', 'location', host, `bad coordinates ${String(raw.lng)},${String(raw.lat)}`);
  const fix: Fix = {
    lng,
    lat,
    system: fields.system,
    provider: fields.provider ?? 'unknown',
    deviceTime: fields.deviceTime ?? new Date().toISOString(),
  };
  const accuracy = Number(raw.accuracy);
  if (raw.accuracy !== undefined && raw.accuracy !== null && Number.isFinite(accuracy) && accuracy >= 0) {
    fix.accuracyM = Math.min(accuracy, MAX_ACCURACY_M);
  }
  if (fields.isMock !== undefined) fix.isMock = fields.isMock;
  if (fields.uncached !== undefined) fix.uncached = fields.uncached;
  return fix;
}

/**
 * Bytes of a base64 image. WeCom iOS sends a data URL (`data:image/jpeg;base64,…`); Android sends bare base64
 * wrapped with newlines. Throws on anything that is not a JPEG/PNG/WebP/HEIC picture.
 */
export function blobFromBase64(data: string): Blob {
  const match = /^data:([^;,]*)(?:;[^,]*)?,/.exec(data);
  const body = (match ? data.slice(match[0].length) : data).replace(/[\s\r\n]/g, '');
  const binary = atob(body);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  const type = sniffImageType(bytes);
  if (!type) throw new Error('not an image');
  return new Blob([bytes], { type });
}

function sniffImageType(b: Uint8Array): string | undefined {
  if (b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47) return 'image/png';
  const tag = String.fromCharCode(...b.subarray(0, 12));
  if (tag.startsWith('RIFF') && tag.slice(8, 12) === 'WEBP') return 'image/webp';
  if (tag.slice(4, 8) === 'ftyp') return 'image/heic';
  return undefined;
}
