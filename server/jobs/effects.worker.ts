// The effects worker: carries out what a state change recorded but its request did not finish (an error, a crash
// between the change and its effects). Every instance may run it; a visit is taken by one worker at a time and
// every effect is idempotent (visits/visit-effects.ts).
import type { Types } from 'mongoose';
import { logger } from '../lib/logger.ts';

export interface EffectsSource {
  tenantIds(): Promise<Types.ObjectId[]>;
  runDueEffects(tenantId: Types.ObjectId): Promise<number>;
}

export function effectsWorker(source: EffectsSource) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function pass(): Promise<number> {
    let done = 0;
    for (const tenantId of await source.tenantIds()) done += await source.runDueEffects(tenantId);
    return done;
  }

  /** One pass over every tenant (at most one at a time in this process); resolves with how many visits it handled. */
  function runOnce(): Promise<number> {
    running ??= pass().finally(() => { running = null; });
    return running;
  }

  return {
    runOnce,
    start(intervalMs = 15_000): void {
      if (timer) return;
      timer = setInterval(() => { runOnce().catch((err: Error) => logger.error('effects worker pass failed', { error: err.message })); }, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = null;
      await running?.catch(() => undefined);
    },
  };
}

export type EffectsWorker = ReturnType<typeof effectsWorker>;
