import * as tf from '@tensorflow/tfjs-core';
import { AdamW, type TrainableLanguageModel } from '@rlgf/models';

/** One measurement: repeated speeds, and what it cost in tensors and device memory. */
export interface Measurement {
  readonly tokensPerSecond: number[];
  /** Live tensors before and after the timed runs (equal when nothing leaks). */
  readonly tensorsBefore: number;
  readonly tensorsAfter: number;
  /** Kernels run by one unit of work (a generated token for batch 1, a whole update). */
  readonly kernels: number;
  /** Bytes of the largest simultaneous tensor allocation during one unit of work (tf.profile). */
  readonly peakTensorBytes: number;
  /** Where the time of one profiled unit of work goes (a whole generation, or one update). */
  readonly timeProfile: TimeProfile;
}

export interface TimeProfile {
  /** Wall time of the profiled work, ms. */
  readonly wallMs: number;
  /** Sum of the kernels' own times, ms; the rest of the wall time is host work (JavaScript, sampling, syncs). */
  readonly kernelMs: number;
  /** The kernels that took the most time in total, with their ms and call counts. */
  readonly topKernels: readonly { readonly name: string; readonly ms: number; readonly calls: number }[];
}

/** Profiles `work` once and sums kernel times by kernel name. */
async function profileWork(work: () => Promise<void>): Promise<{ timeProfile: TimeProfile; peakBytes: number; kernels: number }> {
  const started = performance.now();
  const info = await tf.profile(async () => void (await work()));
  const wallMs = performance.now() - started;
  const byName = new Map<string, { ms: number; calls: number }>();
  // tf.profile also records ops made of other kernels (`fusedMatMul__op`, a custom gradient's
  // `forward`) around the kernels they run: only registered kernels count, or time counts twice.
  const backend = tf.getBackend();
  for (const kernel of info.kernels.filter((entry) => tf.getKernel(entry.name, backend) !== undefined)) {
    const entry = byName.get(kernel.name) ?? { ms: 0, calls: 0 };
    entry.ms += typeof kernel.kernelTimeMs === 'number' ? kernel.kernelTimeMs : 0;
    entry.calls += 1;
    byName.set(kernel.name, entry);
  }
  const ranked = [...byName].map(([name, entry]) => ({ name, ...entry })).sort((a, b) => b.ms - a.ms);
  const kernelMs = ranked.reduce((sum, entry) => sum + entry.ms, 0);
  return { timeProfile: { wallMs, kernelMs, topKernels: ranked.slice(0, 5) }, peakBytes: info.peakBytes, kernels: info.kernels.length };
}

export const promptTokens = 64;
export const newTokens = 48;

/** The prompts every side uses: row r, column j holds (7r + 13j + 1) mod vocab. */
export function benchPrompts(batch: number, vocab: number): number[][] {
  return Array.from({ length: batch }, (_, row) => Array.from({ length: promptTokens }, (_, j) => (row * 7 + j * 13 + 1) % vocab));
}

/** Sampling (temperature 1) of 48 tokens after 64-token prompts, `batch` rows, KV-cached. */
export async function measureGeneration(model: TrainableLanguageModel, batch: number, repeats: number): Promise<Measurement> {
  const request = { promptIds: benchPrompts(batch, model.info.vocabSize), maxNewTokens: newTokens, decoding: { strategy: 'sample' as const }, stopAtEos: false };
  const run = (maxNewTokens: number, seed: number) => model.generate({ ...request, maxNewTokens, seed });
  // Warm-up: the wasm heap grows, kernels are set up and V8 optimises the host code on the first
  // calls: full runs for a second of wall clock (at least two). Two runs alone left batch 1 in V8's
  // baseline tiers: 2,460 tokens/s timed after them, ~4,000 after 20 (stories260K, this machine).
  const warmUntil = performance.now() + 1000;
  for (let runs = 0; runs < 2 || performance.now() < warmUntil; runs++) await run(newTokens, 0);
  const tensorsBefore = tf.memory().numTensors;
  const tokensPerSecond: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    await run(newTokens, i + 1);
    tokensPerSecond.push((batch * newTokens) / ((performance.now() - started) / 1000));
  }
  const tensorsAfter = tf.memory().numTensors;
  // tf.profile returns the same (mutated) record each time: read it before profiling again.
  const prefillKernels = (await tf.profile(async () => void (await run(1, 0)))).kernels.length;
  const two = await tf.profile(async () => void (await run(2, 0)));
  const kernels = two.kernels.length - prefillKernels;
  const peakTensorBytes = two.peakBytes;
  const { timeProfile } = await profileWork(async () => void (await run(newTokens, 0)));
  return { tokensPerSecond, tensorsBefore, tensorsAfter, kernels, peakTensorBytes, timeProfile };
}

/** Token ids, old log-probs and advantages of the update (the PyTorch side builds the same). */
function updateInputs(rows: number, length: number, vocab: number) {
  const ids = Array.from({ length: rows }, (_, r) => Array.from({ length }, (_, j) => (r * 31 + j * 17 + 3) % vocab));
  const old = Array.from({ length: rows }, () => Array.from({ length: length - 1 }, (_, j) => -Math.log(vocab) + (0.01 * j) / length));
  const advantages = Array.from({ length: rows }, (_, r) => Array.from({ length: length - 1 }, (_, j) => Math.sin(r * 0.7 + j * 0.3)));
  return { ids, old: tf.tensor2d(old), advantages: tf.tensor2d(advantages) };
}

/**
 * One PPO update of the policy on `rows` x `length` tokens, through the trainer's path
 * (continuation scores of every token after the first): forward, clipped surrogate (ε 0.2) minus
 * 0.01 x entropy, backward, AdamW step; as the PyTorch side computes it.
 */
export async function measurePpoUpdate(model: TrainableLanguageModel, rows: number, length: number, repeats: number): Promise<Measurement> {
  const { ids, old, advantages } = updateInputs(rows, length, model.info.vocabSize);
  const batch = model.continuationBatch(
    ids.map((row) => ({ promptIds: row.slice(0, 1), tokens: row.slice(1) })),
    length - 1,
  );
  const optimizer = new AdamW({ learningRate: 1e-5 });
  const variables = [...model.trainableVariables];
  const loss = () => {
    const { logProbs, entropies } = model.scoreContinuations(batch);
    const ratio = tf.exp(tf.sub(logProbs, old));
    const surrogate = tf.minimum(tf.mul(ratio, advantages), tf.mul(tf.clipByValue(ratio, 0.8, 1.2), advantages));
    return tf.neg(tf.add(tf.mean(surrogate), tf.mul(tf.mean(entropies), 0.01))) as tf.Scalar;
  };
  const step = () => {
    const { value, grads } = tf.variableGrads(loss, variables);
    optimizer.applyGradients(variables, variables.map((variable) => grads[variable.name]));
    value.dispose();
    tf.dispose(grads);
  };
  step();
  const tensorsBefore = tf.memory().numTensors;
  const tokensPerSecond: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const started = performance.now();
    step();
    await variables[0].data();
    tokensPerSecond.push((rows * length) / ((performance.now() - started) / 1000));
  }
  const tensorsAfter = tf.memory().numTensors;
  const { timeProfile, peakBytes, kernels } = await profileWork(async () => {
    step();
    await variables[0].data();
  });
  optimizer.dispose();
  tf.dispose([old, advantages]);
  batch.dispose();
  return { tokensPerSecond, tensorsBefore, tensorsAfter, kernels, peakTensorBytes: peakBytes, timeProfile };
}
