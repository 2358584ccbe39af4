// Message templates as each host receives them: the board (reds first with score, grade, reason and @-mention,
// then yellows, then the greens with their scores, the reps without data and the console link), split at team/line boundaries with (i/n) markers when long, each part
// within the host's limit; personal messages within the app-message limits.
import { describe, expect, it } from 'vitest';
import { boardDraft, boardUrl } from '../../../server/messages/templates/board.ts';
import { LIMITS, render } from '../../../server/messages/templates/channel-payloads.ts';
import { DIALECTS, splitDraft, utf8Bytes, type Draft } from '../../../server/messages/templates/draft.ts';
import { followUpReminderDraft } from '../../../server/messages/templates/reminders.ts';
import { visitCardDraft } from '../../../server/messages/templates/summaries.ts';
import { bigTeam, board, entry, standing, team } from '../../fakes/boards.ts';

const URL = 'https://visits.example.com';
const ctx = (host: 'wecom' | 'dingtalk') => ({ dialect: DIALECTS[host], publicUrl: URL });

describe('board template', () => {
  const b = board('2026-03-11', [
    team('m1', '王经理', [entry('张伟', 'zhangwei', 'red', { more: 1 })], [entry('刘洋', 'liuyang', 'yellow')],
      ['王芳', '李娜', '陈静', '赵磊', '孙丽', '周杰'].map((n, i) => standing(n, 'green', 95 - i)), null, [standing('新人', 'none')]),
    team('m2', '李经理', [], [], 4),
    team(null, '', [entry('无主', null, 'red')], [], 0),
  ]);

  it('lists reds first with score, grade, reason and the person to act, then yellows, greens, no data and the link (WeCom)', () => {
    const [msg, ...rest] = render(boardDraft(b, ctx('wecom')), 'wecomRobot').payloads;
    expect(rest).toEqual([]);
    expect(msg).toMatchObject({ msgtype: 'markdown' });
    const text = (msg!.markdown as { content: string }).content;
    const lines = text.split('\n');
    expect(lines[0]).toBe('**销售动作红绿灯 · 3月11日**');
    const red = lines.findIndex((l) => l.startsWith('🔴 **张伟**'));
    const yellow = lines.findIndex((l) => l.startsWith('🟡 **刘洋**'));
    expect(red).toBeGreaterThan(0);
    expect(yellow).toBeGreaterThan(red);
    expect(lines[red]).toBe('🔴 **张伟**（59.2 分 不达标）：客户覆盖率 62%，低于黄灯线 85%（另有 1 项未达标），请 <@zhangwei> 跟进');
    expect(lines[yellow]).toBe('🟡 **刘洋**（76.2 分 一般）：客户覆盖率 88%，低于绿灯线 95%，请 <@liuyang> 跟进');
    // Greens with their scores, five to a line; then the reps without data, grey, without a score.
    expect(lines.slice(yellow + 1, yellow + 7)).toEqual([
      '🟢 达标 6 人',
      '王芳（95 分 优秀）、李娜（94 分 优秀）、陈静（93 分 优秀）、赵磊（92 分 优秀）、孙丽（91 分 优秀）',
      '周杰（90 分 优秀）',
      '⚪ 暂无数据 1 人',
      '新人',
      `[查看王经理团队看板](${boardUrl(URL, 'm1', '2026-03-11')})`,
    ]);
    expect(text).toContain('### 王经理团队\u3000🔴 1\u3000🟡 1\u3000🟢 6\u3000⚪ 1');
    expect(text).toContain('🔴 2 人\u3000🟡 1 人\u3000🟢 10 人\u3000⚪ 暂无数据 1 人，红灯请今天处理');
    expect(boardUrl(URL, 'm1', '2026-03-11')).toBe(`${URL}/console/#/board?team=m1&date=2026-03-11`);
    expect(text).toContain('🟢 全员 4 人达标');
    // Someone without a host account is named, not mentioned.
    expect(text).toContain('请 无主 跟进');
    expect(text).toContain(`${URL}/console/#/board?team=unassigned&date=2026-03-11`);
  });

  it('a team without any data yet is grey, not red and not "0 达标"', () => {
    const empty = board('2026-03-11', [team('m1', '王经理', [], [], [], null, [standing('张伟', 'none'), standing('刘洋', 'none')])]);
    const text = (render(boardDraft(empty, ctx('wecom')), 'wecomRobot').payloads[0]!.markdown as { content: string }).content;
    expect(text).toContain('🔴 0 人\u3000🟡 0 人\u3000🟢 0 人\u3000⚪ 暂无数据 2 人');
    expect(text).toContain('⚪ 暂无数据 2 人\n张伟、刘洋');
    expect(text).not.toContain('🟢 达标');
    expect(text).not.toContain('红灯请今天处理');
  });

  it('mentions through at.atUserIds and @userid in the text on DingTalk', () => {
    const [msg] = render(boardDraft(b, ctx('dingtalk'), ['m1']), 'dingtalkRobot').payloads;
    expect(msg).toMatchObject({ msgtype: 'markdown', markdown: { title: '销售动作红绿灯 · 3月11日' }, at: { atUserIds: ['zhangwei', 'liuyang'], isAtAll: false } });
    const text = (msg!.markdown as { text: string }).text;
    expect(text).toContain('请 @zhangwei 跟进');
    expect(text).not.toContain('李经理'); // only the chat's own teams
    expect(text.split('  \n').length).toBeGreaterThan(4); // DingTalk line breaks
  });

  it('splits a long board at team boundaries, then at lines, within each host limit, with (i/n) markers', () => {
    const sizes: Record<string, number> = { a: 120, b: 100, c: 5 };
    const long = board('2026-03-11', [bigTeam('m1', '王经理', sizes.a!, 'a'), bigTeam('m2', '李经理', sizes.b!, 'b'), bigTeam('m3', '赵经理', sizes.c!, 'c')]);
    for (const kind of ['wecomRobot', 'dingtalkRobot'] as const) {
      const r = render(boardDraft(long, ctx(kind === 'wecomRobot' ? 'wecom' : 'dingtalk')), kind);
      const n = r.payloads.length;
      expect(n).toBeGreaterThan(1);
      const texts = r.payloads.map((p) => (kind === 'wecomRobot' ? (p.markdown as { content: string }).content : (p.markdown as { text: string }).text));
      texts.forEach((t, i) => expect(t.startsWith(`**销售动作红绿灯 · 3月11日 (${i + 1}/${n})**`)).toBe(true));
      if (kind === 'wecomRobot') r.payloads.forEach((p) => expect(utf8Bytes((p.markdown as { content: string }).content)).toBeLessThanOrEqual(LIMITS.wecomRobotMarkdownBytes));
      else r.payloads.forEach((p) => expect(utf8Bytes(JSON.stringify(p))).toBeLessThanOrEqual(LIMITS.dingtalkRobotBodyBytes));
      // Every rep appears exactly once, in order; a team cut in two repeats its header with （续）.
      const all = texts.join('\n');
      for (const prefix of ['a', 'b', 'c']) for (let i = 0; i < sizes[prefix]!; i += 1) expect(all.split(`业务员${prefix}${i}**`).length - 1).toBe(1);
      expect(all.indexOf('业务员a119**')).toBeLessThan(all.indexOf('业务员b0**'));
      if (kind === 'wecomRobot') expect(all).toContain('### 王经理团队　🔴 120　🟡 0　🟢 3（续）');
      // Each part mentions exactly the reps listed in it.
      if (kind === 'dingtalkRobot') {
        r.payloads.forEach((p, i) => {
          const ids = (p.at as { atUserIds: string[] }).atUserIds;
          expect(ids.length).toBeGreaterThan(0);
          for (const id of ids) expect(texts[i]).toContain(`@${id} `);
        });
      }
    }
  });

  it('keeps user text inert in markdown (no injected links, mentions or headings)', () => {
    const evil = board('2026-03-11', [team('m1', '### 王[经理](http://x)', [entry('<@all>**张伟**', 'z', 'red')], [], 0)]);
    const text = (render(boardDraft(evil, ctx('wecom')), 'wecomRobot').payloads[0]!.markdown as { content: string }).content;
    expect(text).not.toContain('<@all>');
    expect(text).not.toContain('](http://x)');
    expect(text).toContain('### 王 经理 (http://x)团队');
  });
});

