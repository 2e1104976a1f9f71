import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '@rlgf/core';
import { describeOnBackends } from '../backend/__fixtures__/backend-suites';
import { setBackend } from '../backend/set-backend';
import { firstBestTokens, processScores, sampleTokens, suppressTokenScores, temperatureScores, tokenLogProbs, topKScores, topPScores } from './device-sampling';
import { logSumExp, softmax, suppressTokensProcessor, temperatureProcessor, topKProcessor, topPProcessor, samplingProcessors, type LogitsProcessor } from './logits-processors';
import { sampleToken } from './token-choice';

/** Rows of scores with ties, -Infinity entries and a wide range, seeded. */
function scoreRows(): Float32Array[] {
  const rng = Rng.fromSeed(7, 'device-sampling');
  const rows = Array.from({ length: 5 }, () => Float32Array.from({ length: 40 }, () => (rng.nextFloat() - 0.5) * 8));
  rows[1][3] = rows[1][17] = rows[1][29] = 5; // a three-way tie for the best score
  rows[2].fill(-Infinity, 0, 10);
  rows[3][0] = 30; // nearly all mass on one token
  return rows;
}

async function onDevice(rows: Float32Array[], apply: (scores: tf.Tensor2D) => tf.Tensor2D): Promise<Float32Array[]> {
  const input = tf.tensor2d(rows.flatMap((row) => Array.from(row)), [rows.length, rows[0].length]);
  const output = apply(input);
  const values = (await output.data()) as Float32Array;
  tf.dispose([input, output]);
  return rows.map((row, r) => values.slice(r * row.length, (r + 1) * row.length));
}

async function tokensOnDevice(rows: Float32Array[], choose: (scores: tf.Tensor2D) => tf.Tensor1D): Promise<number[]> {
  const input = tf.tensor2d(rows.flatMap((row) => Array.from(row)), [rows.length, rows[0].length]);
  const tokens = choose(input);
  const values = Array.from(await tokens.data());
  tf.dispose([input, tokens]);
  return values;
}

function onHost(rows: Float32Array[], processor: LogitsProcessor): Float32Array[] {
  return rows.map((row) => {
    const scores = Float32Array.from(row);
    processor(scores);
    return scores;
  });
}

const kept = (rows: Float32Array[]) => rows.map((row) => Array.from(row, (score) => score !== -Infinity));

