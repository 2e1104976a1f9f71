// Run by kernel-threads.spec.ts in a child Node (with or without --experimental-wasm-relaxed-simd):
// prints which kernel build ran, whether 1 and 2 threads gave the same bits, and the largest
// relative difference from the cpu backend, as one JSON line.
import * as tf from '@tensorflow/tfjs-core';
import { setBackend } from '../../set-backend';
import { kernelBuild } from '../../simd/simd-module';
import { setThreads } from '../thread-count';

async function main(): Promise<void> {
  const a = Float32Array.from({ length: 67 * 131 }, (_, i) => Math.sin(i * 0.37));
  const b = Float32Array.from({ length: 131 * 45 }, (_, i) => Math.cos(i * 0.11));
  const product = async () => {
    const result = tf.tidy(() => tf.matMul(tf.tensor2d(a, [67, 131]), tf.tensor2d(b, [131, 45])));
    const values = (await result.data()) as Float32Array;
    result.dispose();
    return values;
  };
  await setBackend('wasm');
  setThreads(1);
  const one = await product();
  setThreads(2, { minimumWork: 0, minimumRows: 0 });
  const two = await product();
  await setBackend('cpu');
  const cpu = await product();
  let worst = 0;
  cpu.forEach((value, i) => (worst = Math.max(worst, Math.abs(one[i] - value) / Math.max(1, Math.abs(value)))));
  const identical = Buffer.from(one.buffer).equals(Buffer.from(two.buffer));
  process.stdout.write(`${JSON.stringify({ build: kernelBuild(false).build, threadedBuild: kernelBuild(true).build, identical, worst, first: one[0] })}\n`);
  process.exit(0);
}

void main();
