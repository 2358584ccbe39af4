// The morning red/yellow/green board (销售动作红绿灯) for a group chat. Per team: reds first, each with their score,
// grade, the reason and the person to act (@-mentioned), then yellows, then the greens with their scores, then the
// reps without data (grey, 暂无数据), then a link to the team's board in the console. Every rep's score, grade and
// light are the board's (kpis/standing.ts), the same the console and the scores export show. Pure: a board value in,
// a draft out.
import type { BoardEntry, BoardRepStanding, BoardTeam, DailyBoard } from '../../kpis/board-types.ts';
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

/** Names per line in the lists of greens and of reps without data. */
const NAMES_PER_LINE = 5;

/** "76.2 分 一般", or 暂无数据 without a score. */
export function scoreText(s: Pick<BoardRepStanding, 'score' | 'grade'>): string {
  return s.score === null ? '暂无数据' : `${s.score} 分${s.grade ? ` ${s.grade}` : ''}`;
}

function entryLine(e: BoardEntry, mark: string, d: Dialect): Line {
  const more = e.breaches.length > 1 ? `（另有 ${e.breaches.length - 1} 项未达标）` : '';
  return line(`${mark} **${plain(e.repName)}**（${scoreText(e)}）：${plain(e.reason_zh)}${more}，请 `, d.mention(e.hostUserId, e.repName), ' 跟进');
}

/** A list of names (with their scores), a few per line. */
function nameLines(reps: readonly BoardRepStanding[], withScore: boolean): Line[] {
  const names = reps.map((r) => (withScore ? `${plain(r.repName)}（${scoreText(r)}）` : plain(r.repName)));
  const out: Line[] = [];
  for (let i = 0; i < names.length; i += NAMES_PER_LINE) out.push({ text: names.slice(i, i + NAMES_PER_LINE).join('、') });
  return out;
}

function teamBlock(team: BoardTeam, date: string, ctx: BoardContext): Block {
  const name = team.managerId ? `${plain(team.managerName)}团队` : '未分配主管';
  const lines: Line[] = [
    ...team.reds.map((e) => entryLine(e, '🔴', ctx.dialect)),
    ...team.yellows.map((e) => entryLine(e, '🟡', ctx.dialect)),
  ];
  const judged = team.reds.length + team.yellows.length;
  if (judged === 0 && team.noData.length === 0) lines.push({ text: `🟢 全员 ${team.greens.length} 人达标` });
  else if (judged > 0 || team.greens.length > 0) lines.push({ text: `🟢 达标 ${team.greens.length} 人` });
  lines.push(...nameLines(team.greens, true));
  if (team.noData.length > 0) lines.push({ text: `⚪ 暂无数据 ${team.noData.length} 人` }, ...nameLines(team.noData, false));
  lines.push({ text: `[查看${name}看板](${boardUrl(ctx.publicUrl, teamKey(team), date)})` });
  const grey = team.noData.length > 0 ? `${GAP}⚪ ${team.noData.length}` : '';
  return { header: { text: `### ${name}${GAP}🔴 ${team.reds.length}${GAP}🟡 ${team.yellows.length}${GAP}🟢 ${team.greens.length}${grey}` }, lines };
}

/** `teams` (manager ids, UNASSIGNED_TEAM for reps without one) limits the board to the teams of one chat. */
export function boardDraft(board: DailyBoard, ctx: BoardContext, teams?: readonly string[]): Draft {
  const shown = teams ? board.teams.filter((t) => teams.includes(teamKey(t))) : board.teams;
  const count = (pick: (t: BoardTeam) => number) => shown.reduce((sum, t) => sum + pick(t), 0);
  const reds = count((t) => t.reds.length);
  const yellows = count((t) => t.yellows.length);
  const grey = count((t) => t.noData.length);
  return {
    title: `销售动作红绿灯 · ${monthDay(board.date)}`,
    intro: [
      { text: `${plain(board.tenant.name)}${GAP}${monthDay(board.period.from)}至${monthDay(board.period.to)}累计` },
      { text: `🔴 ${reds} 人${GAP}🟡 ${yellows} 人${GAP}🟢 ${count((t) => t.greens.length)} 人${grey > 0 ? `${GAP}⚪ 暂无数据 ${grey} 人` : ''}${reds > 0 ? '，红灯请今天处理' : ''}` },
    ],
    blocks: shown.map((t) => teamBlock(t, board.date, ctx)),
    outro: [],
  };
}
