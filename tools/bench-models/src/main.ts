import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { isBackendName, webGpuAdapterDescription } from '@rlgf/models';
import { configNames, configPlan, isConfigName, type ConfigName } from './configs';
import { measureCFloor, type CFloor } from './llama2c-floor';
import { describeMachine, loadAverage } from './machine';
import type { Measurement } from './measure';
import { runJson } from './processes';
import { megabytes, ratio, spread, table } from './report';
import { measureRlIterations, type RlIterationRun } from './rl-iteration';
import { ensureOptimizedBlas, ensureTorch, torchMeasure } from './torch';

// npm run bench:models [-- --only stories260K,llama-256] [--repeats 5] [--backend wasm] [--threads 2,1] [--no-baselines]
// [--torch-threads 2,1] [--torch-blas optimized|as-is] [--skip-rl] [--skip-models] [--llama2c /work/refs/llama2c/run.c] [--stages-from runs/imdb-d2lols] [--out file.md]
const args = process.argv.slice(2);
const option = (name: string, fallback: string) => {
  const index = args.indexOf(`--${name}`);
  return index >= 0 && index + 1 < args.length ? args[index + 1] : fallback;
};
const log = (line: string) => process.stderr.write(`[bench] ${line}\n`);

const repoRoot = resolve(process.cwd());
const benchDir = join(repoRoot, 'tools/bench-models');
const hubMirror = resolve(process.env.RLGF_HUB_MIRROR ?? '../shared/hub');
const backend = option('backend', 'wasm');
const repeats = Number(option('repeats', '5'));
// The issue's ratios are against 2 threads; 1 thread is also timed because on a loaded 2-core
// machine PyTorch's OpenMP threads contend and one thread is often the faster baseline.
const threadCounts = option('torch-threads', '2,1').split(',').map(Number);
const threads = threadCounts[0];
// Our kernels' thread counts: one row per count (the first is the default, all cores); ratios
// against PyTorch use each row's own speed.
const ourThreads = option('threads', `${availableParallelism()},1`).split(',').map(Number);
// --no-baselines: no PyTorch and no llama2.c (a correctness run, e.g. webgpu on lavapipe).
const baselines = !args.includes('--no-baselines');

type OursResult = Measurement & { readonly peakRssMb: number };
interface TorchResult {
  readonly tokens_per_s: number[];
  readonly peak_rss_mb: number;
  readonly torch: string;
}

function ours(config: ConfigName, measure: 'generate' | 'ppo-update', size: number, threadCount: number): Promise<OursResult> {
  return runJson<OursResult>(process.execPath, ['--import', 'tsx', join(benchDir, 'src/child.ts'), config, measure, String(size), backend, String(repeats), String(threadCount)], {
    env: { ...process.env, RLGF_HUB_MIRROR: hubMirror },
  });
}

async function torch(config: ConfigName, measure: 'generate' | 'ppo-update', size: number): Promise<TorchResult[]> {
  const results: TorchResult[] = [];
  if (!baselines) return threadCounts.map(() => ({ tokens_per_s: [], peak_rss_mb: Number.NaN, torch: 'skipped' }));
  for (const count of threadCounts) {
    results.push(await torchMeasure<TorchResult>(benchDir, hubMirror, count, ['--config', config, '--measure', measure, measure === 'generate' ? '--batch' : '--rows', String(size)]));
  }
  return results;
}

/** One column per PyTorch thread count, then ours / PyTorch for each. */
const torchColumns = (mine: OursResult, theirs: readonly TorchResult[]) =>
  baselines
    ? [...theirs.map((result) => spread(result.tokens_per_s)), ...theirs.map((result) => ratio(mine.tokensPerSecond, result.tokens_per_s))]
    : theirs.flatMap(() => ['skipped', 'skipped']);
const theirRss = (theirs: readonly TorchResult[]) => (baselines ? megabytes(theirs[0].peak_rss_mb) : 'skipped');
const torchHeaders = () => [...threadCounts.map((count) => `PyTorch ${count}T`), ...threadCounts.map((count) => `ours / PyTorch ${count}T`)];

const tensors = (result: OursResult) => `${result.tensorsBefore} → ${result.tensorsAfter}`;

/** Where the time of one profiled generation or update went: host share and the heaviest kernels. */
const profiles: string[][] = [];
function recordProfile(config: ConfigName, work: string, result: OursResult): void {
  const { wallMs, kernelMs, topKernels } = result.timeProfile;
  const share = (ms: number) => `${((100 * ms) / wallMs).toFixed(0)}%`;
  profiles.push([
    config,
    work,
    wallMs.toFixed(0),
    share(kernelMs),
    share(wallMs - kernelMs),
    topKernels.map((kernel) => `${kernel.name} ${share(kernel.ms)} (${kernel.calls}×)`).join(', '),
  ]);
}

