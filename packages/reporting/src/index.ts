export { lineChartSvg, niceTicks, type LineChart, type Series } from './line-chart';
export { markdownTable, meanPlusMinus } from './markdown';
