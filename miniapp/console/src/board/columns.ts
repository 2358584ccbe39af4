// The indicators the board table and summary cards show, in the order a manager reads them, and their formatting.
export interface KpiColumn { key: string; zh: string; en: string; unit: '%' | 'min' | '' }

export const KPI_COLUMNS: readonly KpiColumn[] = [
  { key: 'planCompletionRate', zh: '计划完成率', en: 'Plan done', unit: '%' },
  { key: 'coverageRate', zh: '客户覆盖率', en: 'Coverage', unit: '%' },
  { key: 'frequencyCompliance', zh: '频次达标率', en: 'Frequency', unit: '%' },
  { key: 'avgVisitMinutes', zh: '平均时长', en: 'Avg. length', unit: 'min' },
  { key: 'validVisitRate', zh: '有效拜访率', en: 'Valid visits', unit: '%' },
  { key: 'reportTimeliness', zh: '报告及时率', en: 'Reports on time', unit: '%' },
  { key: 'followUpOnTime', zh: '跟进按时率', en: 'Follow-ups on time', unit: '%' },
  { key: 'ahi', zh: '动作健康度', en: 'AHI', unit: '' },
];

export function fmtValue(value: number | null | undefined, unit: KpiColumn['unit'], lang: 'zh' | 'en'): string {
  if (value === null || value === undefined) return '—';
  const n = Math.round(value * 10) / 10;
  if (unit === '%') return `${n}%`;
  if (unit === 'min') return lang === 'zh' ? `${n} 分钟` : `${n} min`;
  return String(n);
}

const BAND_ORDER = { red: 0, yellow: 1, green: 2, none: 3 } as const;

/** Reds first, then yellows, then greens, then reps without data; within a light the lowest score first, then by name. */
export function worstFirst<T extends { band: keyof typeof BAND_ORDER; score: number | null; repName: string }>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => BAND_ORDER[a.band] - BAND_ORDER[b.band]
    || (a.score ?? 101) - (b.score ?? 101)
    || a.repName.localeCompare(b.repName, 'zh-CN'));
}
