// A minimal but valid xlsx with any number of rows, written directly (the parts Excel needs, inline strings), so a
// test can build a million-row workbook in about a second instead of minutes through a spreadsheet library.
import { Readable } from 'node:stream';
import { ZipArchive } from 'archiver';

const CONTENT_TYPES = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>';
const ROOT_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>';
const WORKBOOK = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="客户" sheetId="1" r:id="rId1"/></sheets></workbook>';
const WORKBOOK_RELS = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>';

const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
const column = (i: number) => String.fromCharCode(65 + i);

/** Numbers as numbers (as spreadsheet programs write them), text as inline strings, empty cells left out. */
const cell = (ref: string, c: string) => {
  if (c === '') return '';
  return /^-?\d+(\.\d+)?$/.test(c) ? `<c r="${ref}"><v>${c}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${escape(c)}</t></is></c>`;
};

function* sheetXml(header: string[], rows: number, row: (n: number) => string[]): Generator<string> {
  yield '<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
  const line = (r: number, cells: string[]) => `<row r="${r}">${cells.map((c, i) => cell(`${column(i)}${r}`, c)).join('')}</row>`;
  yield line(1, header);
  let chunk = '';
  for (let n = 1; n <= rows; n += 1) {
    chunk += line(n + 1, row(n));
    if (chunk.length > 1 << 20) { yield chunk; chunk = ''; }
  }
  yield `${chunk}</sheetData></worksheet>`;
}

/** The workbook's bytes: `rows` data rows under `header`, each made by `row(n)` (n from 1). */
export async function bulkXlsx(header: string[], rows: number, row: (n: number) => string[]): Promise<Buffer> {
  const zip = new ZipArchive({ zlib: { level: 9 } });
  const out: Buffer[] = [];
  zip.on('data', (c: Buffer) => out.push(c));
  const done = new Promise<void>((ok, fail) => { zip.on('end', () => ok()); zip.on('error', fail); });
  zip.append(CONTENT_TYPES, { name: '[Content_Types].xml' });
  zip.append(ROOT_RELS, { name: '_rels/.rels' });
  zip.append(WORKBOOK, { name: 'xl/workbook.xml' });
  zip.append(WORKBOOK_RELS, { name: 'xl/_rels/workbook.xml.rels' });
  zip.append(Readable.from(sheetXml(header, rows, row)), { name: 'xl/worksheets/sheet1.xml' });
  await zip.finalize();
  await done;
  return Buffer.concat(out);
}
