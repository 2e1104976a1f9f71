import { AdamW, setBackend, type TrainableLanguageModel } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import { constantCritic, letterCountReward, letterTokenizer, rolloutSample, tinyLlama } from '../__fixtures__/tiny-models';
import { aggrevatedPlan, ppoPlusPlusPlan, type IterationPlan } from '../algorithms/iteration-plan';
import { LocalCritic } from '../critics/local-critic';
import type { RolloutSample } from './rollout-sample';
import { scoreRollout, type ScoringSettings } from './score-rollout';

const settings = (plan: IterationPlan, overrides: Partial<ScoringSettings> = {}): ScoringSettings => ({
  plan,
  iteration: 0,
  generationLength: 4,
  klCoef: 0.1,
  klEstimator: 'k1',
  klInReward: true,
  gamma: 1,
  lambda: 1,
  whitenAdvantages: false,
  chunkRows: 8,
  referenceIndex: () => 0,
  ...overrides,
});

describe('scoreRollout', () => {
  let policy: TrainableLanguageModel;
  let reference: TrainableLanguageModel;
  // AggreVaTeD: the learner wrote 2 tokens, then the guide; and a k = 0 sample the guide wrote alone.
  const mixed = rolloutSample(0, ['a', 'b', 'c', 'd'], ['policy', 'policy', 'guide', 'guide'], 2);
  const guideOnly = rolloutSample(1, ['c', 'c'], ['guide', 'guide'], 0);
  /** log πθ − log πref of each token, computed through the models' plain scoring API. */
  let logRatios: number[][];

  beforeAll(async () => {
    await setBackend('wasm');
    policy = tinyLlama(1);
    reference = tinyLlama(2);
    const rows = [mixed, guideOnly];
    const policyLogProbs = await policy.scoreTokens(rows.map((s) => s.promptIds), rows.map((s) => s.tokens));
    const referenceLogProbs = await reference.scoreTokens(rows.map((s) => s.promptIds), rows.map((s) => s.tokens));
    logRatios = policyLogProbs.map((row, i) => row.map((lp, t) => lp - referenceLogProbs[i][t]));
  });
  afterAll(() => {
    policy.dispose();
    reference.dispose();
  });

  const score = (samples: readonly RolloutSample[], plan: IterationPlan, overrides: Partial<ScoringSettings> = {}, criticBias = 0.5) => {
    const critic = constantCritic(policy, criticBias);
    const optimizer = new AdamW({ learningRate: 0 }); // scoring never steps it
    return scoreRollout(samples, { policy, reference, critic: new LocalCritic(critic, optimizer, policy), rewards: [{ reward: letterCountReward('c'), weight: 1 }], tokenizer: letterTokenizer }, settings(plan, overrides)).finally(() => {
      critic.dispose();
      optimizer.dispose();
    });
  };

  it("puts the KL penalty on the policy's tokens only and logs the guide's log-ratio apart", async () => {
    const before = tf.memory().numTensors;
    const scored = await score([mixed, guideOnly], aggrevatedPlan(0.8));
    const [kl0, kl1] = logRatios[0];
    // r_t = −0.1·kl_t on policy tokens, nothing on guide tokens, the score (one "c") on the last token.
    const expected = [-0.1 * kl0, -0.1 * kl1, 0, 1];
    scored.tokenRewards[0].forEach((reward, t) => expect(reward).toBeCloseTo(expected[t], 5));
    expect(scored.tokenRewards[1]).toEqual([0, 2, 0, 0]);
    // kl/mean is the policy's KL per sequence, over the samples the policy wrote in (only the first).
    expect(scored.stats['kl/mean']).toBeCloseTo(kl0 + kl1, 5);
    expect(scored.stats['kl/samples']).toBe(1);
    const guideRatio0 = logRatios[0][2] + logRatios[0][3];
    const guideRatio1 = logRatios[1][0] + logRatios[1][1];
    expect(scored.stats['kl/guide_log_ratio']).toBeCloseTo((guideRatio0 + guideRatio1) / 2, 5);
    // The guide-only sample's reward is not reported as the policy's.
    expect(scored.stats['reward/mean']).toBe(1);
    expect(scored.stats['reward/guide_only_mean']).toBe(2);
    expect(scored.stats['rollout/guide_only_samples']).toBe(1);
    expect(scored.stats['rollout/guide_token_share']).toBeCloseTo(4 / 6, 12);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('computes GAE with the critic it is given, and AggreVaTeD loss masks by writer', async () => {
    const scored = await score([mixed, guideOnly], aggrevatedPlan(0.8), {}, 0.5);
    const rewards = scored.tokenRewards[0];
    // γ = λ = 1: A_t = Σ_{t' ≥ t} r_t' − V(s_t), with V = 0.5 from the critic passed in.
    const tail = (t: number) => rewards.slice(t).reduce((a, b) => a + b, 0);
    scored.batch.advantages[0].forEach((advantage, t) => expect(advantage).toBeCloseTo(tail(t) - 0.5, 5));
    scored.batch.returns[0].forEach((ret, t) => expect(ret).toBeCloseTo(tail(t), 5));
    expect(scored.batch.oldValues[0].map((v) => Number(v.toFixed(6)))).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(scored.batch.advantages[1].map((a) => Number(a.toFixed(6)))).toEqual([1.5, 1.5, 0, 0]);
    expect(scored.batch.policyMask).toEqual([[1, 1, 0, 0], [0, 0, 0, 0]]);
    expect(scored.batch.valueMask).toEqual([[0, 0, 1, 1], [1, 1, 0, 0]]);
    expect(scored.stats['value/mean']).toBeCloseTo(0.5, 6);
    const otherCritic = await score([mixed], aggrevatedPlan(0.8), {}, -2);
    expect(otherCritic.batch.advantages[0][3]).toBeCloseTo(1 + 2, 5);
  });

  it('drops the KL term from the reward with kl.inGuidedReward: false', async () => {
    const scored = await score([mixed], aggrevatedPlan(0.8), { klInReward: false });
    expect(scored.tokenRewards[0]).toEqual([0, 0, 0, 1]);
    // Still measured and reported.
    expect(scored.stats['kl/mean']).toBeCloseTo(logRatios[0][0] + logRatios[0][1], 5);
  });

  it("AggreVaTeD's guide-q advantage: one-step δ_t on the learner's prefix, GAE over the guide's roll-out", async () => {
    const gaeScored = await score([mixed], aggrevatedPlan(0.8, 'gae'), { gamma: 0.9, lambda: 0.8 });
    const scored = await score([mixed], aggrevatedPlan(0.8, 'guide-q'), { gamma: 0.9, lambda: 0.8 });
    const r = scored.tokenRewards[0];
    const V = 0.5;
    // Guide tokens t ≥ 2: GAE(0.9, 0.8) over t = 2, 3 only; δ3 = 1 − V, δ2 = 0 + 0.9·V − V.
    const a3 = 1 - V;
    const a2 = 0.9 * V - V + 0.9 * 0.8 * a3;
    // Learner tokens: δ_t = r_t + γ V(s_{t+1}) − V(s_t), no trace through the learner's own later tokens.
    const expected = [r[0] + 0.9 * V - V, r[1] + 0.9 * V - V, a2, a3];
    scored.batch.advantages[0].forEach((advantage, t) => expect(advantage).toBeCloseTo(expected[t], 5));
    // TRIL's GAE over the mixed sequence runs the trace into the learner's prefix.
    expect(gaeScored.batch.advantages[0][1]).toBeCloseTo(r[1] + 0.9 * V - V + 0.72 * a2, 5);
    expect(gaeScored.batch.advantages[0].slice(2)).toEqual(scored.batch.advantages[0].slice(2));
  });

  it("PPO++ trains the policy's tokens after the guide's prefix, and its KL covers those tokens", async () => {
    const rolledIn = rolloutSample(2, ['a', 'b', 'c', 'd'], ['guide', 'policy', 'policy', 'policy'], 1);
    const scored = await score([rolledIn], ppoPlusPlusPlan(0.6));
    expect(scored.batch.policyMask).toEqual([[0, 1, 1, 1]]);
    expect(scored.batch.valueMask).toEqual([[0, 1, 1, 1]]);
    expect(scored.tokenRewards[0][0]).toBe(0);
    expect(scored.stats['kl/mean']).toBeCloseTo(logRatios[0].slice(1).reduce((a, b) => a + b, 0), 5);
  });
});
