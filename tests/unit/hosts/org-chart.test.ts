// Reporting lines from the org chart: the leader of the main department; for that department's own leader, the
// leader above; leaders we do not know are skipped upwards.
import { describe, expect, it } from 'vitest';
import { leadersOf, managerOf, type OrgDept } from '../../../server/hosts/org-chart.ts';

const chart = new Map<string, OrgDept>([
  ['1', { id: '1', parentId: null, leaderIds: ['ceo'] }],
  ['2', { id: '2', parentId: '1', leaderIds: ['vp', 'vp2'] }],
  ['3', { id: '3', parentId: '2', leaderIds: ['lead'] }],
  ['4', { id: '4', parentId: '3', leaderIds: [] }],
  ['5', { id: '5', parentId: '2', leaderIds: ['outsider'] }],
]);

describe('managerOf', () => {
  it('a member reports to the leader of their main department', () => {
    expect(managerOf('rep', '3', chart)).toBe('lead');
  });

  it('a department without a leader defers to its parent', () => {
    expect(managerOf('rep', '4', chart)).toBe('lead');
  });

  it('a leader reports to the leader of the parent department, not to a co-leader', () => {
    expect(managerOf('lead', '3', chart)).toBe('vp');
    expect(managerOf('vp2', '2', chart)).toBe('ceo');
  });

  it('the top leader has no manager; unknown departments give none', () => {
    expect(managerOf('ceo', '1', chart)).toBeNull();
    expect(managerOf('rep', '99', chart)).toBeNull();
    expect(managerOf('rep', null, chart)).toBeNull();
  });

  it('leaders outside the known users are skipped upwards', () => {
    expect(managerOf('rep', '5', chart, (id) => id !== 'outsider')).toBe('vp');
  });

  it('survives a cycle in bad data', () => {
    const loop = new Map<string, OrgDept>([['a', { id: 'a', parentId: 'b', leaderIds: [] }], ['b', { id: 'b', parentId: 'a', leaderIds: [] }]]);
    expect(managerOf('x', 'a', loop)).toBeNull();
  });
});

it('leadersOf lists every department leader', () => {
  expect([...leadersOf(chart.values())].sort()).toEqual(['ceo', 'lead', 'outsider', 'vp', 'vp2']);
});
