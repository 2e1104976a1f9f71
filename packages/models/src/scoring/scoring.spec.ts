import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import { goldenNetwork, readGoldenFixture } from '../architectures/__fixtures__/golden-fixtures';
import { describeOnBackends } from '../backend/__fixtures__/backend-suites';
import { setBackend } from '../backend/set-backend';
import { AdamW } from '../nn/adamw';
import { scoreSequences } from './score-sequences';
import { scoreTokens } from './score-tokens';
import { createSequenceBatch } from './sequence-batch';
import { tokenLogProbs } from './token-log-probs';

function logSoftmaxRow(row: number[]): number[] {
  const max = Math.max(...row);
  const total = Math.log(row.reduce((sum, x) => sum + Math.exp(x - max), 0)) + max;
  return row.map((x) => x - total);
}

/** Reads a scalar tensor (asynchronously: webgpu has no synchronous read under Node) and frees it. */
async function readScalar(tensor: tf.Tensor): Promise<number> {
  const value = (await tensor.data())[0];
  tensor.dispose();
  return value;
}

describeOnBackends('scoring on %s', ['cpu', 'wasm', 'webgpu'], (backend) => {
  beforeAll(() => setBackend(backend));

  it('scores targets with the PyTorch reference log-probs', async () => {
    const fixture = readGoldenFixture('gpt2-tiny');
    const network = goldenNetwork('gpt2-tiny');
    const ids = fixture.inputIds[0];
    const before = tf.memory().numTensors;
    const [scores] = await scoreTokens(network, [ids.slice(0, 3)], [ids.slice(3)], 0);
    expect(tf.memory().numTensors).toBe(before);
    const expected = ids.slice(3).map((token, j) => logSoftmaxRow(fixture.logits[0][2 + j])[token]);
    scores.forEach((score, j) => expect(score).toBeCloseTo(expected[j], 4));
    network.dispose();
  });

  it('gives entropies and masked log-probs with gradients, leaking nothing', async () => {
    const network = goldenNetwork('llama-tiny-tied', true);
    const batch = createSequenceBatch(
      [
        [0, 0, 1, 5, 9, 3],
        [1, 7, 7, 2, 4, 6],
      ],
      [
        [0, 0, 1, 1, 1, 1],
        [1, 1, 1, 1, 1, 1],
      ],
    );
    const before = tf.memory().numTensors;
    const { value, grads } = tf.variableGrads(() => {
      const { logProbs, entropies } = scoreSequences(network, batch);
      const masked = tf.mul(tf.add(logProbs, tf.mul(entropies, 0.01)), batch.targetMask);
      return tf.div(tf.sum(masked), tf.sum(batch.targetMask)) as tf.Scalar;
    }, network.variables as tf.Variable[]);
    expect(Object.keys(grads)).toHaveLength(network.variables.length);
    for (const gradient of Object.values(grads)) expect(Number.isFinite(await readScalar(tf.tidy(() => tf.sum(tf.abs(gradient)))))).toBe(true);
    // Finite difference on one entry of the tied embedding / head matrix.
    const head = network.variables[0];
    const analytic = (await grads[head.name].data())[5];
    const objective = () =>
      readScalar(
        tf.tidy(() => {
          const { logProbs, entropies } = scoreSequences(network, batch);
          const masked = tf.mul(tf.add(logProbs, tf.mul(entropies, 0.01)), batch.targetMask);
          return tf.div(tf.sum(masked), tf.sum(batch.targetMask));
        }),
      );
    const original = (await head.data()).slice();
    const nudge = (delta: number) => {
      const changed = original.slice();
      changed[5] += delta;
      tf.tidy(() => head.assign(tf.tensor(changed, head.shape)));
    };
    nudge(1e-2);
    const up = await objective();
    nudge(-1e-2);
    const down = await objective();
    nudge(0);
    expect(analytic).toBeCloseTo((up - down) / 2e-2, 2);
    value.dispose();
    for (const gradient of Object.values(grads)) gradient.dispose();
    expect(tf.memory().numTensors).toBe(before);
    batch.dispose();
    network.dispose();
  });

  it('trains: AdamW steps raise the likelihood of a sequence without leaking', async () => {
    const network = goldenNetwork('gpt2-tiny', true);
    const batch = createSequenceBatch([[3, 1, 4, 1, 5, 9, 2, 6]]);
    const optimizer = new AdamW({ learningRate: 0.01, weightDecay: 0.01 });
    const loss = () => tf.neg(tf.mean(scoreSequences(network, batch).logProbs)) as tf.Scalar;
    const step = async () => {
      const { value, grads } = tf.variableGrads(loss, network.variables as tf.Variable[]);
      optimizer.applyGradients(network.variables, network.variables.map((variable) => grads[variable.name]));
      tf.dispose(grads);
      return readScalar(value);
    };
    const first = await step();
    const before = tf.memory().numTensors;
    let last = first;
    for (let i = 0; i < 5; i++) last = await step();
    expect(tf.memory().numTensors).toBe(before);
    expect(last).toBeLessThan(first - 0.1);
    optimizer.dispose();
    batch.dispose();
    network.dispose();
  });

  it('differentiates log-probs and entropies like autodiff through logSoftmax', async () => {
    const logits = tf.tensor3d([0.3, -1.2, 2, 0.5, 1.1, 0.4, -0.7, 0, 0.9, -2, 1.5, 0.25], [1, 3, 4]);
    const targets = tf.tensor2d([[2, 0, 3]], [1, 3], 'int32');
    const weights = tf.tensor2d([[0.5, -1, 2]]);
    const objective = (logProbs: tf.Tensor, entropies: tf.Tensor) => tf.sum(tf.mul(tf.add(logProbs, tf.mul(entropies, 0.3)), weights)) as tf.Scalar;
    const fused = tf.grad((x: tf.Tensor) => {
      const { logProbs, entropies } = tokenLogProbs(x as tf.Tensor3D, targets);
      return objective(logProbs, entropies);
    })(logits);
    const reference = tf.grad((x: tf.Tensor) => {
      const logDistribution = tf.logSoftmax(x);
      const logProbs = tf.sum(tf.mul(tf.oneHot(targets, 4), logDistribution), -1);
      const entropies = tf.neg(tf.sum(tf.mul(tf.exp(logDistribution), logDistribution), -1));
      return objective(logProbs, entropies);
    })(logits);
    const expected = (await reference.array()) as number[][][];
    ((await fused.array()) as number[][][])[0].forEach((row, t) => row.forEach((value, v) => expect(value).toBeCloseTo(expected[0][t][v], 5)));
    tf.dispose([logits, targets, weights, fused, reference]);
  });

  it('rejects ragged batches', () => {
    expect(() => createSequenceBatch([[1, 2, 3], [1, 2]])).toThrow(InvalidArgumentError);
  });
});

