// Which visits of a day get a phone call-back: per rep, yellow ones first, then the rest in a stable
// pseudo-random order (hash of the visit id), so every instance and every reload picks the same ones. Pure.
import { createHash } from 'node:crypto';

export interface Candidate { visitId: string; repId: string; band: 'green' | 'yellow' | 'red' }

const BAND_ORDER: Record<Candidate['band'], number> = { yellow: 0, red: 1, green: 2 };
const spread = (id: string) => createHash('sha256').update(id).digest('hex');

export function pickCallbacks(candidates: Candidate[], perRep: number): Candidate[] {
  const byRep = new Map<string, Candidate[]>();
  for (const c of candidates) byRep.set(c.repId, [...(byRep.get(c.repId) ?? []), c]);
  const picked: Candidate[] = [];
  for (const list of byRep.values()) {
    list.sort((a, b) => BAND_ORDER[a.band] - BAND_ORDER[b.band] || spread(a.visitId).localeCompare(spread(b.visitId)));
    picked.push(...list.slice(0, perRep));
  }
  return picked;
}
