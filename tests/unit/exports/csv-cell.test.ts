// CSV cells for the photo zip's manifest: quoting, and text a spreadsheet would run as a formula kept as text.
import { describe, expect, it } from 'vitest';
import { csvCell } from '../../../server/exports/photo-zip.ts';

describe('csvCell', () => {
  it('leaves plain text alone and quotes separators, quotes and line breaks', () => {
    expect(csvCell('华联超市')).toBe('华联超市');
    expect(csvCell(null)).toBe('');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('说"好"')).toBe('"说""好"""');
    expect(csvCell('两\n行')).toBe('"两\n行"');
  });

  it.each(['=1+1', '+86 138', '-2', '@SUM(A1)', '\tcmd', '\rcmd', '=HYPERLINK("http://x","y")'])('neutralises %j with a leading apostrophe, quoted', (raw) => {
    const cell = csvCell(raw);
    expect(cell.startsWith('"\'')).toBe(true);
    expect(cell.slice(2, -1).replace(/""/g, '"')).toBe(raw);
  });

  it('keeps a formula character that is not first', () => {
    expect(csvCell('A=B')).toBe('A=B');
    expect(csvCell('2026-12-06 09:30')).toBe('2026-12-06 09:30');
  });
});
