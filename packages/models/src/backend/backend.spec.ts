import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError, InvalidArgumentError } from '@rlgf/contracts';
import { activeBackend, setBackend } from './set-backend';
import { locateWasmDirectory } from './wasm-paths';

describe('setBackend', () => {
  it('runs wasm from the binaries of the installed npm package', async () => {
    const folder = locateWasmDirectory() ?? 'not found';
    expect(existsSync(join(folder, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    await setBackend('wasm');
    expect(activeBackend()).toBe('wasm');
    expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5);
  });

  it('explains how to install tfjs-node when the tensorflow backends are missing', async () => {
    for (const [name, specifier] of [
      ['tensorflow', '@tensorflow/tfjs-node'],
      ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
    ]) {
      const error = await setBackend(name).catch((caught: unknown) => caught);
      expect(BackendError.isInstance(error)).toBe(true);
      expect((error as BackendError).message).toContain(`${specifier} is not installed`);
      expect((error as BackendError).hint).toContain(`npm install ${specifier}`);
    }
  });

  it('rejects unknown backend names', async () => {
    await expect(setBackend('webgpu')).rejects.toThrow(InvalidArgumentError);
  });

  it('gives tf.gather a row-summing gradient on wasm and cpu', async () => {
    const gradientOn = async (backend: string) => {
      await setBackend(backend);
      return tf.tidy(() => {
        const table = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
        const ids = tf.tensor1d([3, 0, 3, 1], 'int32');
        const weights = tf.tensor2d([1, 2, 3, 4, 5, 6, 7, 8], [4, 2]);
        return tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.gather(t, ids), weights)))(table).arraySync();
      });
    };
    const cpu = await gradientOn('cpu');
    expect(cpu).toEqual([[3, 4], [7, 8], [0, 0], [6, 8]]);
    expect(await gradientOn('wasm')).toEqual(cpu);
  });
});
