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

  it('counts bias-correction steps per variable: a variable first updated late takes a first step of lr·sign(g)', async () => {
    const before = tf.memory().numTensors;
    const early = tf.tidy(() => tf.variable(tf.tensor1d([1, 1])));
    const late = tf.tidy(() => tf.variable(tf.tensor1d([1, 1])));
    const optimizer = new AdamW({ learningRate: 0.1, weightDecay: 0 });
    const gradient = tf.tensor1d([0.5, -2]);
    for (let step = 0; step < 5; step++) optimizer.applyGradients([early], [gradient]);
    optimizer.applyGradients([early, late], [gradient, gradient]);
    // t = 1 for `late`: m̂ = g, v̂ = g², so the step is lr·g/(|g| + ε) = ±0.1. A shared t = 6 would
    // give lr·(0.1/(1 − 0.9⁶))/√(0.001/(1 − 0.999⁶)) ≈ ±0.052, and ≈ ±0.32 once t is large.
    const moved = Array.from(late.dataSync()).map((x) => 1 - x);
    expect(moved[0]).toBeCloseTo(0.1, 6);
    expect(moved[1]).toBeCloseTo(-0.1, 6);
    const state = await optimizer.exportState([early, late]);
    expect(state.steps).toBe(6);
    expect(state.variableSteps).toEqual([6, 1]);
    const restored = new AdamW({ learningRate: 0.1, weightDecay: 0 });
    const copies = tf.tidy(() => [tf.variable(early.clone()), tf.variable(late.clone())]);
    restored.importState(copies, state);
    optimizer.applyGradients([early, late], [gradient, gradient]);
    restored.applyGradients(copies, [gradient, gradient]);
    expect(Array.from(copies[1].dataSync())).toEqual(Array.from(late.dataSync()));
    expect(Array.from(copies[0].dataSync())).toEqual(Array.from(early.dataSync()));
    optimizer.dispose();
    restored.dispose();
    tf.dispose([early, late, gradient, ...copies]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