async function generationRows(config: ConfigName, floor: CFloor | string | undefined): Promise<string[][]> {
  const rows: string[][] = [];
  for (const batch of configPlan[config].batches) {
    const theirs = await torch(config, 'generate', batch);
    const cFloor = batch === 1 && typeof floor === 'object' ? floor.tokensPerSecond : undefined;
    for (const [index, count] of ourThreads.entries()) {
      log(`${config}: generation, batch ${batch}, ${count} thread(s)`);
      const mine = await ours(config, 'generate', batch, count);
      if (index === 0) recordProfile(config, `generation, batch ${batch}, ${count}T`, mine);
      rows.push([
        config,
        String(batch),
        String(count),
        spread(mine.tokensPerSecond),
        ...torchColumns(mine, theirs),
        cFloor ? spread(cFloor) : '',
        cFloor ? ratio(mine.tokensPerSecond, cFloor) : '',
        `${megabytes(mine.peakRssMb)} / ${theirRss(theirs)}`,
        String(mine.kernels),
        tensors(mine),
      ]);
      log(rows[rows.length - 1].join(' | '));
    }
  }
  return rows;
}

async function updateRows(config: ConfigName): Promise<string[][]> {
  const rows = configPlan[config].updateRows;
  const theirs = await torch(config, 'ppo-update', rows);
  const result: string[][] = [];
  for (const [index, count] of ourThreads.entries()) {
    log(`${config}: PPO update, ${rows} x 112, ${count} thread(s)`);
    const mine = await ours(config, 'ppo-update', rows, count);
    if (index === 0) recordProfile(config, `PPO update, ${rows} × 112, ${count}T`, mine);
    result.push([
      config,
      `${rows} × 112`,
      String(count),
      spread(mine.tokensPerSecond),
      ...torchColumns(mine, theirs),
      `${megabytes(mine.peakRssMb)} / ${theirRss(theirs)}`,
      String(mine.kernels),
      `${(mine.peakTensorBytes / 2 ** 20).toFixed(0)} MB`,
      tensors(mine),
    ]);
    log(result[result.length - 1].join(' | '));
  }
  return result;
}

async function rlSection(): Promise<string[]> {
  const recipe = 'recipes/imdb-d2lols.yaml';
  log(`RL iterations of ${recipe}`);
  const mine: RlIterationRun = await measureRlIterations({ repoRoot, recipe, iterations: 2, stagesFrom: resolve(option('stages-from', 'runs/imdb-d2lols')) });
  const last = mine.iterations[mine.iterations.length - 1];
  const theirs: Record<string, number>[] = [];
  for (const count of threadCounts) {
    log(`RL iteration on PyTorch, ${count} thread(s)`);
    theirs.push(await torchMeasure<Record<string, number>>(benchDir, hubMirror, count, ['--config', 'stories260K', '--measure', 'rl-iteration', '--minibatches', String(last.minibatches)]));
  }
  const scoring = (t: IterationLike) => t.iterationMs - t.rollInMs - t.rollOutMs - t.rewardMs - t.updateMs;
  const phase = (name: string, value: (t: IterationLike) => number, torchKey: string | undefined) => [
    name,
    ...mine.iterations.map((t) => value(t).toFixed(0)),
    ...theirs.map((result) => (torchKey === undefined ? 'n/a' : result[torchKey].toFixed(0))),
    ...theirs.map((result) => (torchKey === undefined ? 'n/a' : `${(result[torchKey] / value(mine.iterations[0])).toFixed(2)}×`)),
  ];
  const header = [
    'phase (ms)',
    ...mine.iterations.map((t) => `ours, iteration ${t.iteration} (${t.phase})`),
    ...threadCounts.map((count) => `PyTorch ${count}T`),
    ...threadCounts.map((count) => `PyTorch ${count}T ms / ours (iteration 0)`),
  ];
  return [
    ...table(header, [
      phase('roll-in', (t) => t.rollInMs, 'roll_in_ms'),
      phase('roll-out', (t) => t.rollOutMs, 'roll_out_ms'),
      phase('reward', (t) => t.rewardMs, undefined),
      phase('scoring and the rest (policy, reference, critic forward passes; critic warm-up)', scoring, 'scoring_ms'),
      phase('update', (t) => t.updateMs, 'update_ms'),
      phase('iteration', (t) => t.iterationMs, 'iteration_ms'),
    ]),
    '',
    `Update minibatches per iteration: ${last.minibatches} (PyTorch runs the same number). Peak RSS: ours ${megabytes(mine.peakRssMb)} (the whole CLI run: policy, reference, guide, critic, reward model, evaluation), PyTorch ${theirs.map((result) => megabytes(result['peak_rss_mb'])).join(' / ')}.`,
    `Command: \`${mine.command}\`; ${mine.stagesNote}.`,
  ];
}

