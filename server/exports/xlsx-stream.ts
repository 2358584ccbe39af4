// Writes .xlsx workbooks row by row from async iterables, so an export of any size holds only a batch of rows:
// exceljs's streaming writer, inline strings (no shared-string table growing with the data), each row committed as
// soon as it is written, and a pause whenever the destination asks to drain. Column widths come from the header and
// the first rows (a stream cannot look ahead further); the header row is bold, frozen and carries an autofilter.
import type { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type { Band } from '../reviews/reviews.service.ts';
import type { Cell, StyledCell } from './visit-row.ts';

export interface SheetColumn {
  header: string;
  /** Upper bound of the width in characters (default 40). */
  maxWidth?: number;
}

export interface SheetSource {
  name: string;
  columns: readonly SheetColumn[];
  rows: AsyncIterable<readonly Cell[]> | Iterable<readonly Cell[]>;
}

/** Rows read before the widths are fixed. */
const SAMPLE_ROWS = 200;
const MIN_WIDTH = 6;
const DEFAULT_MAX_WIDTH = 40;
const HEADER_FILL = 'FFE8EEF7';
const BAND_FILL: Record<Band | 'none', string> = { green: 'FFC6EFCE', yellow: 'FFFFEB9C', red: 'FFFFC7CE', none: 'FFE7E6E6' };

/** Display width: CJK and full-width characters take two columns. */
export function displayWidth(text: string): number {
  let w = 0;
  for (const ch of text) w += /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(ch) ? 2 : 1;
  return w;
}

const isStyled = (c: Cell): c is StyledCell => c !== null && typeof c === 'object';
const valueOf = (c: Cell) => (isStyled(c) ? c.value : c);

/** Widths from the header and the sampled rows: the longest line plus padding, capped. */
export function columnWidths(columns: readonly SheetColumn[], sample: readonly (readonly Cell[])[]): number[] {
  return columns.map((col, i) => {
    let longest = displayWidth(col.header);
    for (const row of sample) {
      const v = valueOf(row[i] ?? null);
      if (v === null) continue;
      for (const line of String(v).split('\n')) longest = Math.max(longest, displayWidth(line));
    }
    return Math.max(MIN_WIDTH, Math.min(col.maxWidth ?? DEFAULT_MAX_WIDTH, longest + 2));
  });
}

/** Resolves when `out` has room again (or rejects when it closed meanwhile: the client went away). */
async function roomIn(out: Writable): Promise<void> {
  if (out.destroyed) throw new Error('export destination closed');
  if (!out.writableNeedDrain) return;
  await new Promise<void>((ok, fail) => {
    const done = (err?: Error) => {
      out.off('drain', onDrain).off('close', onClose).off('error', done);
      if (err) fail(err);
      else ok();
    };
    const onDrain = () => done();
    const onClose = () => done(new Error('export destination closed'));
    out.on('drain', onDrain).on('close', onClose).on('error', done);
  });
}

async function writeSheet(workbook: ExcelJS.stream.xlsx.WorkbookWriter, out: Writable, source: SheetSource): Promise<number> {
  const iterator = (Symbol.asyncIterator in source.rows
    ? (source.rows as AsyncIterable<readonly Cell[]>)[Symbol.asyncIterator]()
    : (source.rows as Iterable<readonly Cell[]>)[Symbol.iterator]()) as AsyncIterator<readonly Cell[]> | Iterator<readonly Cell[]>;
  try {
    const sample: (readonly Cell[])[] = [];
    let next = await iterator.next();
    while (!next.done && sample.length < SAMPLE_ROWS) {
      sample.push(next.value);
      next = await iterator.next();
    }
    const widths = columnWidths(source.columns, sample);
    const sheet = workbook.addWorksheet(source.name.slice(0, 31), { views: [{ state: 'frozen', ySplit: 1 }] });
    sheet.columns = source.columns.map((c, i) => ({ header: c.header, width: widths[i] }));
    const header = sheet.getRow(1);
    header.font = { bold: true };
    header.eachCell((cell) => { cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: HEADER_FILL } }; });
    header.commit();
    sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: Math.max(1, source.columns.length) } };
    let count = 0;
    const put = async (cells: readonly Cell[]) => {
      count += 1;
      const row = sheet.getRow(count + 1);
      cells.forEach((c, i) => {
        const cell = row.getCell(i + 1);
        cell.value = valueOf(c);
        if (isStyled(c) && c.band) cell.fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: BAND_FILL[c.band] } };
      });
      row.commit();
      if (count % 256 === 0) await roomIn(out);
    };
    for (const row of sample) await put(row);
    sample.length = 0;
    while (!next.done) {
      await put(next.value);
      next = await iterator.next();
    }
    sheet.commit();
    return count;
  } catch (err) {
    await iterator.return?.(); // closes a database cursor behind the rows
    throw err;
  }
}

/**
 * Writes the sheets, one after another, as one workbook into `out` and ends it. Sheets are added only when the
 * previous one is committed: a sheet opened early would buffer its rows until the zip reached it.
 */
export async function writeXlsx(out: Writable, sheets: Iterable<SheetSource> | AsyncIterable<SheetSource>): Promise<{ rows: number[] }> {
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: out, useStyles: true, useSharedStrings: false });
  workbook.creator = 'fieldvisit';
  const rows: number[] = [];
  for await (const sheet of sheets) rows.push(await writeSheet(workbook, out, sheet));
  await workbook.commit();
  return { rows };
}
