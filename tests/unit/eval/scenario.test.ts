// The materialiser: every History item of a sample becomes an earlier visit the server will find by itself.
import { describe, expect, it } from 'vitest';
import { scenarioOf } from '../../../scripts/eval/api/scenario.ts';
import { defaultParams } from '../../../scripts/eval/run.ts';
import { patternByKey } from '../../../scripts/eval/patterns.ts';

const params = defaultParams();
const make = (key: string, i: number) => patternByKey(key).make(i, params);

describe('scenarioOf', () => {
  it('sends the previous visit, checked out at its fix, and last month\'s visit before the judged one', async () => {
    const s = await make('teleport', 0);
    const { visits } = scenarioOf(s);
    const judged = visits.at(-1)!;
    expect(judged).toMatchObject({ judged: true, key: s.facts.visitId, rep: s.facts.repId });
    const prev = visits.find((v) => v.key === s.history.previousVisit!.visitId)!;
    expect(prev.checkOutFixes[0]).toEqual(s.history.previousVisit!.checkOutFix);
    expect(prev.checkOut.deviceTime.getTime()).toBeLessThanOrEqual(s.facts.checkIn.deviceTime.getTime());
    expect(visits.find((v) => v.key.endsWith('-month-1'))?.contactsMet).toEqual(s.history.contacts.previousMonthsContactIds[0]);
  });

  it('puts another rep on this phone for a proxy check-in, and one joint visit for the colleague\'s fix and photo', async () => {
    const proxy = await make('proxy-check-in', 0);
    const friend = scenarioOf(proxy).visits.find((v) => v.rep !== proxy.facts.repId)!;
    expect(friend.deviceId).toBe(proxy.facts.deviceId);
    expect(friend.checkIn.deviceTime).toEqual(proxy.history.deviceUsedByOtherReps[0]!.at);

    let joint = await make('joint-visit', 0);
    for (let i = 1; !joint.earlierPhotos; i += 1) joint = await make('joint-visit', i);
    const { visits } = scenarioOf(joint);
    const colleague = visits.filter((v) => v.rep === joint.history.otherRepsIdenticalFixes[0]!.repId);
    expect(colleague).toHaveLength(1);
    expect(colleague[0]).toMatchObject({ jointVisit: true, photos: [{ bytes: joint.earlierPhotos![0]!.bytes }] });
    const mine = joint.facts.fixes[0]!;
    expect(colleague[0]!.checkInFixes[0]).toMatchObject({ lng: mine.lng, lat: mine.lat });
    expect(visits.at(-1)!.jointVisit).toBe(true);
  });

  it('names what the API cannot carry', async () => {
    const phone = await make('quick-legit', 0); // i = 0 is a phone visit: no fixes
    expect(phone.facts.visitType).toBe('phone');
    expect(scenarioOf(phone).gaps).toContain('check-in without a fix');
  });
});
