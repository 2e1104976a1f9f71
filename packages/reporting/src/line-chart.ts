export interface Series {
  readonly name: string;
  /** [x, y] points; non-finite y values are skipped. */
  readonly points: readonly (readonly [number, number])[];
  /** Optional ±band around each point (e.g. the std over seeds), same order as `points`. */
  readonly band?: readonly number[];
}

export interface LineChart {
  readonly title: string;
  readonly xLabel: string;
  readonly yLabel: string;
  readonly series: readonly Series[];
  readonly width?: number;
  readonly height?: number;
}

const palette = ['#1f77b4', '#d62728', '#2ca02c', '#ff7f0e', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const escape = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Round tick positions covering [low, high] (1, 2 or 5 times a power of ten apart). */
export function niceTicks(low: number, high: number, count = 5): number[] {
  if (!(high > low)) return [low];
  const raw = (high - low) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let tick = Math.ceil(low / step) * step; tick <= high + step * 1e-9; tick += step) ticks.push(Number(tick.toPrecision(12)));
  return ticks;
}

const label = (value: number) => (Math.abs(value) >= 1e4 || (value !== 0 && Math.abs(value) < 1e-3) ? value.toExponential(1) : String(Number(value.toPrecision(4))));

/** A self-contained SVG line chart (axes, ticks, legend, optional ±bands), viewable anywhere. */
export function lineChartSvg(chart: LineChart): string {
  const width = chart.width ?? 640;
  const height = chart.height ?? 360;
  const margin = { left: 64, right: 16, top: 36, bottom: 48 };
  const finite = chart.series.flatMap((s) => s.points.map(([x, y], i) => [x, y, s.band?.[i] ?? 0] as const)).filter(([x, y]) => Number.isFinite(x) && Number.isFinite(y));
  const xs = finite.map(([x]) => x);
  const lows = finite.map(([, y, b]) => y - b);
  const highs = finite.map(([, y, b]) => y + b);
  const [x0, x1] = xs.length > 0 ? [Math.min(...xs), Math.max(...xs)] : [0, 1];
  let [y0, y1] = lows.length > 0 ? [Math.min(...lows), Math.max(...highs)] : [0, 1];
  if (y0 === y1) [y0, y1] = [y0 - 1, y1 + 1];
  const padY = (y1 - y0) * 0.05;
  y0 -= padY;
  y1 += padY;
  const px = (x: number) => margin.left + ((x - x0) / (x1 - x0 || 1)) * (width - margin.left - margin.right);
  const py = (y: number) => height - margin.bottom - ((y - y0) / (y1 - y0)) * (height - margin.top - margin.bottom);
  const parts: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="sans-serif" font-size="11">`,
    `<rect width="${width}" height="${height}" fill="white"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="14">${escape(chart.title)}</text>`,
  ];
  for (const tick of niceTicks(y0, y1)) {
    parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${py(tick).toFixed(1)}" y2="${py(tick).toFixed(1)}" stroke="#e5e5e5"/>`);
    parts.push(`<text x="${margin.left - 6}" y="${(py(tick) + 4).toFixed(1)}" text-anchor="end">${label(tick)}</text>`);
  }
  for (const tick of niceTicks(x0, x1)) {
    parts.push(`<text x="${px(tick).toFixed(1)}" y="${height - margin.bottom + 16}" text-anchor="middle">${label(tick)}</text>`);
  }
  parts.push(`<line x1="${margin.left}" x2="${margin.left}" y1="${margin.top}" y2="${height - margin.bottom}" stroke="#333"/>`);
  parts.push(`<line x1="${margin.left}" x2="${width - margin.right}" y1="${height - margin.bottom}" y2="${height - margin.bottom}" stroke="#333"/>`);
  parts.push(`<text x="${(margin.left + width - margin.right) / 2}" y="${height - 10}" text-anchor="middle">${escape(chart.xLabel)}</text>`);
  parts.push(`<text transform="translate(16 ${(margin.top + height - margin.bottom) / 2}) rotate(-90)" text-anchor="middle">${escape(chart.yLabel)}</text>`);
  chart.series.forEach((series, index) => {
    const color = palette[index % palette.length];
    const points = series.points.map(([x, y], i) => ({ x, y, band: series.band?.[i] ?? 0 })).filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
    if (points.length === 0) return;
    if (series.band) {
      const upper = points.map((p) => `${px(p.x).toFixed(1)},${py(p.y + p.band).toFixed(1)}`);
      const lower = [...points].reverse().map((p) => `${px(p.x).toFixed(1)},${py(p.y - p.band).toFixed(1)}`);
      parts.push(`<polygon points="${[...upper, ...lower].join(' ')}" fill="${color}" fill-opacity="0.15" stroke="none"/>`);
    }
    parts.push(`<polyline points="${points.map((p) => `${px(p.x).toFixed(1)},${py(p.y).toFixed(1)}`).join(' ')}" fill="none" stroke="${color}" stroke-width="1.8"/>`);
    // Markers keep single points (a final evaluation) visible.
    for (const p of points) parts.push(`<circle cx="${px(p.x).toFixed(1)}" cy="${py(p.y).toFixed(1)}" r="2.5" fill="${color}"/>`);
    const legendY = margin.top + 4 + index * 14;
    parts.push(`<line x1="${width - margin.right - 120}" x2="${width - margin.right - 104}" y1="${legendY}" y2="${legendY}" stroke="${color}" stroke-width="2"/>`);
    parts.push(`<text x="${width - margin.right - 100}" y="${legendY + 4}">${escape(series.name)}</text>`);
  });
  parts.push('</svg>');
  return `${parts.join('\n')}\n`;
}
