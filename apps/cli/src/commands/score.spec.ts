import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../testing/run-cli';

async function inputFile(lines: string[]): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), 'rlgf-score-')), 'predictions.jsonl');
  await writeFile(path, `${lines.join('\n')}\n`);
  return path;
}

const rows = [
  { prediction: 'A dog runs across the field.', references: ['The dog is running in a field.', 'A dog running through the grass.'], concepts: ['dog', 'run', 'field'] },
  { prediction: 'the cat sat on the mat', references: ['the cat sat on the mat'], concepts: ['cat', 'mat'] },
];

describe('rlgf score', () => {
  it('prints corpus scores of the named metrics as JSON, and per-item scores on request', async () => {
    const input = await inputFile(rows.map((row) => JSON.stringify(row)));
    const result = await runCli(['score', '--input', input, '--metrics', 'bleu,rouge,coverage', '--per-item']);
    expect(result.code).toBe(0);
    const output = JSON.parse(result.stdout);
    expect(output.items).toBe(2);
    expect(Object.keys(output.scores)).toEqual(expect.arrayContaining(['bleu', 'rouge1', 'rouge2', 'rougeL', 'rougeLsum', 'coverage']));
    expect(output.perItem[1].bleu).toBeCloseTo(100, 10);
    expect(output.perItem[1].rouge1).toBeCloseTo(1, 10);
    expect(output.scores.coverage).toBe(1);
    expect(output.references.bleu).toMatch(/sacreBLEU/);
  });

  it('names the line and field of bad input, in one line', async () => {
    const input = await inputFile([JSON.stringify(rows[0]), '{"prediction": 3, "references": []}']);
    const result = await runCli(['score', '--input', input, '--metrics', 'bleu']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/predictions\.jsonl line 2: prediction: got 3, expected a string/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('lists the known metrics when one is unknown', async () => {
    const input = await inputFile([JSON.stringify(rows[0])]);
    const result = await runCli(['score', '--input', input, '--metrics', 'bleu,blue']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/unknown metric "blue"; known metrics: bleu, cider-d, coco-bleu/);
  });
});