describe('splitting', () => {
  it('never cuts a line, repeats a cut block header, and truncates only a line that alone cannot fit', () => {
    const draft: Draft = { title: 'T', intro: [{ text: 'intro' }], blocks: [{ header: { text: 'H' }, lines: Array.from({ length: 10 }, (_, i) => ({ text: `line-${i}-${'x'.repeat(20)}` })) }, { lines: [{ text: 'y'.repeat(500) }] }], outro: [{ text: 'end' }] };
    const parts = splitDraft(draft, DIALECTS.wecom, (p) => utf8Bytes(p.markdown) <= 120);
    for (const p of parts) expect(utf8Bytes(p.markdown)).toBeLessThanOrEqual(120);
    const all = parts.map((p) => p.markdown).join('\n');
    for (let i = 0; i < 10; i += 1) expect(all).toContain(`line-${i}-${'x'.repeat(20)}`);
    expect(all).toContain('H（续）');
    expect(all).toMatch(/y+…/);
    expect(parts[0]!.markdown).toContain('intro');
    expect(parts.at(-1)!.markdown.endsWith('end')).toBe(true);
  });
});

describe('personal messages', () => {
  it('fit the app-message limits and carry the recipient and the duplicate check (WeCom)', () => {
    const tasks = Array.from({ length: 60 }, (_, i) => ({ title: `送样品第${i}批，附带报价单和陈列方案`, customerName: `华联超市第${i}分店`, dueDate: i % 2 ? '2026-03-10' : '2026-03-13' }));
    const draft = followUpReminderDraft({ repName: '张伟', today: '2026-03-12', tomorrow: '2026-03-13', tasks });
    const wecom = render(draft, 'wecomApp', 'zhangwei');
    expect(wecom.payloads.length).toBeGreaterThan(1);
    for (const p of wecom.payloads) {
      expect(p).toMatchObject({ touser: 'zhangwei', msgtype: 'markdown', enable_duplicate_check: 1, duplicate_check_interval: 14400 });
      expect(utf8Bytes((p.markdown as { content: string }).content)).toBeLessThanOrEqual(LIMITS.wecomAppMarkdownBytes);
    }
    const ding = render(draft, 'dingtalkWork', 'zhangwei');
    for (const p of ding.payloads) {
      expect(p).toMatchObject({ userid_list: 'zhangwei', msg: { msgtype: 'markdown' } });
      expect(utf8Bytes(JSON.stringify(p.msg))).toBeLessThanOrEqual(LIMITS.dingtalkWorkMsgBytes);
    }
    const text = wecom.payloads.map((p) => (p.markdown as { content: string }).content).join('\n');
    expect(text.indexOf('已逾期（30）')).toBeLessThan(text.indexOf('明天到期（30）'));
  });

  it('renders the visit summary card with tags, commitments, open items and the next step', () => {
    const draft = visitCardDraft({
      visitId: 'v1', repName: '张伟', band: 'green', score: 92, submittedAt: new Date('2026-03-12T02:10:00Z'), publicUrl: URL,
      summary: { customer: '华联超市', tags: ['商超', 'A类客户', '价格敏感型'], commitments: ['同意新品试销'], openItems: ['缺货：可乐'], nextAction: { action: '送样品', dueDate: '2026-03-15' }, highlights: [] },
    });
    const [p] = render(draft, 'dingtalkWork', 'wang').payloads;
    const text = ((p!.msg as { markdown: { text: string } }).markdown).text;
    expect(text).toContain('**拜访摘要 · 华联超市**');
    expect(text).toContain('张伟 于 2026-03-12 10:10 提交　🟢 绿灯（92 分）');
    expect(text).toContain('**客户标签**：商超；A类客户；价格敏感型');
    expect(text).toContain('**下一步**：3月15日前送样品');
    expect(text).toContain(`${URL}/console/#/visits/v1`);
  });
});
