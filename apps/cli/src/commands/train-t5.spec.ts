import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CliWorkspace, syntheticModel } from '../testing/cli-workspace';

// The trainers on an encoder-decoder policy, unchanged: tiny T5s trained from scratch on the
// synthetic task (its word-level tokenizer with a T5 config.json), then D2LOLS with a T5 guide
// and separate T5 critics, and an exact resume after SIGKILL (Learner.load rebuilds T5s).
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
let workspace: CliWorkspace;
let cwd: string;
const run = (args: string[]) => workspace.run(args);

beforeAll(async () => {
  workspace = await CliWorkspace.create('train-t5');
  cwd = workspace.cwd;
  await mkdir(join(cwd, 't5'));
  for (const file of ['tokenizer.json', 'tokenizer_config.json', 'special_tokens_map.json']) await copyFile(join(syntheticModel, file), join(cwd, 't5', file));
  await writeFile(join(cwd, 't5/config.json'), JSON.stringify(t5Config));
  await workspace.sftSynthetic('weak', { share: 0.1, model: './t5' });
  await workspace.sftSynthetic('strong', { share: 0.9, model: './t5' });
}, 300_000);

function d2lolsRecipe(name: string): Promise<string> {
  return workspace.recipe(
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
    const rows = await workspace.metricRows(join(cwd, 'runs/straight'));
    expect(rows.map((row) => row.phase)).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'ppo++', 'ppo++']);
    expect(rows.some((row) => (row['rollout/guide_token_share'] as number) > 0)).toBe(true);
    expect(rows.every((row) => Number.isFinite(row['value/loss']) && Number.isFinite(row['kl/mean']))).toBe(true);
    // The checkpoint after iteration 2 is written before iteration 3 starts.
    const killed = workspace.signalWhenLogged(['train', '--config', path], 'iteration 3/5');
    expect((await killed).signal).toBe('SIGKILL');
    const resumed = await run(['train', '--resume', 'runs/t5-d2lols']);
    expect(resumed.code).toBe(0);
    expect(resumed.stderr).toMatch(/resuming .*runs\/t5-d2lols after iteration 2/);
    expect(JSON.parse(resumed.stdout).finalMetrics).toEqual(summary.finalMetrics);
    expect(await workspace.metricRows(join(cwd, 'runs/t5-d2lols'))).toEqual(rows);
    expect(JSON.parse(await readFile(join(cwd, 'runs/t5-d2lols/checkpoints/iteration-000005/policy/config.json'), 'utf8'))).toMatchObject({ model_type: 't5' });
  }, 420_000);
});
