import * as tf from '@tensorflow/tfjs-core';
import { setBackend, type Checkpoint } from '@rlgf/models';
import { storiesCheckpoint, tinyLlamaRewardModel } from '../__fixtures__/tiny-reward-models';
import { meanPairLoss, pairwiseAccuracy } from './bradley-terry';
import { fitRewardModel, scorePairs } from './fit-reward-model';
import type { PairTexts } from './preference-pairs';

/** Preferences a model can learn: the summary ending in `liked` beats the one ending in `disliked`, or the reverse. */
function pairs(from: number, count: number, preferred: 'liked' | 'disliked'): PairTexts[] {
  return Array.from({ length: count }, (_, i) => {
    const prompt = `TITLE: post ${from + i}\nTL;DR:`;
    const other = preferred === 'liked' ? 'disliked' : 'liked';
    return { post: `p${from + i}`, chosen: `${prompt} I ${preferred} it`, rejected: `${prompt} I ${other} it` };
  });
}

let stories: Checkpoint;
beforeAll(async () => {
  stories = await storiesCheckpoint();
});

describe('fitRewardModel on wasm', () => {
  beforeAll(() => setBackend('wasm'));
  const settings = { epochs: 2, batchSize: 4, learningRate: 0.02, weightDecay: 0, maxGradNorm: 1, seed: 7 };

  it('learns held-out preferences either way round from the same start, without leaking tensors', async () => {
    for (const preferred of ['liked', 'disliked'] as const) {
      const model = tinyLlamaRewardModel(stories, { seed: 11, trainable: true });
      try {
        const before = tf.memory().numTensors;
        const losses: number[] = [];
        const epochs: number[] = [];
        const fit = await fitRewardModel(model, pairs(0, 8, preferred), settings, { onStep: (_, __, loss) => losses.push(loss), onEpoch: async (epoch) => void epochs.push(epoch) });
        expect(tf.memory().numTensors).toBe(before);
        expect(fit.steps).toBe(4);
        expect(epochs).toEqual([1, 2]);
        expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
        const heldOut = await scorePairs(model, pairs(100, 8, preferred), { batchSize: 8 });
        expect(pairwiseAccuracy(heldOut.chosen, heldOut.rejected)).toBe(1);
      } finally {
        model.dispose();
      }
    }
  });
});

// The cpu backend trains ~10x slower than wasm: one step there, checked against the loss it lowers.
describe('fitRewardModel on cpu', () => {
  beforeAll(() => setBackend('cpu'));

  it('takes a Bradley-Terry step that lowers the loss of its batch, without leaking tensors', async () => {
    const model = tinyLlamaRewardModel(stories, { seed: 11, trainable: true });
    try {
      const batch = pairs(0, 4, 'disliked');
      const lossOf = async () => {
        const scores = await scorePairs(model, batch, { batchSize: 8 });
        return meanPairLoss(scores.chosen, scores.rejected);
      };
      const initial = await lossOf();
      const before = tf.memory().numTensors;
      const losses: number[] = [];
      await fitRewardModel(model, batch, { epochs: 1, batchSize: 4, learningRate: 0.02, weightDecay: 0, maxGradNorm: 1, seed: 7 }, { onStep: (_, __, loss) => losses.push(loss) });
      expect(tf.memory().numTensors).toBe(before);
      expect(losses[0]).toBeCloseTo(initial, 4);
      expect(await lossOf()).toBeLessThan(initial);
    } finally {
      model.dispose();
    }
  });
});

describe('fitRewardModel seeds', () => {
  beforeAll(() => setBackend('wasm'));
  const settings = { epochs: 1, batchSize: 4, learningRate: 0.02, weightDecay: 0, maxGradNorm: 1 };

  async function losses(seed: number): Promise<number[]> {
    const model = tinyLlamaRewardModel(stories, { seed: 11, trainable: true });
    const values: number[] = [];
    await fitRewardModel(model, [...pairs(0, 6, 'liked'), ...pairs(6, 6, 'disliked')], { ...settings, seed }, { onStep: (_, __, loss) => values.push(loss) });
    model.dispose();
    return values;
  }

  it('repeats a run exactly with the same seed and orders pairs differently with another', async () => {
    const first = await losses(1);
    expect(await losses(1)).toEqual(first);
    expect(await losses(2)).not.toEqual(first);
  });
});
