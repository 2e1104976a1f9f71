import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import { Rng } from '@rlgf/core';
import { goldenNetwork } from '../../architectures/__fixtures__/golden-fixtures';
import { AdamW } from '../../nn/adamw';
import { createSequenceBatch } from '../../scoring/sequence-batch';
import { scoreSequences } from '../../scoring/score-sequences';
import { setBackend } from '../set-backend';
import { kernelBuild } from '../simd/simd-module';
import { kernelThreads } from './kernel-threads';
import { setThreads, threadCount } from './thread-count';
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

/** Runs __fixtures__/fma-products.ts in a child Node with `flags`; returns its JSON line. */
function fmaProducts(flags: string[], env: Record<string, string> = {}) {
  const child = spawnSync(process.execPath, [...flags, '--import', 'tsx', join(__dirname, '__fixtures__/fma-products.ts')], {
    encoding: 'utf8',
    env: { ...process.env, ...env },
    timeout: 120_000,
  });
  const line = child.stdout.split('\n').find((text) => text.startsWith('{'));
  if (line === undefined) throw new Error(`fma-products printed nothing: ${child.stderr}`);
  return JSON.parse(line) as { build: string; threadedBuild: string; identical: boolean; worst: number; first: number };
}

const rng = Rng.fromSeed(19, 'kernel-threads');
const random = (length: number) => Float32Array.from({ length }, () => rng.nextFloat() * 2 - 1);
const bits = (values: Float32Array) => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

describe('wasm kernels on threads', () => {
  beforeAll(() => setBackend('wasm'));
  afterAll(() => setThreads());

  it('counts threads from the machine unless set, and refuses counts that are not positive integers', () => {
    setThreads();
    expect(threadCount()).toBeGreaterThanOrEqual(1);
    setThreads(3);
    expect(threadCount()).toBe(3);
    expect(() => setThreads(0)).toThrow(InvalidArgumentError);
    expect(() => setThreads(1.5)).toThrow(/threads: got 1.5, expected an integer/);
  });

  // [a shape, b shape, transposeA, transposeB]: plain, transposed, batched, broadcast, 1-3 rows
  // (the row-streaming path), sizes off the 4 x 8 tile.
  const products: [number[], number[], boolean, boolean][] = [
    [[37, 29], [29, 45], false, false],
    [[29, 37], [29, 45], true, false],
    [[37, 29], [45, 29], false, true],
    [[6, 9, 17], [6, 17, 11], false, false],
    [[6, 17, 9], [17, 11], true, false],
    [[3, 64], [64, 70], false, false],
    [[5, 2, 33], [5, 33, 9], false, false],
  ];

  it.each(products)('gives the same bits with 1, 2 and 3 threads, close to the cpu backend: %j · %j', async (aShape, bShape, transposeA, transposeB) => {
    const a = random(tf.util.sizeFromShape(aShape));
    const b = random(tf.util.sizeFromShape(bShape));
    const product = async () => {
      const result = tf.tidy(() => tf.matMul(tf.tensor(a, aShape), tf.tensor(b, bShape), transposeA, transposeB));
      const values = (await result.data()) as Float32Array;
      result.dispose();
      return values;
    };
    const before = tf.memory().numTensors;
    setThreads(1);
    const one = await product();
    setThreads(2, { minimumWork: 0, minimumRows: 0 });
    const two = await product();
    setThreads(3, { minimumWork: 0, minimumRows: 0 });
    const three = await product();
    // Back to 2: the 3-thread pool stays and splits the product into 2 parts.
    setThreads(2, { minimumWork: 0, minimumRows: 0 });
    const twoOnThree = await product();
    expect(tf.memory().numTensors).toBe(before);
    expect(bits(two).equals(bits(one))).toBe(true);
    expect(bits(three).equals(bits(one))).toBe(true);
    expect(bits(twoOnThree).equals(bits(one))).toBe(true);
    await setBackend('cpu');
    const cpu = await product();
    await setBackend('wasm');
    cpu.forEach((value, i) => expect(one[i]).toBeCloseTo(value, 5));
  });

  it('keeps one pool while the count shrinks (an update beside a critic thread) and grows it only for more threads', () => {
    const three = kernelThreads(3);
    expect(kernelThreads(2)).toBe(three);
    expect(kernelThreads(3)).toBe(three);
    expect(() => three.batchMatMul(0, 0, 0, 1, 1, 1, 1, 1, 0, 0, 4)).toThrow('a product split into 4 parts on 3 kernel threads');
  });

  it('trains to identical weights with 1 and 2 threads', async () => {
    const train = async (threads: number) => {
      setThreads(threads, { minimumWork: 0, minimumRows: 0 });
      const network = goldenNetwork('llama-tiny-untied', true);
      const batch = createSequenceBatch([
        [3, 1, 4, 1, 5, 9, 2, 6],
        [2, 7, 1, 8, 2, 8, 1, 8],
      ]);
      const optimizer = new AdamW({ learningRate: 0.01, weightDecay: 0.01 });
      for (let step = 0; step < 2; step++) {
        const { value, grads } = tf.variableGrads(() => tf.neg(tf.mean(scoreSequences(network, batch).logProbs)) as tf.Scalar, network.variables as tf.Variable[]);
        optimizer.applyGradients(network.variables, network.variables.map((variable) => grads[variable.name]));
        value.dispose();
        tf.dispose(grads);
      }
      const weights = await Promise.all(network.variables.map(async (variable) => bits((await variable.data()) as Float32Array)));
      optimizer.dispose();
      batch.dispose();
      network.dispose();
      return weights;
    };
    const before = tf.memory().numTensors;
    const one = await train(1);
    const two = await train(2);
    expect(tf.memory().numTensors).toBe(before);
    expect(two).toHaveLength(one.length);
    two.forEach((weights, i) => expect(weights.equals(one[i])).toBe(true));
  });

  it('multiplies with fused multiply-add where the runtime has relaxed SIMD, bit-identically over threads, else with the plain build', () => {
    const major = Number(process.versions.node.split('.')[0]);
    // This process: relaxed SIMD from Node 22 on (V8 11.4+), not in Node 20 without the flag.
    if (major < 22 && !process.execArgv.includes('--experimental-wasm-relaxed-simd')) expect(kernelBuild(false).build).toBe('simd');
    if (major >= 22) expect(kernelBuild(false).build).toBe('relaxed-simd');
    // Node 20 needs the flag; later Nodes have relaxed SIMD on and may not know the flag.
    const flags = major < 22 ? ['--experimental-wasm-relaxed-simd'] : [];
    const fused = fmaProducts(flags);
    expect(fused).toMatchObject({ build: 'relaxed-simd', threadedBuild: 'relaxed-simd', identical: true });
    expect(fused.worst).toBeLessThan(1e-5);
    const plain = fmaProducts(flags, { RLGF_WASM_FMA: 'off' });
    expect(plain).toMatchObject({ build: 'simd', threadedBuild: 'simd', identical: true });
    expect(plain.worst).toBeLessThan(1e-5);
  });
});
