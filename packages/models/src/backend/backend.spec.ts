import * as tf from '@tensorflow/tfjs-core';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { BackendError, InvalidArgumentError } from '@rlgf/contracts';
import { activeBackend, setBackend } from './set-backend';
import { locateWasmDirectory } from './wasm-paths';
import { webGpuAdapter } from './__fixtures__/backend-suites';

function canResolve(specifier: string): boolean {
  try {
    require.resolve(specifier);
    return true;
  } catch {
    return false;
  }
}

describe('setBackend', () => {
  it('runs wasm from the binaries of the installed npm package', async () => {
    const folder = locateWasmDirectory() ?? 'not found';
    expect(existsSync(join(folder, 'tfjs-backend-wasm-simd.wasm'))).toBe(true);
    await setBackend('wasm');
    expect(activeBackend()).toBe('wasm');
    expect(tf.tidy(() => tf.add(tf.scalar(2), tf.scalar(3)).dataSync()[0])).toBe(5);
  });

  for (const [name, specifier] of [
    ['tensorflow', '@tensorflow/tfjs-node'],
    ['tensorflow-gpu', '@tensorflow/tfjs-node-gpu'],
  ] as const) {
    const installed = canResolve(specifier);
    // Skip by capability: where tfjs-node is installed there is nothing to explain.
    (installed ? it.skip : it)(`explains how to install ${specifier} when ${name} is missing${installed ? ' (skipped: it is installed)' : ''}`, async () => {
      const error = await setBackend(name).catch((caught: unknown) => caught);
      expect(BackendError.isInstance(error)).toBe(true);
      expect((error as BackendError).message).toContain(`${specifier} is not installed`);
      expect((error as BackendError).hint).toContain(`npm install ${specifier}`);
    });
  }

  const webgpu = webGpuAdapter();
  if ('adapter' in webgpu) {
    it(`runs webgpu on Dawn (adapter: ${webgpu.adapter}) with the products of cpu`, async () => {
      const product = async (backend: string) => {
        await setBackend(backend);
        const a = Float32Array.from({ length: 64 * 48 }, (_, i) => Math.sin(i));
        const b = Float32Array.from({ length: 48 * 40 }, (_, i) => Math.cos(3 * i));
        const product = tf.tidy(() => tf.matMul(tf.tensor2d(a, [64, 48]), tf.tensor2d(b, [48, 40])));
        const values = await product.data();
        product.dispose();
        return values;
      };
      const cpu = await product('cpu');
      const gpu = await product('webgpu');
      expect(activeBackend()).toBe('webgpu');
      // The GPU sums in another order.
      gpu.forEach((value, i) => expect(Math.abs(value - cpu[i])).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(cpu[i]))));
    });
  } else {
    it(`refuses webgpu in one line saying how to get an adapter (${webgpu.reason})`, async () => {
      const error = await setBackend('webgpu').catch((caught: unknown) => caught);
      expect(BackendError.isInstance(error)).toBe(true);
      expect((error as BackendError).message).not.toContain('\n');
      expect((error as BackendError).hint).toContain('install-webgpu-driver.sh');
    });
  }

  it('rejects unknown backend names', async () => {
    await expect(setBackend('webgl')).rejects.toThrow(InvalidArgumentError);
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
