import { GuideUnavailableError, type GuideV1, type LoggerV1, type MetricV1, type TaskV1, type TrackedValuesV1, type TrackerV1 } from '@rlgf/contracts';
import { createProgress, silentLogger } from '@rlgf/core';
import { setBackend, type TrainableLanguageModel } from '@rlgf/models';
import { recipeSchema } from '@rlgf/recipe';
import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FailingGuide, letterCountReward, letterTokenizer, referenceLogProbMetric, ScriptedGuide, taskSample, tinyLlama } from '../__fixtures__/tiny-models';
import { createDirectoryCheckpointStore } from '../checkpoint/directory-checkpoint-store';
import { CriticThread, criticWorkerFiles } from '../critics/critic-thread';
import { resolveAlgorithm } from '../algorithms/registry';
import { Learner } from '../learner/learner';
import { createFileTracker } from '../tracking/file-tracker';
import { RlTrainer } from './rl-trainer';

const task: TaskV1 = {
  specificationVersion: 'v1',
  id: 'letters',
  description: 'write "c"',
  splits: { train: 'scripted', validation: 'scripted', test: 'scripted' },
  generation: { maxNewTokens: 4, evalDecoding: { strategy: 'greedy' } },
  defaultReward: { id: 'letter-count' },
  defaultMetrics: [],
  doLoadSamples: async ({ limit }) => Array.from({ length: limit ?? 8 }, (_, i) => taskSample(i, i % 2 ? 'q r' : 's t u')),
};

/** The run's tracking files, and what the trainer tracked per iteration, in memory for the test. */
async function recordingTracker(dir: string): Promise<TrackerV1 & { iterations: Map<number, TrackedValuesV1> }> {
  const files = await createFileTracker({ dir, csv: false });
  const iterations = new Map<number, TrackedValuesV1>();
  return {
    ...files,
    iterations,
    logIteration: (i, values) => {
      iterations.set(i, values);
      files.logIteration(i, values);
    },
  };
}

interface TrainerOptions {
  readonly algorithm: Record<string, unknown>;
  readonly iterations: number;
  readonly sharedTrunk?: boolean;
  readonly guide?: GuideV1;
  readonly extra?: Record<string, unknown>;
  readonly logger?: LoggerV1;
  /** Receives progress lines (none are drawn without it). */
  readonly progressLines?: (line: string) => void;
  readonly metrics?: readonly MetricV1[];
  /** Move the critics to a thread of their own, as `prepareRlRun` does with two or more threads. */
  readonly criticThread?: boolean;
}

async function trainer(options: TrainerOptions) {
  const runDir = await mkdtemp(join(tmpdir(), 'rlgf-rl-trainer-'));
  const recipe = recipeSchema.parse({
    task: 'letters',
    policy: { model: 'unused' },
    guide: 'local',
    algorithm: options.algorithm,
    critic: { sharedTrunk: options.sharedTrunk ?? false },
    rollout: { iterations: options.iterations, samplesPerIteration: 4, generationBatchSize: 4 },
    optimization: { minibatchSize: 4, epochs: 1, learningRate: 0.01, weightDecay: 0 },
    evaluation: { every: 0, limit: 2, final: { limit: 2 } },
    checkpoint: { every: 1, keep: 10 },
    logging: { progress: 'none' },
    ...options.extra,
  });
  const policy: TrainableLanguageModel = tinyLlama(1);
  const reference = policy.frozenCopy();
  const roles = resolveAlgorithm(recipe).schedule.critics;
  const learner = Learner.create({ policy, criticTrunk: policy, roles, optimization: recipe.optimization, sharedTrunk: recipe.critic.sharedTrunk });
  const thread = options.criticThread ? await CriticThread.start({ backend: 'wasm', threads: 1, files: criticWorkerFiles() ?? fail('no critic worker module') }) : undefined;
  if (thread) await learner.moveCriticsTo(thread, 1, { holdsPolicy: true });
  const tracker = await recordingTracker(runDir);
  const samples = await task.doLoadSamples({ split: 'train', limit: 8 });
  const rl = new RlTrainer({
    recipe,
    runDir,
    task,
    trainSamples: samples,
    loadSamples: async (_, limit) => samples.slice(0, limit),
    learner,
    reference,
    guide: options.guide ?? new ScriptedGuide('c'),
    rewards: [{ reward: letterCountReward('c'), weight: 1 }],
    metrics: options.metrics ?? [],
    tracker,
    store: createDirectoryCheckpointStore({ root: join(runDir, 'checkpoints'), keep: 10 }),
    logger: options.logger ?? silentLogger,
    progress: createProgress({ label: 'iteration', total: options.iterations, mode: options.progressLines ? 'lines' : 'none', isTty: false, write: options.progressLines ?? (() => undefined) }),
    startIteration: 0,
  });
  return {
    rl,
    runDir,
    recipe,
    learner,
    tracker,
    thread,
    async close() {
      await tracker.close();
      learner.dispose();
      reference.dispose();
      await rm(runDir, { recursive: true, force: true });
    },
  };
}

