// The clock is injected so time-dependent rules and jobs can be tested with a fake one.
export interface Clock { now(): Date }
export const systemClock: Clock = { now: () => new Date() };
