import { InvalidArgumentError, type MetricItemV1 } from '@rlgf/contracts';
import { readFile } from 'node:fs/promises';

function isStringArray(value: unknown): value is string[] {
  return Array.isArray(value) && value.every((item) => typeof item === 'string');
}

/**
 * Reads `rlgf score` input: one JSON object per line with `prediction` (string), `references`
 * (list of strings) and optionally `prompt`, `concepts` (CommonGen) and `meta`. Blank lines are
 * skipped; a bad line fails with its number.
 */
export async function readScoreInput(path: string): Promise<MetricItemV1[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (cause) {
    throw new InvalidArgumentError({ argument: '--input', value: path, expected: `a readable JSONL file (${(cause as NodeJS.ErrnoException).code ?? 'unreadable'})` });
  }
  const items: MetricItemV1[] = [];
  text.split('\n').forEach((line, index) => {
    if (line.trim() === '') return;
    const where = `${path} line ${index + 1}`;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new InvalidArgumentError({ argument: where, value: line.slice(0, 60), expected: 'one JSON object per line' });
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row)) {
      throw new InvalidArgumentError({ argument: where, value: row, expected: 'a JSON object' });
    }
    if (typeof row.prediction !== 'string') {
      throw new InvalidArgumentError({ argument: `${where}: prediction`, value: row.prediction, expected: 'a string' });
    }
    if (!isStringArray(row.references)) {
      throw new InvalidArgumentError({ argument: `${where}: references`, value: row.references, expected: 'a list of strings' });
    }
    if (row.concepts !== undefined && !isStringArray(row.concepts)) {
      throw new InvalidArgumentError({ argument: `${where}: concepts`, value: row.concepts, expected: 'a list of strings' });
    }
    const extraMeta = typeof row.meta === 'object' && row.meta !== null ? (row.meta as Record<string, unknown>) : {};
    items.push({
      prediction: row.prediction,
      references: row.references,
      prompt: typeof row.prompt === 'string' ? row.prompt : undefined,
      meta: row.concepts !== undefined ? { ...extraMeta, concepts: row.concepts } : extraMeta,
    });
  });
  if (items.length === 0) throw new InvalidArgumentError({ argument: '--input', value: path, expected: 'at least one prediction line' });
  return items;
}
