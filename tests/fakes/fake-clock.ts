// A clock tests set and move by hand (the server's Clock interface), and China-time instants written as such.
import type { Clock } from '../../server/lib/clock.ts';

export class FakeClock implements Clock {
  private t: number;
  constructor(start: Date | string) { this.t = typeof start === 'string' ? shanghai(start).getTime() : start.getTime(); }
  now(): Date { return new Date(this.t); }
  set(at: Date | string): void { this.t = typeof at === 'string' ? shanghai(at).getTime() : at.getTime(); }
  advance(ms: number): void { this.t += ms; }
}

/** '2026-03-12 08:30' (or with seconds) in Asia/Shanghai. */
export function shanghai(local: string): Date {
  return new Date(`${local.replace(' ', 'T')}${local.length <= 16 ? ':00' : ''}+08:00`);
}
