import { lineChartSvg, markdownTable } from '@rlgf/reporting';
import { existsSync, readFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { readSampleRecord } from '../tracking/sample-tracker';
import { describeChange, readRecipeChanges } from './run-directory';
import { iterationTable, sampleSection } from './run-summary-sections';

type Row = Record<string, number | string>;

function rows(path: string): Row[] {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Row);
}

const num = (value: unknown) => (typeof value === 'number' ? value : Number.NaN);
const fmt = (value: unknown) => (typeof value === 'number' ? (Number.isInteger(value) ? String(value) : value.toFixed(4)) : String(value ?? ''));

/**
 * Writes `summary.md` (what ran, the evaluations, reward, KL, phase and guide score per
 * iteration, sample generations at the start and the end, averages of an iteration) and SVG plots of the
 * training reward, the KL and every evaluation metric over iterations, from the run's tracking
 * files — so a resumed run's summary covers the whole run.
 */
export async function writeRunSummary(runDir: string, header: { readonly title: string; readonly lines: readonly string[] }): Promise<string[]> {
  const iterations = rows(join(runDir, 'metrics.jsonl'));
  const evaluations = rows(join(runDir, 'evaluations.jsonl'));
  const plots: { file: string; title: string }[] = [];
  const plot = async (file: string, title: string, yLabel: string, series: { name: string; points: [number, number][] }[]) => {
    if (series.every((s) => s.points.length === 0)) return;
    await writeFile(join(runDir, file), lineChartSvg({ title, xLabel: 'iteration', yLabel, series }));
    plots.push({ file, title });
  };
  await plot('reward.svg', 'Training reward (mean over the rollout batch)', 'reward', [
    { name: 'reward', points: iterations.map((r) => [num(r.iteration), num(r['reward/mean'])]) },
  ]);
  await plot('kl.svg', 'KL to the reference (per sequence)', 'KL', [{ name: 'KL', points: iterations.map((r) => [num(r.iteration), num(r['kl/mean'])]) }]);
  const metricNames = [...new Set(evaluations.flatMap((r) => Object.keys(r)))].filter((key) => key !== 'iteration' && key !== 'split' && !key.endsWith('/std'));
  const splits = [...new Set(evaluations.map((r) => String(r.split)))];
  for (const name of metricNames) {
    const file = `eval-${name.replace(/[^A-Za-z0-9_-]+/g, '_')}.svg`;
    await plot(file, `Evaluation: ${name}`, name, splits.map((split) => ({ name: split, points: evaluations.filter((r) => r.split === split).map((r) => [num(r.iteration), num(r[name])]) })));
  }
  const evaluationTable = markdownTable(
    ['iteration', 'split', ...metricNames],
    evaluations.map((r) => [fmt(r.iteration), String(r.split), ...metricNames.map((name) => fmt(r[name]))]),
  );
  const averaged = ['time/iteration_ms', 'time/roll_in_ms', 'time/roll_out_ms', 'time/reward_ms', 'time/update_ms', 'speed/tokens_per_s', 'rollout/guide_token_share'];
  const averages = averaged
    .map((key) => [key, iterations.map((r) => num(r[key])).filter(Number.isFinite)] as const)
    .filter(([, values]) => values.length > 0)
    .map(([key, values]) => [key, (values.reduce((a, b) => a + b, 0) / values.length).toFixed(2)]);
  const startAndEnd = splits.flatMap((split) => {
    const rowsOfSplit = evaluations.filter((r) => r.split === split);
    const first = rowsOfSplit.find((r) => num(r.iteration) === 0);
    const last = rowsOfSplit[rowsOfSplit.length - 1];
    if (!first || !last || first === last) return [];
    return metricNames.filter((name) => typeof first[name] === 'number').map((name) => [split, name, fmt(first[name]), fmt(last[name]), `${num(last[name]) - num(first[name]) >= 0 ? '+' : ''}${(num(last[name]) - num(first[name])).toFixed(4)}`]);
  });
  // Guide failures per iteration, whatever the run did about them (docs/recipes.md, guideFailures).
  const guided = iterations.filter((r) => num(r['rollout/guide_calls']) > 0);
  const guideTable = markdownTable(
    ['iteration', 'phase', 'guide requests', 'failed', 'came back short'],
    guided.map((r) => [fmt(r.iteration), String(r.phase ?? ''), fmt(r['rollout/guide_calls']), fmt(r['rollout/guide_failures'] ?? 0), fmt(r['rollout/guide_short'] ?? 0)]),
  );
  const failures = guided.reduce((sum, r) => sum + (num(r['rollout/guide_failures']) || 0), 0);
  // `--set` on `--resume`: the header describes the recipe as it is now; this says since when.
  const changes = readRecipeChanges(runDir).flatMap((record) =>
    record.changes.map((change) => `- ${record.afterIteration === null ? 'before iteration 1' : `after iteration ${record.afterIteration}`}: ${describeChange(change)}`),
  );
  const markdown = [
    `# ${header.title}`,
    '',
    ...header.lines,
    '',
    ...(changes.length > 0 ? ['## Recipe changes on resume', '', 'Made with `--set` on `--resume` (also in recipe.yaml and recipe-changes.jsonl); iterations before each ran with the earlier value.', '', ...changes, ''] : []),
    ...(startAndEnd.length > 0 ? ['## Start and end', '', markdownTable(['split', 'metric', 'start', 'end', 'change'], startAndEnd), ''] : []),
    '## Evaluations',
    '',
    evaluations.length > 0 ? evaluationTable : '(none)',
    '',
    ...iterationTable(iterations),
    ...sampleSection(readSampleRecord(runDir)),
    ...(guided.length > 0
      ? ['## The guide', '', `${failures} of ${guided.reduce((sum, r) => sum + num(r['rollout/guide_calls']), 0)} guide requests failed over the run (failed samples were finished by the learner).`, '', guideTable, '']
      : []),
    '## Costs of an iteration (mean over iterations)',
    '',
    averages.length > 0 ? markdownTable(['quantity', 'mean'], averages) : '(no iterations)',
    '',
    '## Plots',
    '',
    ...plots.map((p) => `![${p.title}](${p.file})`),
    '',
    'Per-iteration values are in `metrics.jsonl` / `metrics.csv`, evaluations in `evaluations.jsonl` / `evaluations.csv`.',
    '',
  ].join('\n');
  await writeFile(join(runDir, 'summary.md'), markdown);
  return ['summary.md', ...plots.map((p) => p.file)];
}