const snapshot = (variables: readonly tf.Variable[]) => variables.map((v) => Float32Array.from(v.dataSync()));
const moved = (variables: readonly tf.Variable[], before: Float32Array[]) => variables.some((v, i) => v.dataSync().some((x, j) => x !== before[i][j]));

describe('RlTrainer', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });

  it('leaks no tensor over a full D2LOLS run: only optimizer moments stay (rollouts, scoring, updates, the critic copy, evaluation, checkpoints)', async () => {
    const run = await trainer({ algorithm: { name: 'd2lols', d2lolsSwitchIteration: 1, d2lolsCriticWarmupIterations: 1 }, iterations: 3 });
    const before = tf.memory().numTensors;
    const summary = await run.rl.run();
    expect(summary.stopReason).toBe('completed');
    expect([...run.tracker.iterations.values()].map((values) => values.phase)).toEqual(['aggrevated', 'critic-warmup', 'ppo++']);
    // What stays is the optimizers' state: two moments for every variable each one updated.
    const { learner } = run;
    const moments = 2 * (learner.policy.trainableVariables.length + learner.critic('guide').variables.length + learner.critic('policy').variables.length);
    expect(tf.memory().numTensors - before).toBe(moments);
    await run.close();
  });

  it('critics on their own thread, generating beside the policy: the same D2LOLS run bit for bit (metrics, evaluations, policy, critics, checkpoint files), and no critic tensor left on the main thread', async () => {
    const algorithm = { name: 'd2lols', d2lolsSwitchIteration: 1, d2lolsCriticWarmupIterations: 1 };
    // Chunks of two rows: rollouts and evaluations have two chunks each, one for each thread.
    const extra = { rollout: { iterations: 3, samplesPerIteration: 4, generationBatchSize: 2 }, evaluation: { every: 1, limit: 4, final: { limit: 4 } } };
    const main = await trainer({ algorithm, iterations: 3, extra, metrics: [referenceLogProbMetric()] });
    const threaded = await trainer({ algorithm, iterations: 3, extra, criticThread: true, metrics: [referenceLogProbMetric()] });
    const generated = jest.spyOn(threaded.thread ?? fail('no critic thread'), 'generate');
    const scored = jest.spyOn(threaded.thread ?? fail('no critic thread'), 'scoreTokens');
    await main.rl.run();
    const before = tf.memory().numTensors;
    await threaded.rl.run();
    // Every rollout (3) and evaluation (before, after each iteration, final: 5) gave the thread a chunk.
    expect(generated.mock.calls.length).toBeGreaterThanOrEqual(8);
    // And scored some of each evaluation's metric calls (four items asked at once: five evaluations).
    expect(scored.mock.calls.length).toBeGreaterThanOrEqual(5);
    const evaluations = await readFile(join(main.runDir, 'evaluations.jsonl'), 'utf8');
    expect(evaluations).toContain('reference-log-prob');
    expect(evaluations.trim().split('\n').length).toBeGreaterThanOrEqual(4);
    expect(await readFile(join(threaded.runDir, 'evaluations.jsonl'), 'utf8')).toEqual(evaluations);
    // Only the policy's optimizer moments stay here; the critics' live on their thread.
    expect(tf.memory().numTensors - before).toBe(2 * threaded.learner.policy.trainableVariables.length);
    const untimed = (values: TrackedValuesV1) => Object.fromEntries(Object.entries(values).filter(([key]) => !key.startsWith('time/') && !key.startsWith('memory/') && !key.startsWith('speed/')));
    expect([...threaded.tracker.iterations.values()].map(untimed)).toEqual([...main.tracker.iterations.values()].map(untimed));
    expect(snapshot(threaded.learner.policy.trainableVariables)).toEqual(snapshot(main.learner.policy.trainableVariables));
    for (const role of ['guide', 'policy'] as const) expect(await threaded.learner.criticWeights(role)).toEqual(await main.learner.criticWeights(role));
    const checkpoint = join('checkpoints', 'iteration-000003');
    const criticFiles = ['critic-guide.safetensors', 'critic-policy.safetensors', 'optimizer-critic-guide.safetensors', 'optimizer-critic-policy.safetensors'];
    for (const file of [...criticFiles, 'optimizer-policy.safetensors']) {
      expect(await readFile(join(threaded.runDir, checkpoint, file))).toEqual(await readFile(join(main.runDir, checkpoint, file)));
    }
    // Resuming moves the critics too: loaded from the checkpoint, moved with their (non-zero)
    // moments, saved again — the same bytes.
    const resumed = await Learner.load(join(main.runDir, checkpoint), { roles: ['guide', 'policy'], optimization: main.recipe.optimization, sharedTrunk: false, tokenizer: letterTokenizer });
    await resumed.moveCriticsTo(await CriticThread.start({ backend: 'wasm', threads: 1, files: criticWorkerFiles() ?? fail('no critic worker module') }), 1);
    const savedAgain = await mkdtemp(join(tmpdir(), 'rlgf-resumed-'));
    await resumed.save(savedAgain);
    for (const file of criticFiles) expect(await readFile(join(savedAgain, file))).toEqual(await readFile(join(main.runDir, checkpoint, file)));
    resumed.dispose();
    await rm(savedAgain, { recursive: true, force: true });
    await main.close();
    await threaded.close();
  });

  it('an AggreVaTeD iteration trains the policy and the guide critic; the policy critic waits', async () => {
    const run = await trainer({ algorithm: { name: 'd2lols', d2lolsSwitchIteration: 1, d2lolsCriticWarmupIterations: 0 }, iterations: 1 });
    const policy = snapshot(run.learner.policy.trainableVariables);
    const guideCritic = snapshot(run.learner.critic('guide').variables);
    const policyCritic = snapshot(run.learner.critic('policy').variables);
    await run.rl.run();
    expect(moved(run.learner.policy.trainableVariables, policy)).toBe(true);
    expect(moved(run.learner.critic('guide').variables, guideCritic)).toBe(true);
    expect(moved(run.learner.critic('policy').variables, policyCritic)).toBe(false);
    await run.close();
  });

  it('counts iterations from 1 one way everywhere: progress, metrics rows, evaluations, checkpoint folders and messages', async () => {
    const messages: string[] = [];
    const progress: string[] = [];
    const logger: LoggerV1 = { debug: (m) => messages.push(m), info: (m) => messages.push(m), warn: (m) => messages.push(m), error: (m) => messages.push(m) };
    const run = await trainer({
      algorithm: { name: 'd2lols', d2lolsSwitchIteration: 2, d2lolsCriticWarmupIterations: 1 },
      iterations: 4,
      extra: { evaluation: { every: 2, limit: 2, final: { limit: 2 } }, checkpoint: { every: 2, keep: 10 } },
      logger,
      progressLines: (line) => progress.push(line.trim()),
    });
    await run.rl.run();
    expect(progress.map((line) => line.split('  ')[0])).toEqual(['iteration 0/4', 'iteration 1/4', 'iteration 2/4', 'iteration 3/4', 'iteration 4/4']);
    // The 4th progress line and the 4th metrics row describe the same iteration.
    expect([...run.tracker.iterations.keys()]).toEqual([1, 2, 3, 4]);
    expect(progress[3]).toContain(`phase ${run.tracker.iterations.get(3)?.phase}`);
    const evaluations = (await readFile(join(run.runDir, 'evaluations.jsonl'), 'utf8')).trim().split('\n').map((line) => JSON.parse(line).iteration);
    // The starting point on validation and on the final split (test), after 2 on validation, after 4 on test.
    expect(evaluations).toEqual([0, 0, 2, 4]);
    expect(messages.filter((m) => m.startsWith('evaluation on')).map((m) => /after iteration (\d+)/.exec(m)?.[1])).toEqual(['0', '0', '2', '4']);
    expect(await readdir(join(run.runDir, 'checkpoints'))).toEqual(['iteration-000002', 'iteration-000004']);
    expect(JSON.parse(await readFile(join(run.runDir, 'checkpoints', 'iteration-000002', 'state.json'), 'utf8'))).toMatchObject({ iteration: 2, phase: 'aggrevated' });
    expect(messages.filter((m) => m.startsWith('checkpoint after'))).toEqual([
      `checkpoint after iteration 2: ${join(run.runDir, 'checkpoints', 'iteration-000002')}`,
      `checkpoint after iteration 4: ${join(run.runDir, 'checkpoints', 'iteration-000004')}`,
    ]);
    // τ = 2: two AggreVaTeD iterations, then the switch, which the third iteration's row shows.
    expect(messages).toContainEqual(expect.stringMatching(/^D2LOLS switches to PPO\+\+ after iteration 2:/));
    expect([1, 2, 3, 4].map((i) => run.tracker.iterations.get(i)?.phase)).toEqual(['aggrevated', 'aggrevated', 'critic-warmup', 'ppo++']);
    await run.close();
  });

  it('D2LOLS starts the policy critic from the guide critic at τ (a fresh critic predicts exactly 0 there)', async () => {
    const valueAtSwitch = async (d2lolsCriticInit: string) => {
      const run = await trainer({ algorithm: { name: 'd2lols', d2lolsSwitchIteration: 1, d2lolsCriticWarmupIterations: 1, d2lolsCriticInit }, iterations: 2 });
      await run.rl.run();
      // The second iteration (τ = 1): rows count iterations from 1.
      const values = run.tracker.iterations.get(2);
      await run.close();
      return { phase: values?.phase, value: Number(values?.['value/mean']) };
    };
    expect(await valueAtSwitch('fresh')).toEqual({ phase: 'critic-warmup', value: 0 });
    const copied = await valueAtSwitch('guide-critic');
    expect(copied.phase).toBe('critic-warmup');
    expect(Math.abs(copied.value)).toBeGreaterThan(1e-4);
  });

  it("reports the KL over the samples the policy wrote in (what the controller reads), the guide tokens' log-ratio apart", async () => {
    const run = await trainer({ algorithm: { name: 'aggrevated', aggrevatedBeta: 1 }, iterations: 1 });
    await run.rl.run();
    const values = run.tracker.iterations.get(1) ?? {};
    expect(Number(values['kl/samples'])).toBe(4);
    // The reference is the policy's start: before the first update the policy tokens' k1 KL is 0 exactly.
    expect(values['kl/mean']).toBe(0);
    expect(values['kl/guide_log_ratio']).toBe(0);
    await run.close();
  });

  it('stops after a checkpoint when the guide fails for most samples in 3 consecutive iterations, and says so in one line and the summary', async () => {
    const run = await trainer({ algorithm: { name: 'ppo++', ppoPlusPlusBeta: 1 }, iterations: 6, guide: new FailingGuide() });
    const error = await run.rl.run().then(() => undefined, (caught: unknown) => caught);
    expect(GuideUnavailableError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      'the guide failed for more than 50% of its samples in 3 consecutive iterations (iteration: failed/asked 1: 4/4, 2: 4/4, 3: 4/4; first reason: connection refused (after 3 attempts)); stopped after a checkpoint of iteration 3',
    );
    expect(run.tracker.iterations.size).toBe(3);
    expect(existsSync(join(run.runDir, 'checkpoints', 'iteration-000003', 'COMPLETE'))).toBe(true);
    const summary = await readFile(join(run.runDir, 'summary.md'), 'utf8');
    expect(summary).toContain('- stopped after iteration 3: the guide failed for more than 50% of its samples in iterations 1: 4/4, 2: 4/4, 3: 4/4');
    expect(summary).toContain('12 of 12 guide requests failed over the run');
    await run.close();
  });

  it('with guideFailures.onPersistent: fallback, the learner takes over for as long as it takes, and the summary counts the failures', async () => {
    const run = await trainer({ algorithm: { name: 'ppo++', ppoPlusPlusBeta: 1 }, iterations: 4, guide: new FailingGuide(), extra: { guideFailures: { onPersistent: 'fallback' } } });
    expect((await run.rl.run()).stopReason).toBe('completed');
    expect([...run.tracker.iterations.values()].map((values) => values['rollout/guide_failures'])).toEqual([4, 4, 4, 4]);
    expect(await readFile(join(run.runDir, 'summary.md'), 'utf8')).toContain('16 of 16 guide requests failed over the run');
    await run.close();
  });

  it('GRPO runs critic-free: G samples per prompt, no critic, the KL as a loss term, no leaked tensor', async () => {
    const run = await trainer({ algorithm: { name: 'grpo', numGenerations: 2 }, iterations: 2, extra: { kl: { coef: 0.1, estimator: 'k3' } } });
    expect(run.learner.critics.size).toBe(0);
    const policy = snapshot(run.learner.policy.trainableVariables);
    const before = tf.memory().numTensors;
    await run.rl.run();
    expect(tf.memory().numTensors - before).toBe(2 * run.learner.policy.trainableVariables.length);
    expect(moved(run.learner.policy.trainableVariables, policy)).toBe(true);
    const values = run.tracker.iterations.get(2) ?? {};
    expect(values.phase).toBe('grpo');
    expect(values['value/loss']).toBeUndefined();
    // KL in the loss, not in the reward: the reward is the task's alone.
    expect(Number(values['kl/mean'])).toBeGreaterThan(0);
    await run.close();
  });

  it('GRPO++ asks the guide for one roll-in per group, continued by every sample of the group', async () => {
    const guide = new ScriptedGuide('c');
    const run = await trainer({ algorithm: { name: 'grpo++', numGenerations: 2, ppoPlusPlusBeta: 1 }, iterations: 1, guide });
    await run.rl.run();
    // 4 samples in 2 groups: 2 roll-ins.
    expect(guide.requests.map((request) => request.inputs.length)).toEqual([2]);
    expect(run.tracker.iterations.get(1)?.['rollout/guide_calls']).toBe(2);
    await run.close();
  });
});
