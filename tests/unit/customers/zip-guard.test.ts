import { describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { deflateRawSync } from 'node:zlib';
import { inspectZip } from '../../../server/customers/zip-guard.ts';

const LIMITS = { maxEntries: 100, maxTotalBytes: 1_000_000 };

/** A one-entry ZIP whose directory may lie about the unpacked size. */
function zipOf(content: Buffer, declaredSize = content.length): Buffer {
  const name = Buffer.from('a.xml');
  const packed = deflateRawSync(content);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(packed.length, 18);
  local.writeUInt32LE(declaredSize, 22);
  local.writeUInt16LE(name.length, 26);
  const central = Buffer.alloc(46);
  central.writeUInt32LE(0x02014b50, 0);
  central.writeUInt16LE(8, 10);
  central.writeUInt32LE(packed.length, 20);
  central.writeUInt32LE(declaredSize, 24);
  central.writeUInt16LE(name.length, 28);
  central.writeUInt32LE(0, 42);
  const dirOffset = local.length + name.length + packed.length;
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(1, 8);
  end.writeUInt16LE(1, 10);
  end.writeUInt32LE(central.length + name.length, 12);
  end.writeUInt32LE(dirOffset, 16);
  return Buffer.concat([local, name, packed, central, name, end]);
}

describe('inspectZip', () => {
  it('accepts a real xlsx', async () => {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet('客户').addRow(['客户编码', '客户名称']);
    const verdict = await inspectZip(Buffer.from(await wb.xlsx.writeBuffer()), LIMITS);
    expect(verdict).toMatchObject({ ok: true });
  });

  it('accepts a small honest archive and refuses what is not a ZIP', async () => {
    expect(await inspectZip(zipOf(Buffer.from('hello')), LIMITS)).toMatchObject({ ok: true, entries: 1, totalBytes: 5 });
    expect(await inspectZip(Buffer.from('客户编码,客户名称\n'), LIMITS)).toEqual({ ok: false, reason: 'not_zip' });
    expect(await inspectZip(Buffer.from('PK\x03\x04 truncated'), LIMITS)).toEqual({ ok: false, reason: 'not_zip' });
  });

  it('refuses a bomb by its declared size, and one that lies about its size', async () => {
    const zeros = Buffer.alloc(2_000_000);
    expect(await inspectZip(zipOf(zeros), LIMITS)).toEqual({ ok: false, reason: 'too_large' });
    expect(await inspectZip(zipOf(zeros, 100), LIMITS)).toEqual({ ok: false, reason: 'corrupt' });
  });
});
