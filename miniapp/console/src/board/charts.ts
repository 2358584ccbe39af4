// ECharts for the board, tree-shaken: only the bar and line charts and the components they use. Loaded by a dynamic
// import after the board table is on screen, so the charting code never delays the first paint.
import * as echarts from 'echarts/core';
import { BarChart, LineChart, type BarSeriesOption, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent, LegendComponent, MarkLineComponent, TooltipComponent,
  type GridComponentOption, type LegendComponentOption, type TooltipComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import type { Band, TrendResult } from '../types/board.ts';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, MarkLineComponent, TooltipComponent, CanvasRenderer]);

type TrendOption = echarts.ComposeOption<BarSeriesOption | LineSeriesOption | GridComponentOption | LegendComponentOption | TooltipComponentOption>;

export const BAND_COLORS: Record<Band, string> = { green: '#2ea121', yellow: '#f5a623', red: '#e8352e' };

export interface TrendWords { green: string; yellow: string; red: string; rate: string; greenLine: string; yellowLine: string }

/** Visits per day stacked by band (left axis) and the day's valid-visit rate against the template's lines (right). */
export function trendOption(trend: TrendResult, words: TrendWords): TrendOption {
  const dates = trend.days.map((d) => d.date.slice(5));
  const bar = (band: Band, name: string): BarSeriesOption => ({
    type: 'bar', name, stack: 'visits', data: trend.days.map((d) => d[band]), itemStyle: { color: BAND_COLORS[band] }, barMaxWidth: 18,
  });
  const lines = trend.thresholds.validVisitRate;
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: dates },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' }, splitLine: { show: false } },
    ],
    series: [
      bar('green', words.green), bar('yellow', words.yellow), bar('red', words.red),
      {
        type: 'line', name: words.rate, yAxisIndex: 1, data: trend.days.map((d) => d.validVisitRate), connectNulls: true,
        itemStyle: { color: '#3370ff' }, symbolSize: 5,
        markLine: lines ? {
          symbol: 'none', silent: true, label: { formatter: '{b} {c}%', position: 'insideEndTop' },
          data: [
            { name: words.greenLine, yAxis: lines.green, lineStyle: { color: BAND_COLORS.green, type: 'dashed' } },
            { name: words.yellowLine, yAxis: lines.yellow, lineStyle: { color: BAND_COLORS.yellow, type: 'dashed' } },
          ],
        } : undefined,
      },
    ],
  } as TrendOption;
}

export interface MountedChart { update(option: TrendOption): void; dispose(): void }

/**
 * Draws into `el`, follows its size, and reports clicks on a bar as (day index, band): the page turns that into the
 * list of those visits.
 */
export function mountChart(el: HTMLElement, option: TrendOption, onBar: (dayIndex: number, band: Band) => void): MountedChart {
  const chart = echarts.init(el, undefined, { renderer: 'canvas' });
  chart.setOption(option);
  chart.on('click', (p) => {
    const band = (['green', 'yellow', 'red'] as const)[p.seriesIndex ?? -1];
    if (p.componentType === 'series' && band && typeof p.dataIndex === 'number') onBar(p.dataIndex, band);
  });
  const resize = new ResizeObserver(() => chart.resize());
  resize.observe(el);
  return {
    update: (next) => chart.setOption(next, { notMerge: true }),
    dispose: () => { resize.disconnect(); chart.dispose(); },
  };
}
