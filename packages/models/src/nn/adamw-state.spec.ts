import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../backend/set-backend';
import { AdamW } from './adamw';

describe.each(['cpu', 'wasm'])('AdamW state on %s', (backend) => {
  beforeAll(async () => {
    await setBackend(backend);
  });

  it('exports and imports moments and step count so training continues identically', async () => {
    const before = tf.memory().numTensors;
    const gradient = tf.tensor2d([[0.5, -1], [2, 0.25]]);
    const original = tf.tidy(() => tf.variable(tf.tensor2d([[1, 2], [3, 4]])));
    const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0.01 });
    optimizer.applyGradients([original], [gradient]);
    const reversed = tf.mul(gradient, -0.5);
    optimizer.applyGradients([original], [reversed]);
    const state = await optimizer.exportState([original]);
    expect(state.steps).toBe(2);

    const restoredVariable = tf.tidy(() => tf.variable(original.clone()));
    const restored = new AdamW({ learningRate: 0.1, weightDecay: 0.01 });
    restored.importState([restoredVariable], state);
    optimizer.applyGradients([original], [gradient]);
    restored.applyGradients([restoredVariable], [gradient]);
    expect(Array.from(restoredVariable.dataSync())).toEqual(Array.from(original.dataSync()));
    expect(restored.stepCount).toBe(3);

    const fresh = new AdamW({ learningRate: 0.1 });
    const untouched = await fresh.exportState([original]);
    expect(Array.from(untouched.first[0].data)).toEqual([0, 0, 0, 0]);
    expect(() => fresh.importState([original, restoredVariable], state)).toThrow(/moments for 2 variables/);

    for (const disposable of [optimizer, restored, fresh]) disposable.dispose();
    tf.dispose([gradient, reversed, original, restoredVariable]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