describe('AdamW', () => {
  beforeAll(() => setBackend('cpu'));

  it('follows torch.optim.AdamW on a hand-computed example', () => {
    const weight = tf.variable(tf.tensor1d([1, -2]));
    const optimizer = new AdamW({ learningRate: 0.1, beta1: 0.9, beta2: 0.999, epsilon: 1e-8, weightDecay: 0.5 });
    const gradient = tf.tensor1d([0.2, -0.4]);
    optimizer.applyGradients([weight], [gradient]);
    // Step 1: w·(1 − lr·wd) − lr·m̂/(√v̂ + ε) with m̂ = g, v̂ = g², so the Adam part is lr·sign(g).
    const [a, b] = weight.dataSync();
    expect(a).toBeCloseTo(1 * 0.95 - 0.1, 5);
    expect(b).toBeCloseTo(-2 * 0.95 + 0.1, 5);
    optimizer.applyGradients([weight], [gradient]);
    // Step 2: constant gradients keep m̂ = g and v̂ = g².
    expect(weight.dataSync()[0]).toBeCloseTo((1 * 0.95 - 0.1) * 0.95 - 0.1, 5);
    expect(optimizer.stepCount).toBe(2);
    optimizer.dispose();
    tf.dispose([weight, gradient]);
  });
});
