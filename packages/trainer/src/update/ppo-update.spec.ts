import { AdamW, Critic, setBackend, type TrainableLanguageModel } from '@rlgf/models';
import { recipeSchema, type Recipe } from '@rlgf/recipe';
import * as tf from '@tensorflow/tfjs-core';
import { id, letterTokenizer, tinyLlama } from '../__fixtures__/tiny-models';
import { aggrevatedPlan, criticWarmupPlan, ppoPlan, type IterationPlan } from '../algorithms/iteration-plan';
import { LocalCritic } from '../critics/local-critic';
import type { TrainingBatch } from '../rollout/training-batch';
import { ppoUpdate } from './ppo-update';

const optimization = (overrides: Partial<Recipe['optimization']> = {}): Recipe['optimization'] => ({
  ...recipeSchema.parse({ task: 't', policy: { model: 'm' } }).optimization,
  minibatchSize: 2,
  epochs: 1,
  learningRate: 0.01,
  weightDecay: 0,
  targetCoef: 0,
  schedule: 'constant',
  ...overrides,
});

/** Two samples of 3 tokens with the given masks; returns 1 everywhere, advantages 1. */
function batch(policyMask: number[][], valueMask: number[][]): TrainingBatch {
  const rows = [
    { promptIds: letterTokenizer.encode('q r'), tokens: [id('a'), id('b'), id('c')] },
    { promptIds: letterTokenizer.encode('s'), tokens: [id('d'), id('e'), id('f')] },
  ];
  const fill = (value: number) => rows.map(() => [value, value, value]);
  return {
    rows,
    width: 3,
    oldLogProbs: fill(-3),
    referenceLogProbs: fill(-3),
    oldValues: fill(0),
    advantages: fill(1),
    returns: fill(1),
    policyMask,
    valueMask,
    references: { rows, mask: fill(1) },
  };
}

const snapshot = (variables: readonly tf.Variable[]) => variables.map((v) => Float32Array.from(v.dataSync()));
const changed = (variables: readonly tf.Variable[], before: Float32Array[]) => variables.map((v, i) => v.dataSync().some((x, j) => x !== before[i][j]));

