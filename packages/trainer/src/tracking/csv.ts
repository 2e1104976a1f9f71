/** One CSV field, quoted when it holds a comma, quote or newline (RFC 4180). */
function field(value: unknown): string {
  if (value === undefined || value === null) return '';
  const text = typeof value === 'number' && !Number.isFinite(value) ? String(value) : String(value);
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** A CSV document whose columns are the union of the records' keys, in first-seen order. */
export function toCsv(records: readonly Readonly<Record<string, unknown>>[]): string {
  const columns: string[] = [];
  const seen = new Set<string>();
  for (const record of records) {
    for (const key of Object.keys(record)) {
      if (!seen.has(key)) {
        seen.add(key);
        columns.push(key);
      }
    }
  }
  const lines = [columns.map(field).join(','), ...records.map((record) => columns.map((c) => field(record[c])).join(','))];
  return `${lines.join('\n')}\n`;
}
