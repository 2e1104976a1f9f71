import { lineChartSvg, markdownTable, meanPlusMinus, niceTicks } from './index';

describe('reporting', () => {
  it('picks round ticks', () => {
    expect(niceTicks(0, 1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
    expect(niceTicks(-3, 47)).toEqual([0, 10, 20, 30, 40]);
    expect(niceTicks(2, 2)).toEqual([2]);
  });

  it('draws every series with its legend and skips non-finite points', () => {
    const svg = lineChartSvg({
      title: 'reward <mean>',
      xLabel: 'iteration',
      yLabel: 'reward',
      series: [
        { name: 'ppo', points: [[0, 0.1], [1, 0.3], [2, Number.NaN]] },
        { name: 'd2lols', points: [[0, 0.2], [1, 0.5]], band: [0.05, 0.1] },
      ],
    });
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).toContain('reward &lt;mean&gt;');
    expect(svg.match(/<polyline/g)).toHaveLength(2);
    expect(svg.match(/<polygon/g)).toHaveLength(1);
    expect(svg).toContain('>d2lols</text>');
    expect(svg).not.toContain('NaN');
  });

  it('writes Markdown tables and mean ± std', () => {
    expect(markdownTable(['a', 'b|c'], [[1, 'x'], [2, 'y']])).toBe('| a | b\\|c |\n|---|---|\n| 1 | x |\n| 2 | y |');
    expect(meanPlusMinus([1, 2, 3], 2)).toBe('2.00 ± 0.82');
    expect(meanPlusMinus([0.5])).toBe('0.500');
    expect(meanPlusMinus([Number.NaN])).toBe('n/a');
  });
});