describe('ppoUpdate', () => {
  beforeAll(async () => {
    await setBackend('wasm');
  });

  const run = async (options: { policy: TrainableLanguageModel; critic: Critic; plan: IterationPlan; batch: TrainingBatch; iteration?: number; totalSteps?: number; optimization?: Recipe['optimization'] }) => {
    const policyOptimizer = new AdamW({ learningRate: 0.01, weightDecay: 0 });
    const criticOptimizer = new AdamW({ learningRate: 0.01, weightDecay: 0 });
    try {
      const critic = new LocalCritic(options.critic, options.critic.shared ? policyOptimizer : criticOptimizer, options.policy);
      return await ppoUpdate(options.batch, { policy: options.policy, critic, policyOptimizer }, {
        plan: options.plan,
        iteration: options.iteration ?? 0,
        seed: 1,
        optimization: options.optimization ?? optimization(),
        totalSteps: options.totalSteps ?? 1,
      });
    } finally {
      policyOptimizer.dispose();
      criticOptimizer.dispose();
    }
  };

  it('trains a shared-trunk critic on AggreVaTeD minibatches that hold only value tokens (k = 0), leaving the policy alone', async () => {
    const policy = tinyLlama(1);
    const critic = new Critic({ trunk: 'shared', trunkFrom: policy });
    const before = tf.memory().numTensors;
    const policyBefore = snapshot(policy.trainableVariables);
    const headBefore = snapshot(critic.head.variables);
    const stats = await run({ policy, critic, plan: aggrevatedPlan(0.8), batch: batch([[0, 0, 0], [0, 0, 0]], [[1, 1, 1], [1, 1, 1]]) });
    expect(changed(critic.head.variables, headBefore)).toEqual([true, true]);
    expect(changed(policy.trainableVariables, policyBefore).some(Boolean)).toBe(false);
    expect(stats['value/loss']).toBeGreaterThan(0);
    expect(stats['policy/loss']).toBeUndefined();
    expect(tf.memory().numTensors).toBe(before);
    critic.dispose();
    policy.dispose();
  });

  it('one combined step trains the policy and a shared-trunk critic when there are policy tokens', async () => {
    const policy = tinyLlama(1);
    const critic = new Critic({ trunk: 'shared', trunkFrom: policy });
    const policyBefore = snapshot(policy.trainableVariables);
    const headBefore = snapshot(critic.head.variables);
    const stats = await run({ policy, critic, plan: ppoPlan, batch: batch([[1, 1, 1], [1, 1, 1]], [[1, 1, 1], [1, 1, 1]]) });
    expect(changed(policy.trainableVariables, policyBefore).every(Boolean)).toBe(true);
    expect(changed(critic.head.variables, headBefore)).toEqual([true, true]);
    expect(stats['update/minibatches']).toBe(1);
    expect(stats['value/loss']).toBeUndefined();
    critic.dispose();
    policy.dispose();
  });

  it('trains a separate critic on a Llama with an untied LM head: every trunk weight but the unused head moves', async () => {
    const policy = tinyLlama(3, { tied: false });
    // A random head, so that the value loss reaches the trunk at the first step.
    const critic = new Critic({ trunk: 'separate', trunkFrom: policy, head: { kind: 'normal', std: 0.5, seed: 1 } });
    const trunk = critic.trunk as TrainableLanguageModel;
    const before = tf.memory().numTensors;
    const policyBefore = snapshot(policy.trainableVariables);
    const trunkBefore = snapshot(trunk.trainableVariables);
    await run({ policy, critic, plan: criticWarmupPlan(0.6), batch: batch([[1, 1, 1], [1, 1, 1]], [[1, 1, 1], [1, 1, 1]]) });
    const lmHead = trunk.trainableVariables.filter((v) => !trunk.hiddenStateVariables?.includes(v));
    expect(lmHead).toHaveLength(1);
    const moved = changed(trunk.trainableVariables, trunkBefore);
    trunk.trainableVariables.forEach((variable, i) => expect([variable.name, moved[i]]).toEqual([variable.name, !lmHead.includes(variable)]));
    expect(changed(policy.trainableVariables, policyBefore).some(Boolean)).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    critic.dispose();
    policy.dispose();
  });

  it("follows the run's position on a linear schedule: a fresh critic optimizer at iteration 3 of 4 steps at a quarter of the peak rate", async () => {
    const policy = tinyLlama(1);
    const critic = new Critic({ trunk: 'shared', trunkFrom: policy });
    await run({
      policy,
      critic,
      plan: criticWarmupPlan(0.6),
      batch: batch([[0, 0, 0], [0, 0, 0]], [[1, 1, 1], [1, 1, 1]]),
      iteration: 3,
      totalSteps: 4,
      optimization: optimization({ schedule: 'linear', learningRate: 0.01 }),
    });
    // Adam's first step moves each weight by lr·g/(|g| + ε): the bias by exactly lr = 0.01·(1 − 3/4).
    expect(critic.head.variables[1].dataSync()[0]).toBeCloseTo(0.0025, 7);
    critic.dispose();
    policy.dispose();
  });

  it('adds β·KL to the policy loss where the plan puts the KL in the loss, averaged as the plan says', async () => {
    const policy = tinyLlama(1);
    const rows = batch([[1, 1, 1], [1, 0, 0]], [[0, 0, 0], [0, 0, 0]]);
    const logProbs = await policy.scoreTokens(rows.rows.map((r) => r.promptIds), rows.rows.map((r) => r.tokens));
    // Zero advantages: the clipped surrogate is 0, so the loss is β·KL alone. Reference log-probs
    // 0.5 below the policy's: k1 = log πθ − log πref = 0.5 on every token, k2 = ½·0.25.
    const zeroAdvantages = { ...rows, oldLogProbs: logProbs, advantages: rows.advantages.map((r) => r.map(() => 0)), referenceLogProbs: logProbs.map((r) => r.map((lp) => lp - 0.5)) };
    const plan = (lossAggregation: 'token' | 'sequence' | 'constant') => ({ ...ppoPlan, critic: undefined, kl: 'loss' as const, lossAggregation });
    const loss = async (aggregation: 'token' | 'sequence' | 'constant', estimator: 'k1' | 'k2') => {
      const optimizerFree = { policy: policy.clone({ trainable: true }) };
      const policyOptimizer = new AdamW({ learningRate: 0.01 });
      const stats = await ppoUpdate(zeroAdvantages, { policy: optimizerFree.policy, policyOptimizer }, {
        plan: plan(aggregation), iteration: 0, seed: 1, optimization: optimization(), totalSteps: 1, klLoss: { coef: 0.2, estimator },
      });
      policyOptimizer.dispose();
      optimizerFree.policy.dispose();
      return stats['policy/loss'];
    };
    expect(await loss('token', 'k1')).toBeCloseTo(0.2 * 0.5, 5);
    expect(await loss('sequence', 'k2')).toBeCloseTo(0.2 * 0.125, 5);
    // Dr. GRPO's constant normaliser: Σ over the 4 masked tokens / (2 rows × 3 tokens).
    expect(await loss('constant', 'k1')).toBeCloseTo((0.2 * 0.5 * 4) / 6, 5);
    policy.dispose();
  });
});
