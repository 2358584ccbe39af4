// The behaviour funnel: conversion per step, median time between steps, and the bottleneck named.
import { describe, expect, it } from 'vitest';
import { funnelCounter, funnelSteps, type StepTimes } from '../../../server/kpis/funnel.ts';

const at = (min: number) => new Date(Date.UTC(2026, 10, 10, 1, 0) + min * 60_000);

describe('funnel', () => {
  it('orders the chosen steps and refuses an end before the start', () => {
    expect(funnelSteps('started', 'green', ['submitted', 'checkedIn'])).toEqual(['started', 'checkedIn', 'submitted', 'green']);
    expect(funnelSteps('submitted', 'started', [])).toBe('ORDER');
    expect(funnelSteps('checkedIn', 'submitted', ['started'])).toBe('ORDER');
  });

  it('counts visits reaching each step through every step before it, with median minutes and the bottleneck', () => {
    const steps = funnelSteps('started', 'followUpDone', ['checkedIn', 'submitted', 'followUpCreated']);
    if (steps === 'ORDER') throw new Error('bad steps');
    const counter = funnelCounter(steps);
    const visits: StepTimes[] = [
      { started: at(0), checkedIn: at(2), submitted: at(30), followUpCreated: at(30), followUpDone: at(2 * 24 * 60) },
      { started: at(0), checkedIn: at(4), submitted: at(40), followUpCreated: at(40) },
      { started: at(0), checkedIn: at(6), submitted: at(20), followUpCreated: at(20) },
      { started: at(0), checkedIn: at(8), submitted: at(50), followUpCreated: at(50), followUpDone: at(3 * 24 * 60) },
      { started: at(0), checkedIn: at(10) },
      { started: at(0) },
      { started: at(0), submitted: at(10), followUpDone: at(20) }, // skipped check-in: stops at started
    ];
    for (const v of visits) counter.add(v);
    const r = counter.result();
    expect(r.steps.map((s) => [s.step, s.count, s.conversion, s.medianMinutes])).toEqual([
      ['started', 7, 1, null],
      ['checkedIn', 5, 0.714, 6],
      ['submitted', 4, 0.8, 32], // gaps 28, 36, 14, 42 → median (28 + 36) / 2
      ['followUpCreated', 4, 1, 0],
      ['followUpDone', 2, 0.5, 3560], // 2880 − 30 and 4320 − 50 → median 3560
    ]);
    expect(r.conversion).toBe(0.286);
    expect(r.bottleneck).toMatchObject({ step: 'followUpDone', from: 'followUpCreated', conversion: 0.5, lost: 2 });
    expect(r.bottleneck?.reason_zh).toBe('「创建跟进事项」到「完成跟进」只转化 50%，流失 2 次');
  });

  it('names no bottleneck when nothing is lost, and reports null conversions for an empty period', () => {
    const c = funnelCounter(['started', 'checkedIn']);
    c.add({ started: at(0), checkedIn: at(1) });
    expect(c.result().bottleneck).toBeNull();
    expect(funnelCounter(['started', 'checkedIn']).result()).toMatchObject({ conversion: null, bottleneck: null });
  });
});
