// Settings merge over the defaults key by key: a tenant that saved only one time keeps every other default, a
// request that changes one field leaves the rest, and lists are replaced whole.
import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, effectiveSettings, robotsForTeam, specOf } from '../../../server/jobs/notification-settings.ts';

describe('notification settings', () => {
  it('gives the defaults to a tenant that never saved any', () => {
    expect(effectiveSettings(null)).toEqual(DEFAULT_SETTINGS);
    expect(effectiveSettings(undefined).schedule.dailyBoard).toEqual({ enabled: true, time: '08:30' });
    expect(specOf('weeklySummary', DEFAULT_SETTINGS.schedule)).toEqual({ kind: 'weekly', weekday: 1, hour: 9, minute: 0 });
    expect(specOf('reportReminder', DEFAULT_SETTINGS.schedule)).toEqual({ kind: 'hourly', minute: 0 });
  });

  it('changes only what is given, replaces lists whole, drops unknown keys, and can reset the host to null', () => {
    const saved = effectiveSettings({ schedule: { dailyBoard: { time: '07:45' } }, channels: { personalHost: 'dingtalk', teams: [{ managerId: 'm1', robotIds: ['a', 'b'] }] } });
    expect(saved.schedule.dailyBoard).toEqual({ enabled: true, time: '07:45' });
    expect(saved.schedule.eveningReminder.time).toBe('18:30');
    const next = effectiveSettings({ schedule: { planReminder: { draftDueDay: 20 }, bogus: 1 }, channels: { personalHost: null, teams: [{ managerId: 'm1', robotIds: ['c'] }] } }, saved);
    expect(next.schedule.dailyBoard.time).toBe('07:45');
    expect(next.schedule.planReminder).toEqual({ enabled: true, time: '10:00', draftDueDay: 20, daysBefore: 3 });
    expect(next.channels).toEqual({ personalHost: null, teams: [{ managerId: 'm1', robotIds: ['c'] }], defaultRobotIds: [] });
    expect('bogus' in next.schedule).toBe(false);
  });

  it('routes a team to its robots, and teams without any (or without a manager) to the default robots', () => {
    const channels = { personalHost: null, teams: [{ managerId: 'm1', robotIds: ['r1'] }, { managerId: 'm2', robotIds: [] }], defaultRobotIds: ['all'] };
    expect(robotsForTeam(channels, 'm1')).toEqual(['r1']);
    expect(robotsForTeam(channels, 'm2')).toEqual(['all']);
    expect(robotsForTeam(channels, null)).toEqual(['all']);
  });
});
