// Calendar arithmetic on plan months ('YYYY-MM', Asia/Shanghai). Pure.
import { shanghaiDayStart } from '../lib/time.ts';

/** 'YYYY-MM' moved by `n` months. */
export function addMonths(month: string, n: number): string {
  const [y, m] = month.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) + n;
  return `${String(Math.floor(index / 12)).padStart(4, '0')}-${String((index % 12) + 1).padStart(2, '0')}`;
}

export function daysInMonth(month: string): number {
  const [y, m] = month.split('-').map(Number) as [number, number];
  return new Date(Date.UTC(y, m, 0)).getUTCDate();
}

/** A real calendar day (YYYY-MM-DD) inside `month`. */
export function isDayOf(month: string, date: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || date.slice(0, 7) !== month) return false;
  const day = Number(date.slice(8));
  return day >= 1 && day <= daysInMonth(month);
}

/** The months of the calendar quarter that contains `month`, first to last. */
export function quarterMonths(month: string): string[] {
  const m = Number(month.slice(5));
  const first = addMonths(month, -((m - 1) % 3));
  return [first, addMonths(first, 1), addMonths(first, 2)];
}

/** The instants [start, end) of the calendar quarter that contains `month`. */
export function quarterRange(month: string): { start: Date; end: Date } {
  const [first] = quarterMonths(month) as [string];
  return { start: shanghaiDayStart(`${first}-01`), end: shanghaiDayStart(`${addMonths(first, 3)}-01`) };
}

/** Every month touched by the inclusive date range [from, to] (YYYY-MM-DD), in order. */
export function monthsBetween(from: string, to: string): string[] {
  const months: string[] = [];
  for (let m = from.slice(0, 7); m <= to.slice(0, 7); m = addMonths(m, 1)) months.push(m);
  return months;
}
