export { MetricChart } from './MetricChart';
export type { ChartSeries, MetricChartProps } from './MetricChart';
