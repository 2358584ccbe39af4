// The board's request started before the page's own code arrives: the console opens on the board, so main.ts starts
// it at once and the page picks it up (the server's answer and the page's chunk load side by side, not in turn).
import { api } from '../api.ts';
import type { KpiResult } from '../types/board.ts';
import { boardHashQuery, boardQuery, kpisPath } from './board-query.ts';

let early: { path: string; answer: Promise<KpiResult> } | null = null;

/** Starts the board's request when the console opens on the board and someone is signed in. */
export function prefetchBoard(hash: string, me: { id: string; role: string } | undefined): void {
  const query = boardHashQuery(hash);
  if (!me || !query) return;
  const path = kpisPath(boardQuery(query, me));
  const answer = api<KpiResult>(path);
  answer.catch(() => undefined); // not unhandled: the page awaits it and shows the error
  early = { path, answer };
}

/** The board's answer: the early request when it was for this path (once), else a new one. */
export function fetchBoard(path: string): Promise<KpiResult> {
  const mine = early?.path === path ? early.answer : null;
  early = null;
  return mine ?? api<KpiResult>(path);
}