type IterationLike = RlIterationRun['iterations'][number];

async function main(): Promise<void> {
  if (!isBackendName(backend)) throw new Error(`unknown backend ${backend}`);
  const only = option('only', configNames.join(',')).split(',');
  const configs = configNames.filter((name) => only.includes(name));
  if (only.some((name) => !isConfigName(name))) throw new Error(`--only takes ${configNames.join(', ')}`);
  const machine = await describeMachine();
  const torchVersion = baselines ? await ensureTorch(log) : 'skipped (--no-baselines)';
  const blas = baselines ? await ensureOptimizedBlas(log, option('torch-blas', 'optimized') === 'as-is') : 'skipped';
  const adapter = backend === 'webgpu' ? await webGpuAdapterDescription() : undefined;
  const loadBefore = loadAverage();
  const runC = option('llama2c', '/work/refs/llama2c/run.c');
  const floors = new Map<ConfigName, CFloor | string>();
  const models = !args.includes('--skip-models');
  for (const config of models && baselines ? configs : []) {
    if (config === 'gpt2-small') continue;
    log(`${config}: llama2.c run.c`);
    floors.set(config, await measureCFloor({ runC, benchDir, hubMirror, config, steps: 512, repeats }));
  }
  const generation: string[][] = [];
  const updates: string[][] = [];
  for (const config of models ? configs : []) {
    generation.push(...(await generationRows(config, floors.get(config))));
    updates.push(...(await updateRows(config)));
  }
  const rl = args.includes('--skip-rl') || !baselines ? [`(skipped: ${baselines ? '--skip-rl' : '--no-baselines'})`] : await rlSection();
  const lines = [
    `Backend: ${backend} (TensorFlow.js 4.22${adapter === undefined ? '' : `; WebGPU adapter: ${adapter}`}), ${ourThreads.join(' and ')} kernel threads; ${baselines ? `PyTorch ${torchVersion} (/usr/bin/python3, BLAS ${blas}) with ${threadCounts.join(' and ')} threads` : 'no PyTorch or llama2.c baselines (--no-baselines)'}; every speed is the median of ${repeats} runs (min–max), each measurement in a fresh process.`,
    `Load average (1/5/15 min): ${loadBefore} before, ${loadAverage()} after.`,
    ...machine.map((line) => `- ${line}`),
    '',
    '(a) Sampling with the KV cache, 64 prompt + 48 new tokens, temperature 1: tokens/s (new tokens over wall time, prompt pass included).',
    '',
    ...table(['config', 'batch', 'threads', 'ours', ...torchHeaders(), 'llama2.c run.c (1 stream, 512 positions)', 'ours / C', `peak RSS ours / PyTorch ${threads}T`, 'kernels per step', 'tensors before → after'], generation),
    '',
    ...[...floors].map(([config, floor]) => `llama2.c on ${config}: ${typeof floor === 'string' ? floor : floor.command}`),
    '',
    '(b) One PPO update (forward, clipped surrogate + entropy bonus, backward, AdamW): tokens/s.',
    '',
    ...table(['config', 'tokens', 'threads', 'ours', ...torchHeaders(), `peak RSS ours / PyTorch ${threads}T`, 'kernels per update', 'peak tensor memory', 'tensors before → after'], updates),
    '',
    '(c) RL iterations of recipes/imdb-d2lols.yaml (stories260K policy, guide and critic): iteration 0 AggreVaTeD, iteration 1 the switch to PPO++ (moved to 1; it warms the policy critic up). PyTorch runs the work of an AggreVaTeD iteration phase by phase (tools/bench-models/reference/torch_bench.py, measure_rl_iteration).',
    '',
    ...rl,
    '',
    '(d) Where our time goes: one profiled run of each measurement (tf.profile; profiling adds a little host time). Kernel time is the backend running ops; host time is everything else (JavaScript, sampling, reading results, the tape).',
    '',
    ...table(['config', 'work', 'wall ms', 'kernels', 'host', 'heaviest kernels (share of wall time, calls)'], profiles),
  ];
  const report = lines.join('\n');
  process.stdout.write(`${report}\n`);
  const out = option('out', '');
  if (out !== '') writeFileSync(out, `${report}\n`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
