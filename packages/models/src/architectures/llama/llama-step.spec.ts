import * as tf from '@tensorflow/tfjs-core';
import { registerFusedKernels, wasmStepKernelName } from '../../backend/fused-kernels';
import { setBackend } from '../../backend/set-backend';
import { setThreads } from '../../backend/threads/thread-count';
import { DecodeSession } from '../../generation/decode-session';
import { goldenNetwork, type GoldenFixtureName } from '../__fixtures__/golden-fixtures';

const prompts = [[1, 5, 9, 3], [7], [2, 4, 6, 8, 10, 12]];

/** Logits of the prompt pass and five decoding steps, and the kernels each step ran. */
async function decode(name: GoldenFixtureName, rows: readonly (readonly number[])[]): Promise<{ logits: Float32Array[]; kernelsPerStep: number[] }> {
  const network = goldenNetwork(name);
  const session = new DecodeSession(network, rows, 6, { padTokenId: 0 });
  const logits = [await session.start()];
  const kernelsPerStep: number[] = [];
  for (let step = 0; step < 5; step++) {
    const tokens = rows.map((_, row) => (step * 3 + row * 5 + 1) % network.config.vocabSize);
    const profile = await tf.profile(async () => void logits.push(await session.step(tokens)));
    kernelsPerStep.push(profile.kernels.filter((kernel) => tf.getKernel(kernel.name, 'wasm') !== undefined).length);
  }
  session.dispose();
  network.dispose();
  return { logits, kernelsPerStep };
}

describe('a whole Llama decoding step as one wasm kernel', () => {
  beforeAll(() => setBackend('wasm'));
  afterEach(() => registerFusedKernels('wasm'));

  it.each(['llama-tiny-untied', 'llama-tiny-tied'] as const)('%s: gives the per-layer path’s logits bit for bit, in one kernel per step, leaking nothing', async (name) => {
    const before = tf.memory().numTensors;
    const whole = await decode(name, prompts);
    expect(tf.memory().numTensors).toBe(before);
    tf.unregisterKernel(wasmStepKernelName, 'wasm');
    const layered = await decode(name, prompts);
    expect(whole.logits).toEqual(layered.logits);
    // The whole-step kernel and the session's reshape of the logits to [B, V]; per layer (2 layers), 9 or 10.
    expect(whole.kernelsPerStep).toEqual(new Array(5).fill(2));
    expect(Math.min(...layered.kernelsPerStep)).toBeGreaterThanOrEqual(9);
  });

  it('leaves batches that split their products over threads to the per-layer path', async () => {
    setThreads(2, { minimumRows: 2, minimumWork: 1 });
    try {
      const { kernelsPerStep } = await decode('llama-tiny-untied', prompts);
      expect(kernelsPerStep).toEqual(new Array(5).fill(9));
    } finally {
      setThreads(undefined);
    }
  });
});
