// What the screens show about the outbox: how many steps wait, which visits are stuck, whether it is sending.
import { reactive } from 'vue';
import { ownerKey } from '../session.ts';
import { db, type LocalVisit } from './db.ts';

export const outbox = reactive({
  /** Steps of the signed-in rep still on the phone. */
  pending: 0,
  /** Steps the server refused; each stops its visit until the rep acts. */
  failed: 0,
  /** Waiting steps per local visit id. */
  byVisit: {} as Record<string, number>,
  sending: false,
  online: navigator.onLine,
  /** When the next automatic retry runs (ms since epoch), if one is scheduled. */
  retryAt: null as number | null,
});

type Listener = (localId: string) => void;
const listeners = new Set<Listener>();

/** Subscribes to changes of local visits; returns the unsubscribe function. */
export function onVisitChanged(fn: Listener): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function refreshOutbox(): Promise<void> {
  const owner = ownerKey();
  const ops = owner ? await (await db()).getAllFromIndex('ops', 'byOwner', owner) : [];
  const byVisit: Record<string, number> = {};
  for (const op of ops) byVisit[op.visitLocalId] = (byVisit[op.visitLocalId] ?? 0) + 1;
  outbox.pending = ops.length;
  outbox.failed = ops.filter((o) => o.failed).length;
  outbox.byVisit = byVisit;
}

export function changed(visit: Pick<LocalVisit, 'localId'> | string): void {
  const id = typeof visit === 'string' ? visit : visit.localId;
  void refreshOutbox();
  for (const fn of listeners) fn(id);
}
