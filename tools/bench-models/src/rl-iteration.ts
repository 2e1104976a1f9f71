import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { lastJson, run } from './processes';
import { python } from './torch';

/** The tracked times of one RL iteration (`metrics.jsonl`), milliseconds. */
export interface IterationTimes {
  readonly iteration: number;
  readonly phase: string;
  readonly rollInMs: number;
  readonly rollOutMs: number;
  readonly rewardMs: number;
  readonly updateMs: number;
  readonly iterationMs: number;
  readonly minibatches: number;
}

export interface RlIterationRun {
  readonly iterations: IterationTimes[];
  readonly peakRssMb: number;
  readonly command: string;
  readonly stagesNote: string;
}

/**
 * Reuses the finished stages (reward classifier, SFT policy) of an earlier run of the recipe by
 * writing stage markers that point at them; without any, the run trains them first (minutes).
 */
async function reuseStages(runDir: string, stagesFrom: string): Promise<string> {
  const reused: string[] = [];
  for (const stage of ['reward', 'sft']) {
    const marker = join(stagesFrom, 'stages', stage, 'STAGE.json');
    if (!existsSync(marker)) continue;
    await mkdir(join(runDir, 'stages', stage), { recursive: true });
    // A marker's output is relative to its stage folder: point it at the earlier run's folder.
    const record = JSON.parse(readFileSync(marker, 'utf8')) as { output: string };
    record.output = resolve(join(stagesFrom, 'stages', stage), record.output);
    await writeFile(join(runDir, 'stages', stage, 'STAGE.json'), JSON.stringify(record, null, 2));
    reused.push(stage);
  }
  return reused.length > 0 ? `stages ${reused.join(', ')} reused from ${stagesFrom}` : `no finished stages in ${stagesFrom}: the run trained them first`;
}

/**
 * Runs `iterations` RL iterations of `recipe` through the CLI (as `npx nx run cli:train` would,
 * with evaluation and checkpoints reduced to a minimum) and reads the phase times it tracked.
 */
export async function measureRlIterations(options: { readonly repoRoot: string; readonly recipe: string; readonly iterations: number; readonly stagesFrom: string }): Promise<RlIterationRun> {
  const runDir = await mkdtemp(join(tmpdir(), 'bench-rl-'));
  const stagesNote = await reuseStages(runDir, options.stagesFrom);
  const overrides = [
    `outputDir=${runDir}`,
    `rollout.iterations=${options.iterations}`,
    // D2LOLS switches from AggreVaTeD to PPO++ here, so the last iteration times the PPO++ phase.
    `algorithm.d2lolsSwitchIteration=${options.iterations - 1}`,
    'evaluation.every=0',
    'evaluation.limit=8',
    'evaluation.final.limit=8',
    `checkpoint.every=${options.iterations}`,
  ];
  const cli = ['apps/cli/bin/rlgf.js', 'train', '--config', options.recipe, ...overrides.flatMap((value) => ['--set', value])];
  const result = await run(python, [join(options.repoRoot, 'tools/bench-models/reference/peak_rss.py'), process.execPath, ...cli], { cwd: options.repoRoot });
  if (result.code !== 0) throw new Error(`rlgf train failed (${result.code}):\n${result.stderr.slice(-3000)}`);
  const rows = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((line) => JSON.parse(line) as Record<string, number | string>);
  const iterations = rows.map((row) => ({
    iteration: Number(row['iteration']),
    phase: String(row['phase']),
    rollInMs: Number(row['time/roll_in_ms']),
    rollOutMs: Number(row['time/roll_out_ms']),
    rewardMs: Number(row['time/reward_ms']),
    updateMs: Number(row['time/update_ms']),
    iterationMs: Number(row['time/iteration_ms']),
    minibatches: Number(row['update/minibatches']),
  }));
  return { iterations, peakRssMb: lastJson<{ peak_rss_mb: number }>(result.stderr).peak_rss_mb, command: `node ${cli.join(' ')}`, stagesNote };
}
