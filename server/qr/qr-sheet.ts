// A printable A4 sheet of store codes (门头二维码打印单): six per page, each with the store name and address.
import PDFDocument from 'pdfkit';
import QRCode from 'qrcode';

export interface SheetItem { name: string; address: string; code: string; payload: string }

const COLS = 2;
const ROWS = 3;

export async function qrSheetPdf(items: SheetItem[], fontFile: string, title: string): Promise<Buffer> {
  const doc = new PDFDocument({ size: 'A4', margin: 36, info: { Title: title } });
  const chunks: Buffer[] = [];
  doc.on('data', (c: Buffer) => chunks.push(c));
  const done = new Promise<void>((ok) => doc.on('end', () => ok()));
  // The font file may be a collection (.ttc): name the face; a plain .ttf needs no name.
  if (fontFile.endsWith('.ttc')) doc.font(fontFile, 'WenQuanYiMicroHei'); else doc.font(fontFile);
  const cellW = (doc.page.width - 72) / COLS;
  const cellH = (doc.page.height - 72) / ROWS;
  for (let i = 0; i < items.length; i += 1) {
    const slot = i % (COLS * ROWS);
    if (i > 0 && slot === 0) doc.addPage();
    const x = 36 + (slot % COLS) * cellW;
    const y = 36 + Math.floor(slot / COLS) * cellH;
    const item = items[i]!;
    const png = await QRCode.toBuffer(item.payload, { errorCorrectionLevel: 'M', width: 400, margin: 1 });
    const size = Math.min(cellW, cellH) - 90;
    doc.rect(x + 4, y + 4, cellW - 8, cellH - 8).dash(3, { space: 3 }).stroke().undash();
    doc.image(png, x + (cellW - size) / 2, y + 14, { width: size });
    doc.fontSize(13).text(item.name, x + 10, y + size + 22, { width: cellW - 20, align: 'center' });
    doc.fontSize(9).fillColor('#444').text(`${item.address}\n客户编码 ${item.code} · 请张贴于门头显眼处`, { width: cellW - 20, align: 'center' }).fillColor('black');
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}
