/**
 * The shift's trend in 15-minute steps (ECharts, only the parts used, loaded with the lead's view):
 * calls offered, answered and abandoned as bars, the 15-second answer rate as a line.
 */
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';
import { shanghaiTime } from '../../../shared/base/shanghai-time';
import type { TrendPoint } from './lead-figures';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

export function TrendChart({ points, theme }: { points: TrendPoint[]; theme: 'light' | 'dark' }) {
  const { t } = useTranslation();
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const c = echarts.init(host.current, theme === 'dark' ? 'dark' : undefined, { renderer: 'canvas' });
    chart.current = c;
    const resize = new ResizeObserver(() => c.resize());
    resize.observe(host.current);
    return () => {
      resize.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, [theme]);

  useEffect(() => {
    chart.current?.setOption({
      animation: false,
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      grid: { left: 40, right: 48, top: 32, bottom: 24 },
      xAxis: { type: 'category', data: points.map((p) => shanghaiTime(p.at).slice(0, 5)) },
      yAxis: [
        { type: 'value', minInterval: 1 },
        { type: 'value', min: 0, max: 100, axisLabel: { formatter: '{value}%' } },
      ],
      series: [
        { name: t('queue.figure.offered'), type: 'bar', data: points.map((p) => p.offered) },
        { name: t('queue.figure.answered'), type: 'bar', data: points.map((p) => p.answered) },
        { name: t('queue.figure.abandoned'), type: 'bar', data: points.map((p) => p.abandoned) },
        {
          name: t('queue.figure.withinTargetRate'),
          type: 'line',
          yAxisIndex: 1,
          data: points.map((p) => (p.withinTargetRate === null ? null : Math.round(p.withinTargetRate * 1000) / 10)),
        },
      ],
    });
  }, [points, t]);

  return <div ref={host} className="lead-trend" data-testid="lead-trend" style={{ height: 220 }} />;
}
