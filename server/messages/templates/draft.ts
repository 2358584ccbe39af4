// A message before it meets a host: a title, an intro, blocks (a team, a rep, a visit) of lines, an outro. Pure.
// splitDraft packs it into parts that each fit the channel's size limit, breaking only between blocks or, when one
// block alone is too big, between its lines (the block's header is repeated with "（续）"), and marks "(1/3)".
import type { HostName } from '../../hosts/common/host-http.ts';

export interface Line { text: string; mentions?: readonly string[] }
export interface Block { header?: Line; lines: Line[] }
export interface Draft { title: string; intro: Line[]; blocks: Block[]; outro: Line[] }

/** One message as sent: the title (DingTalk shows it in the chat list), the markdown, the host userids it @-mentions. */
export interface Part { title: string; markdown: string; mentions: string[] }

/** How a host writes the few markdown features the templates use. */
export interface Dialect {
  host: HostName;
  /** DingTalk markdown needs two spaces before a newline to break the line; WeCom takes a bare newline. */
  newline: string;
  /** An @-mention that the host turns into a notification, or just the name when the person has no host account. */
  mention(hostUserId: string | null | undefined, name: string): Line;
}

export const DIALECTS: Record<HostName, Dialect> = {
  wecom: {
    host: 'wecom',
    newline: '\n',
    // WeCom robot markdown: <@userid> (not supported by markdown_v2, which we therefore do not use).
    mention: (id, name) => (id ? { text: `<@${id}>`, mentions: [id] } : { text: plain(name) }),
  },
  dingtalk: {
    host: 'dingtalk',
    newline: '  \n',
    // DingTalk: the userid goes in at.atUserIds and "@userid" in the text, where the client shows the mention.
    mention: (id, name) => (id ? { text: `@${id}`, mentions: [id] } : { text: plain(name) }),
  },
};

/** The ideographic space that separates counts in Chinese text (written as an escape: linters flag it raw). */
export const GAP = '\u3000';

export const utf8Bytes = (s: string): number => Buffer.byteLength(s, 'utf8');

/** Names and free text from users, made inert in markdown (no links, mentions, emphasis or headings of their own). */
export function plain(s: string): string {
  return s.replace(/[<>]/g, '').replace(/[*_`#[\]|]/g, ' ').replace(/\s+/g, ' ').trim();
}

/** Joins pieces of one line, keeping every mention. */
export function line(...pieces: (string | Line)[]): Line {
  const text = pieces.map((p) => (typeof p === 'string' ? p : p.text)).join('');
  const mentions = pieces.flatMap((p) => (typeof p === 'string' ? [] : [...(p.mentions ?? [])]));
  return mentions.length > 0 ? { text, mentions } : { text };
}

const WORST_MARKER = ' (99/99)';

function assemble(title: string, marker: string, lines: Line[], dialect: Dialect): Part {
  const markdown = [`**${title}${marker}**`, ...lines.map((l) => l.text)].join(dialect.newline);
  return { title: `${title}${marker}`, markdown, mentions: [...new Set(lines.flatMap((l) => l.mentions ?? []))] };
}

/** Cuts a line's text (by characters, so no UTF-8 sequence is split) until `ok` accepts it. */
function truncate(l: Line, ok: (candidate: Line) => boolean): Line {
  const chars = [...l.text];
  let lo = 0;
  let hi = chars.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (ok({ ...l, text: `${chars.slice(0, mid).join('')}…` })) lo = mid;
    else hi = mid - 1;
  }
  return { ...l, text: `${chars.slice(0, lo).join('')}…` };
}

/**
 * Packs the draft into as few parts as `fits` allows. `fits` sees each candidate part as it would be sent, so the
 * limit can be on any measure (content bytes, the whole JSON body). Every part gets the title; the intro opens the
 * first, the outro closes the last; "(i/n)" follows the title when there is more than one part.
 */
export function splitDraft(draft: Draft, dialect: Dialect, fits: (part: Part) => boolean): Part[] {
  const parts: Line[][] = [];
  let current: Line[] = [...draft.intro];
  const ok = (lines: Line[]) => fits(assemble(draft.title, WORST_MARKER, lines, dialect));
  const close = () => {
    parts.push(current);
    current = [];
  };

  const addLine = (l: Line, header?: Line) => {
    if (ok([...current, l])) {
      current.push(l);
      return;
    }
    if (current.length > 0) close();
    // A block cut in two carries its header again, so every part says whose lines these are.
    if (header) current.push({ ...header, text: `${header.text}（续）` });
    current.push(ok([...current, l]) ? l : truncate(l, (c) => ok([...current, c])));
  };

  for (const block of draft.blocks) {
    const whole = [...(block.header ? [block.header] : []), ...block.lines];
    if (ok([...current, ...whole])) {
      current.push(...whole);
      continue;
    }
    if (current.length > 0 && ok(whole)) {
      close();
      current.push(...whole);
      continue;
    }
    // Too big for one part: a header never ends a part alone, the lines follow it as far as they fit.
    if (block.header) {
      const first = block.lines[0];
      if (current.length > 0 && first && !ok([...current, block.header, first])) close();
      addLine(block.header);
    }
    for (const l of block.lines) addLine(l, block.header);
  }
  for (const l of draft.outro) addLine(l);
  if (current.length > 0 || parts.length === 0) close();

  const n = parts.length;
  return parts.map((lines, i) => assemble(draft.title, n > 1 ? ` (${i + 1}/${n})` : '', lines, dialect));
}

/** Messages to one person mention nobody: names stay names. */
export function withoutMentions(d: Dialect): Dialect {
  return { ...d, mention: (_id, name) => ({ text: plain(name) }) };
}
