import { spawn } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { runCli } from '../testing/run-cli';

// The trainers on an encoder-decoder policy, unchanged: tiny T5s trained from scratch on the
// synthetic task (its word-level tokenizer with a T5 config.json), then D2LOLS with a T5 guide
// and separate T5 critics, and an exact resume after SIGKILL (Learner.load rebuilds T5s).
const repo = resolve(__dirname, '../../../..');
const syntheticModel = join(repo, 'plugins/task-synthetic/model');
const t5Config = {
  architectures: ['T5ForConditionalGeneration'],
  model_type: 't5',
  vocab_size: 19,
  d_model: 32,
  d_kv: 8,
  num_heads: 4,
  d_ff: 64,
  num_layers: 2,
  num_decoder_layers: 2,
  relative_attention_num_buckets: 8,
  relative_attention_max_distance: 16,
  feed_forward_proj: 'relu',
  tie_word_embeddings: true,
  decoder_start_token_id: 0,
  eos_token_id: 2,
};
let cwd: string;

const run = (args: string[]) => runCli(args, { cwd, env: { ...process.env, RLGF_CACHE_DIR: join(cwd, 'cache') } });
const timings = new Set(['time/reward_ms', 'time/roll_in_ms', 'time/roll_out_ms', 'time/update_ms', 'time/iteration_ms', 'speed/tokens_per_s']);

async function metricRows(runDir: string): Promise<Record<string, unknown>[]> {
  const text = await readFile(join(runDir, 'metrics.jsonl'), 'utf8');
  return text
    .trim()
    .split('\n')
    .map((line) => Object.fromEntries(Object.entries(JSON.parse(line) as Record<string, unknown>).filter(([key]) => !timings.has(key))));
}

async function recipe(name: string, body: string): Promise<string> {
  const path = join(cwd, `${name}.yaml`);
  await writeFile(path, `name: ${name}\n${body}`);
  return path;
}

beforeAll(async () => {
  cwd = await mkdtemp(join(tmpdir(), 'rlgf-train-t5-'));
  await mkdir(join(cwd, 't5'));
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) await copyFile(join(syntheticModel, file), join(cwd, 't5', file));
  await writeFile(join(cwd, 't5/config.json'), JSON.stringify(t5Config));
  for (const [name, share] of [['weak', 0.1], ['strong', 0.9]] as const) {
    const path = await recipe(
      name,
      `task: { id: synthetic, options: { referenceTargetShare: ${share} } }
policy: { model: { source: ./t5, init: random } }
sft: { epochs: 2, learningRate: 0.003, batchSize: 32, limit: 500, maxTokens: 16 }
optimization: { maxGradNorm: 1 }
evaluation: { limit: 32 }
logging: { progress: none }
`,
    );
    const result = await run(['sft', '--config', path]);
    if (result.code !== 0) throw new Error(result.stderr);
  }
}, 300_000);

function d2lolsRecipe(name: string): Promise<string> {
  return recipe(
    name,
    `task: { id: synthetic }
policy: { model: ./runs/weak/model }
guide: { id: local, options: { model: ./runs/strong/model } }
algorithm: { name: d2lols, d2lolsSwitchIteration: 2, d2lolsCriticWarmupIterations: 1 }
rollout: { iterations: 5, samplesPerIteration: 16, generationBatchSize: 16 }
optimization: { learningRate: 0.001, minibatchSize: 8, epochs: 2 }
kl: { coef: 0.01 }
evaluation: { every: 2, limit: 16, final: { limit: 16 } }
checkpoint: { every: 2, keep: 2 }
logging: { progress: lines }
`,
  );
}

describe('rlgf on a T5 policy', () => {
  it('fine-tunes T5s from scratch toward the references', async () => {
    const weak = JSON.parse(await readFile(join(cwd, 'runs/weak/evaluations.jsonl'), 'utf8'));
    const strong = JSON.parse(await readFile(join(cwd, 'runs/strong/evaluations.jsonl'), 'utf8'));
    expect(strong['target-share']).toBeGreaterThan(weak['target-share'] + 0.3);
    expect(JSON.parse(await readFile(join(cwd, 'runs/strong/model/config.json'), 'utf8'))).toMatchObject({ model_type: 't5', d_model: 32 });
  });

  it('trains D2LOLS with a T5 guide and T5 critics, and resumes after SIGKILL to the same metrics', async () => {
    const path = await d2lolsRecipe('t5-d2lols');
    const straight = await run(['train', '--config', path, '--set', 'outputDir=runs/straight']);
    expect(straight.code).toBe(0);
    const summary = JSON.parse(straight.stdout);
    expect(summary).toMatchObject({ algorithm: 'd2lols', iterations: 5, stopReason: 'completed' });
    const rows = await metricRows(join(cwd, 'runs/straight'));
    expect(rows.map((row) => row.phase)).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'ppo++', 'ppo++']);
    expect(rows.some((row) => (row['rollout/guide_token_share'] as number) > 0)).toBe(true);
    expect(rows.every((row) => Number.isFinite(row['value/loss']) && Number.isFinite(row['kl/mean']))).toBe(true);
    const child = spawn(process.execPath, [join(repo, 'apps/cli/bin/rlgf.js'), 'train', '--config', path], {
      cwd,
      env: { ...process.env, RLGF_CACHE_DIR: join(cwd, 'cache') },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    const killed = new Promise<NodeJS.Signals | null>((done) => child.on('exit', (_, signal) => done(signal)));
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      // The checkpoint after iteration 1 (2 completed) is written before iteration 3 starts.
      if (stderr.includes('iteration 3/5')) child.kill('SIGKILL');
    });
    expect(await killed).toBe('SIGKILL');
    const resumed = await run(['train', '--resume', 'runs/t5-d2lols']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .*runs\/t5-d2lols after iteration 1/);
    expect(JSON.parse(resumed.stdout).finalMetrics).toEqual(summary.finalMetrics);
    expect(await metricRows(join(cwd, 'runs/t5-d2lols'))).toEqual(rows);
    expect(JSON.parse(await readFile(join(cwd, 'runs/t5-d2lols/checkpoints/iteration-000004/policy/config.json'), 'utf8'))).toMatchObject({ model_type: 't5' });
  }, 420_000);
});