describeOnBackends('token choice on the device (%s) matches the host processors', ['cpu', 'wasm', 'webgpu'], (backend) => {
  beforeAll(() => setBackend(backend));

  it('divides by the temperature', async () => {
    for (const temperature of [0.7, 1.3, 1]) {
      const device = await onDevice(scoreRows(), (s) => temperatureScores(s, temperature));
      onHost(scoreRows(), temperatureProcessor(temperature)).forEach((row, r) => row.forEach((score, i) => expect(device[r][i]).toBeCloseTo(score, 4)));
    }
  });

  it('keeps the k best scores, ties at the k-th kept', async () => {
    for (const k of [1, 2, 5, 0, 40]) {
      expect(kept(await onDevice(scoreRows(), (s) => topKScores(s, k)))).toEqual(kept(onHost(scoreRows(), topKProcessor(k))));
    }
  });

  it('keeps the nucleus: the tokens whose probabilities first reach p', async () => {
    for (const p of [0.05, 0.5, 0.9, 0.999, 1]) {
      expect(kept(await onDevice(scoreRows(), (s) => topPScores(s, p)))).toEqual(kept(onHost(scoreRows(), topPProcessor(p))));
    }
  });

  it('applies temperature, top-k and top-p in that order', async () => {
    const decoding = { strategy: 'sample' as const, temperature: 0.8, topK: 12, topP: 0.7 };
    const host = onHost(scoreRows(), (scores) => samplingProcessors(decoding).forEach((process) => process(scores)));
    expect(kept(await onDevice(scoreRows(), (s) => processScores(s, decoding)))).toEqual(kept(host));
  });

  it('suppresses tokens only in the rows asked', async () => {
    const rowsAsked = tf.tensor1d([1, 0, 1, 0, 0], 'bool');
    const device = await onDevice(scoreRows(), (s) => suppressTokenScores(s, [3, 99, 17], rowsAsked));
    rowsAsked.dispose();
    const host = scoreRows().map((row, r) => {
      if (r === 0 || r === 2) suppressTokensProcessor([3, 99, 17])(row);
      return row;
    });
    expect(kept(device)).toEqual(kept(host));
  });

  it('draws the token whose CDF interval holds the uniform number, as sampleToken', async () => {
    const rows = scoreRows();
    // For each row, a uniform number in the middle of each token's CDF interval (clear of rounding), and one past the total.
    for (let probe = 0; probe < 40; probe++) {
      const uniforms = rows.map((row) => {
        const probabilities = softmax(row);
        let below = 0;
        for (let i = 0; i < probe; i++) below += probabilities[i];
        return probabilities[probe] > 1e-4 ? below + probabilities[probe] / 2 : 0.5;
      });
      const u = tf.tensor1d(uniforms);
      const scores = tf.tensor2d(rows.flatMap((row) => Array.from(row)), [rows.length, rows[0].length]);
      const drawn = sampleTokens(scores, u);
      const device = Array.from(await drawn.data());
      tf.dispose([u, scores, drawn]);
      expect(device).toEqual(rows.map((row, r) => sampleToken(row, { nextFloat: () => uniforms[r] } as Rng)));
    }
    // Rounding can leave the total below u: the last token of non-zero probability, never one of zero.
    const filtered = Float32Array.from([1, 2, 3, -Infinity, -Infinity]);
    const [past] = await onDevice([filtered], (s) => tf.cast(tf.reshape(sampleTokens(s, tf.tensor1d([1])), [1, 1]), 'float32') as tf.Tensor2D);
    expect(past[0]).toBe(2);
  });

  it('draws tokens kept far apart in a wide vocabulary (the last possible token is found by index, not argMax)', async () => {
    const row = new Float32Array(100).fill(-Infinity);
    row[33] = row[96] = 1;
    const u = tf.tensor1d([0.25, 0.75, 1]);
    expect(await tokensOnDevice([row, row, row], (s) => sampleTokens(s, u))).toEqual([33, 96, 96]);
    u.dispose();
  });

  it('picks the first of tied best scores for greedy decoding, as the host argmax', async () => {
    const row = Float32Array.from({ length: 100 }, (_, i) => (i === 5 || i === 70 ? 3 : i / 100));
    expect(await tokensOnDevice([row, Float32Array.from(row).reverse()], firstBestTokens)).toEqual([5, 29]);
  });

  it('takes the greedy limit at temperatures below float32 normals', async () => {
    for (const temperature of [1e-40, 1e-46]) {
      const [limit] = await onDevice([Float32Array.from([2, 5, 1, 5, -Infinity])], (s) => temperatureScores(s, temperature));
      expect(Array.from(limit)).toEqual([-Infinity, 0, -Infinity, 0, -Infinity]);
    }
  });

  it('gives the log-probs of the chosen tokens under the raw logits', async () => {
    const rows = scoreRows();
    const tokens = tf.tensor1d([0, 17, 12, 0, 39], 'int32');
    const logits = tf.tensor2d(rows.flatMap((row) => Array.from(row)), [rows.length, rows[0].length]);
    const logProbs = tokenLogProbs(logits, tokens);
    const values = Array.from(await logProbs.data());
    tf.dispose([tokens, logits, logProbs]);
    [0, 17, 12, 0, 39].forEach((token, r) => expect(values[r]).toBeCloseTo(rows[r][token] - logSumExp(rows[r]), 4));
  });

  it('leaks no tensor', async () => {
    const scores = tf.tensor2d(scoreRows().flatMap((row) => Array.from(row)), [5, 40]);
    const u = tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5]);
    const before = tf.memory().numTensors;
    const processed = processScores(scores, { strategy: 'sample', temperature: 0.5, topK: 7, topP: 0.8 });
    const token = sampleTokens(processed, u);
    const logProb = tokenLogProbs(scores, token);
    expect(tf.memory().numTensors).toBe(before + 3);
    tf.dispose([scores, u, processed, token, logProb]);
    expect(tf.memory().numTensors).toBe(before - 2);
  });
});
