// Words for appeal states and bands in the console (Chinese first).
import { tr } from '../tr.ts';
import type { AppealStatus, Band } from '../types/appeals.ts';

export const bandLabel = (b: Band | null | undefined): string =>
  b === 'green' ? tr('绿灯', 'Green') : b === 'yellow' ? tr('黄灯', 'Yellow') : b === 'red' ? tr('红灯', 'Red') : tr('未评估', 'Not rated');

export const statusLabel = (s: AppealStatus): string =>
  s === 'pending' ? tr('待处理', 'Pending') : s === 'upheld' ? tr('维持原判', 'Upheld') : tr('已改判', 'Overturned');

export const statusTag = (s: AppealStatus): 'warning' | 'info' | 'success' => (s === 'pending' ? 'warning' : s === 'upheld' ? 'info' : 'success');

export const when = (iso: string | null | undefined): string => (iso ? new Date(iso).toLocaleString('zh-CN', { hour12: false, month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit' }) : '—');
