import * as tf from '@tensorflow/tfjs-core';
import { join } from 'node:path';
import { ModelFormatError } from '@rlgf/contracts';
import { sharedHubMirror } from '@rlgf/testing';
import type { CausalLanguageModel } from '../model/causal-language-model';
import { loadCausalLanguageModel } from '../model/load-language-model';
import { AdamW } from '../nn/adamw';
import { weightOf } from '../architectures/__fixtures__/golden-fixtures';
import { Critic } from './critic';

describe.each(['cpu', 'wasm'] as const)('critic on %s', (backend) => {
  let policy: CausalLanguageModel;
  beforeAll(async () => {
    policy = await loadCausalLanguageModel(join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2'), { backend });
  });
  afterAll(() => policy.dispose());

  it('starts at zero, learns targets, and leaks nothing per step', async () => {
    const critic = new Critic({ trunk: 'separate', trunkFrom: policy });
    const batch = policy.continuationBatch(
      [
        { promptIds: [464], tokens: [2068, 7586, 21831, 11] },
        { promptIds: [15496], tokens: [11, 995, 0] },
      ],
      4,
    );
    // A constant return: reachable by any trunk through the head's bias.
    const targets = tf.fill([2, 4], 0.7);
    expect(tf.tidy(() => critic.continuationValues(batch).arraySync())).toEqual([
      [0, 0, 0, 0],
      [0, 0, 0, 0],
    ]);
    const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0 });
    const step = () => {
      const { value, grads } = tf.variableGrads(() => tf.mean(tf.square(tf.sub(critic.continuationValues(batch), targets))) as tf.Scalar, critic.variables);
      optimizer.applyGradients(critic.variables, critic.variables.map((variable) => grads[variable.name]));
      const loss = value.dataSync()[0];
      tf.dispose([value, grads]);
      return loss;
    };
    const first = step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 11; i++) last = step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first * 0.1);
    // The separate trunk trained; the policy it was copied from did not move.
    expect(weightOf(await critic.getWeights(), 'transformer.ln_f.bias').data).not.toEqual(weightOf(await policy.getWeights(), 'transformer.ln_f.bias').data);
    optimizer.dispose();
    tf.dispose(targets);
    batch.dispose();
    critic.dispose();
  });

  it('on a shared trunk trains only its head, from the policy hidden states', async () => {
    const critic = new Critic({ trunk: 'shared', trunkFrom: policy, head: { kind: 'normal', std: 0.1, seed: 3 } });
    expect(critic.variables).toHaveLength(2);
    const batch = policy.continuationBatch([{ promptIds: [464], tokens: [2068, 7586] }], 2);
    const values = tf.tidy(() => {
      const { hidden } = policy.scoreContinuations(batch);
      return critic.valuesFromHidden(hidden).arraySync();
    });
    expect(tf.tidy(() => critic.continuationValues(batch).arraySync())).toEqual(values);
    const weights = await critic.getWeights();
    expect([...weights.keys()]).toEqual(['v_head.summary.weight', 'v_head.summary.bias']);
    const restored = new Critic({ trunk: 'shared', trunkFrom: policy, head: weights });
    expect(tf.tidy(() => restored.continuationValues(batch).arraySync())).toEqual(values);
    expect(() => new Critic({ trunk: 'shared', trunkFrom: policy, head: new Map() })).toThrow(ModelFormatError);
    batch.dispose();
    critic.dispose();
    restored.dispose();
  });
});
