import { markdownTable } from '@rlgf/reporting';
import type { SampleRecord } from '../tracking/sample-tracker';

type Row = Record<string, number | string>;

const num = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);
const fixed = (value: unknown) => (typeof value === 'number' && Number.isFinite(value) ? value.toFixed(4) : '');

/** Rows shown in the per-iteration table at most; longer runs show every k-th and the last. */
export const maxIterationRows = 40;

function thinned<T>(items: readonly T[]): T[] {
  if (items.length <= maxIterationRows) return [...items];
  const step = Math.ceil(items.length / maxIterationRows);
  return items.filter((_, i) => i % step === 0 || i === items.length - 1);
}

/**
 * Reward, KL and phase of each iteration, and the guide's own score (the mean reward of samples
 * the guide wrote alone, `reward/guide_only_mean`) in the iterations that measured one.
 */
export function iterationTable(iterations: readonly Row[]): string[] {
  if (iterations.length === 0) return [];
  const guided = iterations.some((r) => Number.isFinite(num(r['reward/guide_only_mean'])));
  const headers = ['iteration', 'phase', 'reward', 'KL', ...(guided ? ['guide score'] : [])];
  const rows = thinned(iterations).map((r) => [String(r.iteration), String(r.phase ?? ''), fixed(r['reward/mean']), fixed(r['kl/mean']), ...(guided ? [fixed(r['reward/guide_only_mean'])] : [])]);
  const note =
    iterations.length > maxIterationRows ? ` (one iteration in ${Math.ceil(iterations.length / maxIterationRows)} of ${iterations.length}, and the last)` : '';
  return [
    '## Per iteration',
    '',
    `Mean reward and KL of the policy's rollout samples${guided ? "; guide score: the mean reward of samples the guide wrote alone, where an iteration had some" : ''}${note}.`,
    '',
    markdownTable(headers, rows),
    '',
  ];
}

/** A few rollout generations of the first and of the last iteration, from `samples.json`. */
export function sampleSection(record: SampleRecord): string[] {
  const table = (entry: NonNullable<SampleRecord['first']>, when: string) => [
    `${when} (iteration ${entry.iteration}):`,
    '',
    markdownTable(
      ['prompt', 'generation', 'reward'],
      entry.samples.map((s) => [s.prompt, s.generation, fixed(s.reward)]),
    ),
    '',
  ];
  if (!record.first || !record.last) return [];
  return [
    '## Sample generations',
    '',
    ...table(record.first, 'Start'),
    ...(record.last.iteration === record.first.iteration ? [] : table(record.last, 'End')),
  ];
}
