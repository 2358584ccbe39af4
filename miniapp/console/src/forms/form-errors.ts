// The server's field errors about a form definition point into it with JSON pointers (/schema/properties/<section>/
// properties/<field>/...). These helpers put each error where the manager is looking: next to the section or field in
// the designer, and on its line in the JSON view.

export interface PointerError { field: string; code?: string; message_zh: string; message_en: string }

/** Where a pointer lands in a form: its section and field (if any), or the evidence steps. */
export interface Place { section?: string; field?: string; evidence?: string; rest: string[] }

function unescape(seg: string): string {
  return seg.replace(/~1/g, '/').replace(/~0/g, '~');
}

export function splitPointer(pointer: string): string[] {
  if (pointer === '' || pointer === '/') return [];
  return pointer.replace(/^\//, '').split('/').map(unescape);
}

/** Reads a pointer made for the draft (`/schema/...`) or for the schema itself. */
export function locate(pointer: string): Place {
  const segs = splitPointer(pointer);
  if (segs[0] === 'schema') segs.shift();
  if (segs[0] === 'x-evidence') return { evidence: segs[1] ?? '', rest: segs.slice(2) };
  if (segs[0] !== 'properties' || segs[1] === undefined) return { rest: segs };
  const section = segs[1];
  if (segs[2] === 'properties' && segs[3] !== undefined) return { section, field: segs[3], rest: segs.slice(4) };
  if (segs[2] === 'required' && segs[3] !== undefined) return { section, rest: segs.slice(2) };
  return { section, rest: segs.slice(2) };
}

/** Errors about this field (section + field given) or about the section itself, not its fields. */
export function errorsAt<E extends PointerError>(errors: readonly E[], section: string, field?: string): E[] {
  return errors.filter((e) => {
    const p = locate(e.field);
    return p.section === section && p.field === field;
  });
}

export function evidenceErrors<E extends PointerError>(errors: readonly E[], step?: string): E[] {
  return errors.filter((e) => {
    const p = locate(e.field);
    return p.evidence !== undefined && (step === undefined || p.evidence === step);
  });
}

/** Errors that belong to no section (the form's title, its list of sections, its size). */
export function formLevelErrors<E extends PointerError>(errors: readonly E[]): E[] {
  return errors.filter((e) => {
    const p = locate(e.field);
    return p.section === undefined && p.evidence === undefined;
  });
}

// ---- JSON text ---------------------------------------------------------------------------------------------------

export class JsonSyntaxError extends Error {
  constructor(readonly line: number, readonly column: number, detail: string) {
    super(detail);
  }
}

/**
 * Reads JSON text and maps every value's pointer to the 1-based line where it starts (an object member: the line of
 * its key). Throws JsonSyntaxError with the line and column of the first mistake.
 */
export function pointerLines(text: string): Map<string, number> {
  const lines = new Map<string, number>();
  let i = 0;
  let line = 1;
  let lineStart = 0;

  const fail = (detail: string): never => {
    throw new JsonSyntaxError(line, i - lineStart + 1, detail);
  };
  const ws = () => {
    while (i < text.length) {
      const c = text[i];
      if (c === '\n') {
        line += 1;
        lineStart = i + 1;
      } else if (c !== ' ' && c !== '\t' && c !== '\r') break;
      i += 1;
    }
  };
  const str = (): string => {
    const start = i;
    i += 1;
    while (i < text.length && text[i] !== '"') {
      if (text[i] === '\n') fail('unterminated string');
      i += text[i] === '\\' ? 2 : 1;
    }
    if (i >= text.length) fail('unterminated string');
    i += 1;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail('bad string escape');
    }
  };
  const value = (pointer: string, at: number): void => {
    ws();
    if (!lines.has(pointer)) lines.set(pointer, at || line);
    const c = text[i];
    if (c === '{') {
      i += 1;
      ws();
      if (text[i] === '}') { i += 1; return; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key in double quotes');
        const keyLine = line;
        const key = str();
        ws();
        if (text[i] !== ':') fail('expected ":"');
        i += 1;
        value(`${pointer}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`, keyLine);
        ws();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === '}') { i += 1; return; }
        fail('expected "," or "}"');
      }
    }
    if (c === '[') {
      i += 1;
      ws();
      if (text[i] === ']') { i += 1; return; }
      for (let n = 0; ; n += 1) {
        ws();
        value(`${pointer}/${n}`, line);
        ws();
        if (text[i] === ',') { i += 1; continue; }
        if (text[i] === ']') { i += 1; return; }
        fail('expected "," or "]"');
      }
    }
    if (c === '"') { str(); return; }
    const m = /^(-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 64));
    if (!m) fail('unexpected character');
    i += m![0].length;
  };

  value('', 0);
  ws();
  if (i < text.length) fail('unexpected text after the end');
  return lines;
}

/** The line of a pointer, or of its nearest ancestor present in the text (a missing key points at its object). */
export function lineOf(lines: ReadonlyMap<string, number>, pointer: string): number | undefined {
  const segs = splitPointer(pointer);
  if (segs[0] === 'schema') segs.shift();
  for (let n = segs.length; n >= 0; n -= 1) {
    const p = segs.slice(0, n).map((s) => '/' + s.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
    const found = lines.get(p);
    if (found !== undefined) return found;
  }
  return undefined;
}
