// The morning red/yellow/green board (销售动作红绿灯) for a group chat. Per team: reds first, each with the reason and
// the person to act (@-mentioned), then yellows, then how many are green, then a link to the team's board in the
// console. Pure: a board value in, a draft out.
import type { BoardEntry, BoardTeam, DailyBoard } from '../../kpis/board-types.ts';
import { GAP, line, plain, type Block, type Dialect, type Draft, type Line } from './draft.ts';

export interface BoardContext { dialect: Dialect; publicUrl: string }

export const UNASSIGNED_TEAM = 'unassigned';

export const teamKey = (team: Pick<BoardTeam, 'managerId'>): string => team.managerId ?? UNASSIGNED_TEAM;

/** The console view of one team's board on one day. */
export function boardUrl(publicUrl: string, team: string, date: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/console/#/board?team=${encodeURIComponent(team)}&date=${date}`;
}

export function monthDay(date: string): string {
  const [, m, d] = date.split('-');
  return `${Number(m)}月${Number(d)}日`;
}

function entryLine(e: BoardEntry, mark: string, d: Dialect): Line {
  const more = e.breaches.length > 1 ? `（另有 ${e.breaches.length - 1} 项未达标）` : '';
  return line(`${mark} **${plain(e.repName)}**：${plain(e.reason_zh)}${more}，请 `, d.mention(e.hostUserId, e.repName), ' 跟进');
}

function teamBlock(team: BoardTeam, date: string, ctx: BoardContext): Block {
  const name = team.managerId ? `${plain(team.managerName)}团队` : '未分配主管';
  const lines: Line[] = [
    ...team.reds.map((e) => entryLine(e, '🔴', ctx.dialect)),
    ...team.yellows.map((e) => entryLine(e, '🟡', ctx.dialect)),
  ];
  const everyone = team.reds.length + team.yellows.length + team.greens;
  lines.push({ text: lines.length === 0 ? `🟢 全员 ${everyone} 人达标` : `🟢 达标 ${team.greens} 人` });
  lines.push({ text: `[查看${name}看板](${boardUrl(ctx.publicUrl, teamKey(team), date)})` });
  return { header: { text: `### ${name}${GAP}🔴 ${team.reds.length}${GAP}🟡 ${team.yellows.length}${GAP}🟢 ${team.greens}` }, lines };
}

/** `teams` (manager ids, UNASSIGNED_TEAM for reps without one) limits the board to the teams of one chat. */
export function boardDraft(board: DailyBoard, ctx: BoardContext, teams?: readonly string[]): Draft {
  const shown = teams ? board.teams.filter((t) => teams.includes(teamKey(t))) : board.teams;
  const count = (pick: (t: BoardTeam) => number) => shown.reduce((sum, t) => sum + pick(t), 0);
  const reds = count((t) => t.reds.length);
  const yellows = count((t) => t.yellows.length);
  return {
    title: `销售动作红绿灯 · ${monthDay(board.date)}`,
    intro: [
      { text: `${plain(board.tenant.name)}${GAP}${monthDay(board.period.from)}至${monthDay(board.period.to)}累计` },
      { text: `🔴 ${reds} 人${GAP}🟡 ${yellows} 人${GAP}🟢 ${count((t) => t.greens)} 人${reds > 0 ? '，红灯请今天处理' : ''}` },
    ],
    blocks: shown.map((t) => teamBlock(t, board.date, ctx)),
    outro: [],
  };
}
