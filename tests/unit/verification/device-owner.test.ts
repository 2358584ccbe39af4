// Whose phone it is (server/visits/device-owner.ts), from the host sign-ins and the visits made on it.
import { describe, expect, it } from 'vitest';
import { pickDeviceOwner } from '../../../server/visits/device-owner.ts';
import { params } from './fixtures.ts';

const p = params(); // deviceOwnerMinVisits 3
const uses = (...pairs: [string, number][]) => pairs.map(([repId, visits]) => ({ repId, visits }));

describe('pickDeviceOwner', () => {
  it('the one user who signs in with the phone owns it, even before any visit', () => {
    expect(pickDeviceOwner(['rep-a'], [], p)).toEqual({ repId: 'rep-a', by: 'host-login' });
    expect(pickDeviceOwner(['rep-a'], uses(['rep-a', 40], ['rep-b', 1]), p)).toEqual({ repId: 'rep-a', by: 'host-login' });
  });

  it('a sign-in the visits clearly contradict names nobody (a colleague signed in on a phone another uses daily)', () => {
    expect(pickDeviceOwner(['rep-b'], uses(['rep-a', 40], ['rep-b', 1]), p)).toBeUndefined();
  });

  it('several sign-ins: the clear most frequent of them; no sign-in: the clear most frequent user', () => {
    expect(pickDeviceOwner(['rep-a', 'rep-b'], uses(['rep-a', 40], ['rep-b', 2], ['rep-c', 90]), p)).toEqual({ repId: 'rep-a', by: 'most-visits', visits: 40, totalVisits: 132 });
    expect(pickDeviceOwner([], uses(['rep-b', 2], ['rep-a', 12]), p)).toEqual({ repId: 'rep-a', by: 'most-visits', visits: 12, totalVisits: 14 });
  });

  it('a new phone (too few visits) or a tie (no lead of twice the runner-up) has no known owner', () => {
    expect(pickDeviceOwner([], uses(['rep-a', 2]), p)).toBeUndefined();
    expect(pickDeviceOwner([], uses(['rep-a', 6], ['rep-b', 4]), p)).toBeUndefined();
    expect(pickDeviceOwner([], [], p)).toBeUndefined();
  });
});
