import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { maxIterationRows } from './run-summary-sections';
import { writeRunSummary } from './run-summary';

const jsonl = (rows: readonly object[]) => rows.map((row) => `${JSON.stringify(row)}\n`).join('');

function runDir(iterations: readonly object[], samples?: object): string {
  const dir = mkdtempSync(join(tmpdir(), 'rlgf-summary-'));
  writeFileSync(join(dir, 'metrics.jsonl'), jsonl(iterations));
  writeFileSync(join(dir, 'evaluations.jsonl'), jsonl([{ iteration: 0, split: 'validation', reward: 0.25 }, { iteration: 3, split: 'validation', reward: 0.5 }]));
  if (samples) writeFileSync(join(dir, 'samples.json'), JSON.stringify(samples));
  return dir;
}

async function summaryOf(dir: string): Promise<string> {
  await writeRunSummary(dir, { title: 'run', lines: ['- algorithm: d2lols'] });
  return readFileSync(join(dir, 'summary.md'), 'utf8');
}

describe('run summary', () => {
  it('shows reward, KL and phase per iteration, the guide score where one was measured, and generations at the start and the end', async () => {
    const iterations = [
      { iteration: 0, phase: 'aggrevated', 'reward/mean': 0.125, 'kl/mean': 0, 'reward/guide_only_mean': 0.75 },
      { iteration: 1, phase: 'aggrevated', 'reward/mean': 0.25, 'kl/mean': 0.5 },
      { iteration: 2, phase: 'ppo++', 'reward/mean': 0.375, 'kl/mean': 1.25 },
    ];
    const samples = {
      first: { iteration: 0, samples: [{ prompt: 'The film', generation: ' was | dull', reward: 0.125 }] },
      last: { iteration: 2, samples: [{ prompt: 'The film', generation: ' was great', reward: 0.875 }] },
    };
    const summary = await summaryOf(runDir(iterations, samples));
    expect(summary).toContain(
      [
        '| iteration | phase | reward | KL | guide score |',
        '|---|---|---|---|---|',
        '| 0 | aggrevated | 0.1250 | 0.0000 | 0.7500 |',
        '| 1 | aggrevated | 0.2500 | 0.5000 |  |',
        '| 2 | ppo++ | 0.3750 | 1.2500 |  |',
      ].join('\n'),
    );
    expect(summary).toContain(['Start (iteration 0):', '', '| prompt | generation | reward |', '|---|---|---|', '| The film |  was \\| dull | 0.1250 |'].join('\n'));
    expect(summary).toContain(['End (iteration 2):', '', '| prompt | generation | reward |', '|---|---|---|', '| The film |  was great | 0.8750 |'].join('\n'));
  });

  it('leaves out the guide column when no iteration measured the guide, and the samples when there are none', async () => {
    const summary = await summaryOf(runDir([{ iteration: 0, phase: 'ppo', 'reward/mean': 0.5, 'kl/mean': 0 }]));
    expect(summary).toContain('| iteration | phase | reward | KL |\n|---|---|---|---|\n| 0 | ppo | 0.5000 | 0.0000 |');
    expect(summary).not.toContain('Sample generations');
  });

  it('thins long runs to every k-th iteration and the last', async () => {
    const iterations = Array.from({ length: 100 }, (_, i) => ({ iteration: i, phase: 'ppo', 'reward/mean': i / 100, 'kl/mean': 0 }));
    const summary = await summaryOf(runDir(iterations));
    const shown = summary.split('\n').filter((line) => /^\| \d+ \| ppo \|/.test(line));
    expect(shown.length).toBeLessThanOrEqual(maxIterationRows + 1);
    expect(shown[0]).toMatch(/^\| 0 \|/);
    expect(shown[1]).toMatch(/^\| 3 \|/);
    expect(shown[shown.length - 1]).toMatch(/^\| 99 \|/);
    expect(summary).toContain('(one iteration in 3 of 100, and the last)');
  });
});
