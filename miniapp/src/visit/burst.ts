// A short burst of location readings a few seconds apart: one reading can be a stale or jumpy fix; three show
// whether the phone is really standing at the door (and let the server see natural GPS jitter).
import type { Fix, HostAdapter } from '../hosts/host.ts';

export interface BurstProgress { done: number; total: number }

export async function locateBurst(adapter: HostAdapter, total: number, gapMs: number, onProgress: (p: BurstProgress) => void): Promise<{ fixes: Fix[]; error?: unknown }> {
  const fixes: Fix[] = [];
  let error: unknown;
  for (let i = 0; i < total; i += 1) {
    const started = Date.now();
    try {
      fixes.push(await adapter.locate());
    } catch (err) {
      error = err;
      if (fixes.length === 0 && i === 0) break; // no permission or no GPS: the rep must act before retrying
    }
    onProgress({ done: i + 1, total });
    if (i < total - 1) await new Promise((r) => setTimeout(r, Math.max(0, gapMs - (Date.now() - started))));
  }
  return { fixes, error };
}
