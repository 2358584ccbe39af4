// 08:30: yesterday's red/yellow/green board to each team's group chat. A chat that serves several teams gets their
// sections in one message (split into parts if long); a team with no robot at all gets its section from the app,
// to its manager.
import type { HostName } from '../hosts/common/host-http.ts';
import { addDays, shanghaiDate } from '../lib/time.ts';
import type { OutgoingMessage } from '../messages/outbox.ts';
import { boardDraft, teamKey } from '../messages/templates/board.ts';
import { render } from '../messages/templates/channel-payloads.ts';
import { DIALECTS, withoutMentions } from '../messages/templates/draft.ts';
import { collect, hoursAfter, personalHost, toPerson, type JobContext, type JobDeps } from './job-context.ts';
import { robotsForTeam } from './notification-settings.ts';
import { logger } from '../lib/logger.ts';

/** The board a morning run shows: the day before, when its data is complete. */
export const boardDateFor = (occurrence: Date): string => addDays(shanghaiDate(occurrence), -1);

export async function dailyBoardJob(ctx: JobContext, deps: JobDeps): Promise<{ messages: OutgoingMessage[]; skipped: number }> {
  const board = await deps.board.dailyBoard(ctx.tenant._id, boardDateFor(ctx.occurrence));
  if (board.teams.length === 0) return { messages: [], skipped: 0 };
  const robots = new Map(deps.robots(ctx.tenant.code).map((r) => [r.id, r.host]));
  const expiresAt = hoursAfter(ctx.occurrence, 12);

  const teamsByRobot = new Map<string, string[]>();
  const unrouted: typeof board.teams = [];
  for (const team of board.teams) {
    const ids = robotsForTeam(ctx.settings.channels, team.managerId).filter((id) => {
      if (!robots.has(id)) logger.warn('board: robot not configured', { tenant: ctx.tenant.code, robotId: id });
      return robots.has(id);
    });
    if (ids.length === 0) unrouted.push(team);
    for (const id of ids) teamsByRobot.set(id, [...(teamsByRobot.get(id) ?? []), teamKey(team)]);
  }

  const messages: OutgoingMessage[] = [];
  for (const [robotId, teams] of teamsByRobot) {
    const host = robots.get(robotId) as HostName;
    const kind = host === 'wecom' ? 'wecomRobot' : 'dingtalkRobot';
    const r = render(boardDraft(board, { dialect: DIALECTS[host], publicUrl: deps.publicUrl }, teams), kind);
    messages.push({ tenantId: ctx.tenant._id, job: 'dailyBoard', period: ctx.period, target: 'board', channel: { kind, robotId }, title: r.title, payloads: r.payloads, expiresAt });
  }

  const host = personalHost(ctx.tenant, ctx.settings);
  const people = unrouted.length > 0 ? await deps.data.people(ctx.tenant._id) : new Map();
  const direct = collect(unrouted.map((team) => (team.managerId && host ? toPerson(ctx, people.get(team.managerId), {
    job: 'dailyBoard', period: ctx.period, target: team.managerId, expiresAt,
    draft: boardDraft(board, { dialect: withoutMentions(DIALECTS[host]), publicUrl: deps.publicUrl }, [teamKey(team)]),
  }) : null)));
  return { messages: [...messages, ...direct.messages], skipped: direct.skipped };
}
