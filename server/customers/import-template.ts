// The downloadable import template: the header row a manager fills in, and (in xlsx) a sheet explaining each column.
import ExcelJS from 'exceljs';
import { IMPORT_COLUMNS } from './import-columns.ts';
import { CSV_TYPE, XLSX_TYPE } from './spreadsheet.ts';

export interface TemplateFile { type: string; filename: string; data: Buffer }

const REQUIRED_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFFCE4D6' } };
const OPTIONAL_FILL: ExcelJS.Fill = { type: 'pattern', pattern: 'solid', fgColor: { argb: 'FFEDEDED' } };
/** Columns kept as text so Excel does not drop leading zeros (codes, landlines) or turn phones into 1.38E+10. */
const TEXT_COLUMNS = new Set(['code', 'contactPhone', 'repUsername']);

async function xlsxTemplate(): Promise<Buffer> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet('客户', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = IMPORT_COLUMNS.map((c) => ({ header: c.header, key: c.key, width: c.width }));
  for (const c of IMPORT_COLUMNS) if (TEXT_COLUMNS.has(c.key)) sheet.getColumn(c.key).numFmt = '@';
  const header = sheet.getRow(1);
  header.font = { bold: true };
  IMPORT_COLUMNS.forEach((c, i) => {
    const cell = header.getCell(i + 1);
    cell.fill = c.required ? REQUIRED_FILL : OPTIONAL_FILL;
    cell.note = c.help;
  });

  const help = workbook.addWorksheet('填写说明');
  help.columns = [
    { header: '列名', key: 'header', width: 14 },
    { header: '必填', key: 'required', width: 8 },
    { header: '说明', key: 'help', width: 72 },
    { header: '示例', key: 'example', width: 26 },
  ];
  help.getRow(1).font = { bold: true };
  for (const c of IMPORT_COLUMNS) help.addRow({ header: c.header, required: c.required ? '是' : '', help: c.help, example: c.example });
  help.addRow({});
  help.addRow({ help: '只读取第一个工作表「客户」；表头必须在第 1 行，数据从第 2 行开始。出错的行会列出行号和列名，其余行照常导入。' });
  return Buffer.from(await workbook.xlsx.writeBuffer());
}

function csvTemplate(): Buffer {
  // The BOM makes Excel open the file as UTF-8 instead of garbling the Chinese headers.
  return Buffer.from(`\uFEFF${IMPORT_COLUMNS.map((c) => c.header).join(',')}\r\n`, 'utf8');
}

export async function importTemplate(format: 'xlsx' | 'csv'): Promise<TemplateFile> {
  if (format === 'csv') return { type: `${CSV_TYPE}; charset=utf-8`, filename: '客户导入模板.csv', data: csvTemplate() };
  return { type: XLSX_TYPE, filename: '客户导入模板.xlsx', data: await xlsxTemplate() };
}
