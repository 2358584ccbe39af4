// Chinese phone numbers as people type them: mobiles with or without +86 and separators, landlines with an
// area code ("010-12345678", "(0755) 8888 8888", extension after "-" or "转"), and 400/800 service numbers.
export type PhoneKind = 'mobile' | 'landline' | 'service';

export interface Phone { value: string; kind: PhoneKind }

const SEPARATORS = /[\s\-()（）.]/g;

/** Area codes 010 and 020–029 have three digits; every other area code has four. */
function areaCodeLength(digits: string): number {
  return /^0[12]/.test(digits) ? 3 : 4;
}

/** The canonical form of a valid number, or undefined when it is not a Chinese mobile, landline or 400/800 number. */
export function normalisePhone(raw: string): Phone | undefined {
  const text = raw.trim();
  if (text === '' || text.length > 40) return undefined;
  const [main = '', ext, ...rest] = text.split(/转|ext\.?|#|,/i);
  if (rest.length > 0) return undefined;
  const extension = ext?.trim();
  if (extension !== undefined && !/^\d{1,6}$/.test(extension)) return undefined;
  if (!/^[+\d\s\-()（）.]+$/.test(main)) return undefined;
  let digits = main.replace(SEPARATORS, '');
  if (/^(\+86|0086)/.test(digits)) digits = digits.replace(/^(\+86|0086)/, '');
  else if (digits.startsWith('+')) return undefined;
  const suffix = extension ? `-${extension}` : '';

  if (/^1[3-9]\d{9}$/.test(digits) && !extension) return { value: digits, kind: 'mobile' };
  if (/^86(1[3-9]\d{9})$/.test(digits) && !extension) return { value: digits.slice(2), kind: 'mobile' };
  if (/^[48]00\d{7}$/.test(digits)) return { value: `${digits.slice(0, 3)}-${digits.slice(3, 6)}-${digits.slice(6)}${suffix}`, kind: 'service' };
  if (/^0[1-9]\d{8,10}$/.test(digits)) {
    const area = areaCodeLength(digits);
    const local = digits.slice(area);
    if (/^[2-9]\d{6,7}$/.test(local)) return { value: `${digits.slice(0, area)}-${local}${suffix}`, kind: 'landline' };
  }
  // A landline typed with its extension glued on by a dash: 021-12345678-123.
  const dashed = /^\(?(0\d{2,3})\)?[\s-]?([2-9]\d{6,7})-(\d{1,6})$/.exec(main.trim());
  if (dashed && !extension) return { value: `${dashed[1]}-${dashed[2]}-${dashed[3]}`, kind: 'landline' };
  return undefined;
}
