// Reads an uploaded CSV or xlsx into header + rows of text, numbered as the user sees them in the sheet
// (header = row 1). The bytes must match the declared type: xlsx is a ZIP (PK\x03\x04), CSV is UTF-8 text.
import { Readable } from 'node:stream';
import ExcelJS from 'exceljs';
import { parse } from 'csv-parse/sync';
import { AppError, fieldError } from '../http/errors.ts';
import type { Upload } from '../http/upload.ts';
import { inspectZip, startsLikeZip } from './zip-guard.ts';

export const CSV_TYPE = 'text/csv';
export const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
export const IMPORT_MEDIA_TYPES = [CSV_TYPE, XLSX_TYPE] as const;
export const IMPORT_LIMIT_BYTES = 5 * 1024 * 1024;
export const MAX_IMPORT_ROWS = 5000;
/** Unpacked size allowed for an xlsx: generous for 5000 rows (a few MB of XML), far below what would hurt the server. */
const XLSX_UNPACKED_LIMIT = 40 * 1024 * 1024;

export interface SheetRow { row: number; cells: string[] }
export interface Sheet { headers: string[]; rows: SheetRow[] }

function unreadable(code: string, zh: string, en: string): AppError {
  return new AppError('UNSUPPORTED_FILE', [fieldError('', code, zh, en)]);
}

function toSheet(records: string[][]): Sheet {
  const [header = [], ...rest] = records;
  if (rest.length > MAX_IMPORT_ROWS) throw new AppError('IMPORT_TOO_MANY_ROWS');
  return { headers: header.map((h) => h.trim()), rows: rest.map((cells, i) => ({ row: i + 2, cells })) };
}

function readCsv(data: Buffer): Sheet {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(data);
  } catch {
    throw unreadable('NOT_UTF8', 'CSV 文件必须是 UTF-8 编码（在 Excel 中另存为“CSV UTF-8”）', 'The CSV file must be UTF-8 encoded (in Excel: Save as "CSV UTF-8")');
  }
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  if (text.includes('\u0000')) throw unreadable('NOT_TEXT', '文件不是文本格式的 CSV', 'The file is not a text CSV');
  try {
    // Empty lines are kept (and skipped later) so row numbers stay those of the sheet.
    return toSheet(parse(text, { relax_column_count: true, skip_empty_lines: false }) as string[][]);
  } catch (err) {
    if (err instanceof AppError) throw err;
    const line = (err as { lines?: number }).lines;
    throw unreadable('MALFORMED_CSV', `CSV 格式错误${line ? `（第 ${line} 行附近）` : ''}，请检查引号是否成对`, `Malformed CSV${line ? ` near line ${line}` : ''}; check the quotes`);
  }
}

function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  if ('richText' in value) return value.richText.map((t) => t.text).join('');
  if ('formula' in value || 'sharedFormula' in value) return cellText((value as { result?: ExcelJS.CellValue }).result ?? null);
  if ('text' in value) return String(value.text);
  return ''; // error values (#N/A...)
}

/**
 * Streams the first worksheet row by row and stops as soon as the sheet has more rows than an import takes: a
 * million-row file costs the first few thousand rows, not the whole workbook in memory.
 */
async function readXlsx(data: Buffer): Promise<Sheet> {
  if (!startsLikeZip(data)) throw unreadable('NOT_XLSX', '文件不是 xlsx 表格（内容与类型不符）', 'The file is not an xlsx workbook (content does not match the type)');
  const zip = await inspectZip(data, { maxEntries: 2000, maxTotalBytes: XLSX_UNPACKED_LIMIT });
  if (!zip.ok && zip.reason === 'too_large') {
    throw unreadable('XLSX_TOO_LARGE', `xlsx 文件解压后超过 ${XLSX_UNPACKED_LIMIT >> 20} MB，一次最多导入 ${MAX_IMPORT_ROWS} 行，请拆分文件`, `The xlsx file unpacks to over ${XLSX_UNPACKED_LIMIT >> 20} MB; at most ${MAX_IMPORT_ROWS} rows per import, split the file`);
  }
  if (!zip.ok) throw unreadable(`XLSX_${zip.reason.toUpperCase()}`, 'xlsx 文件已损坏或过大，无法读取', 'The xlsx file is damaged or unpacks too large');
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(Readable.from([data]), { sharedStrings: 'cache', hyperlinks: 'ignore', styles: 'cache', worksheets: 'emit', entries: 'ignore' });
  const records: string[][] = [];
  let sawSheet = false;
  try {
    for await (const worksheet of reader) {
      sawSheet = true;
      for await (const row of worksheet) {
        if (row.number > MAX_IMPORT_ROWS + 1) throw new AppError('IMPORT_TOO_MANY_ROWS');
        const values = row.values as ExcelJS.CellValue[]; // 1-based, sparse
        records[row.number - 1] = Array.from({ length: Math.max(values.length - 1, 0) }, (_v, c) => cellText(values[c + 1] ?? null));
      }
      break; // the first worksheet only
    }
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw unreadable('XLSX_UNREADABLE', 'xlsx 文件无法读取，请用 Excel 或 WPS 重新保存后再试', 'The xlsx file cannot be read; re-save it in Excel or WPS and retry');
  }
  if (!sawSheet) throw unreadable('XLSX_NO_SHEET', 'xlsx 文件中没有工作表', 'The workbook has no worksheet');
  const width = Math.max(1, ...records.map((r) => r?.length ?? 0));
  // Empty rows are absent from the stream; they come back as blanks so row numbers stay those of the sheet.
  return toSheet(Array.from({ length: records.length }, (_v, i) => {
    const r = records[i] ?? [];
    return r.length < width ? [...r, ...Array<string>(width - r.length).fill('')] : r;
  }));
}

export async function readSheet(upload: Upload): Promise<Sheet> {
  return upload.type === XLSX_TYPE ? readXlsx(upload.data) : readCsv(upload.data);
}
