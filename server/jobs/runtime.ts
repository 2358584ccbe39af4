// Starts this process's share of the background work: the outbox sender (polling, and woken by new messages), the
// scheduler (start-up catch-up, then node-cron) and the effects worker. main.ts calls it when JOBS_ENABLED; buildApp never does, so
// tests build apps without timers and start the runtime (or its parts) only where they mean to.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { systemClock, type Clock } from '../lib/clock.ts';
import type { MessagesService } from '../messages/messages.service.ts';
import type { OutboxSender } from '../messages/sender.ts';
import type { JobsService } from './jobs.service.ts';
import type { JobScheduler } from './scheduler.ts';
import { effectsWorker, type EffectsSource, type EffectsWorker } from './effects.worker.ts';

export interface JobsRuntime { instanceId: string; scheduler: JobScheduler; sender: OutboxSender; effects: EffectsWorker; stop(): Promise<void> }

export async function startJobs(services: { messages: MessagesService; jobs: JobsService; effects: EffectsSource }, options: { clock?: Clock; instanceId?: string; senderIntervalMs?: number } = {}): Promise<JobsRuntime> {
  const clock = options.clock ?? systemClock;
  const instanceId = options.instanceId ?? `${hostname()}:${process.pid}:${randomBytes(3).toString('hex')}`;
  const sender = services.messages.sender({ clock, instanceId });
  services.messages.onEnqueued(sender.kick);
  sender.start(options.senderIntervalMs);
  const scheduler = services.jobs.scheduler({ clock, instanceId });
  await scheduler.start();
  const effects = effectsWorker(services.effects);
  effects.start();
  return {
    instanceId, scheduler, sender, effects,
    async stop() {
      await effects.stop();
      await scheduler.stop();
      services.messages.onEnqueued(() => undefined);
      await sender.stop();
    },
  };
}
