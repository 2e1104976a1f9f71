/** A GitHub-flavoured Markdown table; `|` inside cells is escaped. */
export function markdownTable(headers: readonly string[], rows: readonly (readonly (string | number)[])[]): string {
  const cell = (value: string | number) => String(value).replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return [`| ${headers.map(cell).join(' | ')} |`, `|${headers.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`)].join('\n');
}

/** `mean ± std` (population std) with `digits` decimals; `n/a` without finite values. */
export function meanPlusMinus(values: readonly number[], digits = 3): string {
  const finite = values.filter(Number.isFinite);
  if (finite.length === 0) return 'n/a';
  const mean = finite.reduce((a, b) => a + b, 0) / finite.length;
  const std = Math.sqrt(finite.reduce((a, v) => a + (v - mean) ** 2, 0) / finite.length);
  return finite.length === 1 ? mean.toFixed(digits) : `${mean.toFixed(digits)} ± ${std.toFixed(digits)}`;
}
