// The evaluation through the API end to end on a few visits: the server, not the sample, decides the verdict.
import { describe, expect, inject, it } from 'vitest';
import { defaultParams, generate } from '../../scripts/eval/run.ts';
import { runThroughApi } from '../../scripts/eval/api/run-api.ts';

describe('npm run eval -- --through-api', () => {
  it('judges a clear honest visit green and a teleport red from the history the server gathered itself', async () => {
    const { results, visitsSent } = await runThroughApi({ n: 3, only: ['normal', 'teleport'], lanes: 2, params: defaultParams(), generate, mongoUri: inject('mongoUri') });
    const [normal, teleport] = results;
    expect(normal!.errors).toEqual([]);
    expect(teleport!.errors).toEqual([]);
    expect(normal!.api).toMatchObject({ key: 'normal', n: 3, green: 3 });
    expect(teleport!.api).toMatchObject({ key: 'teleport', n: 3, green: 0 });
    // The teleport is measured from the previous visit the server found by itself (sent first, at its own times).
    expect(teleport!.api.reasons.find(([code]) => code === 'IMPOSSIBLE_TRAVEL')?.[1]).toBe(3);
    expect(teleport!.diff.bandChanged).toBe(0);
    // Each sample's earlier visits went through the API too: the previous visit, last month's visit.
    expect(visitsSent).toBeGreaterThan(6);
  }, 120_000);
});
