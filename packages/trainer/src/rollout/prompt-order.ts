import { Rng } from '@rlgf/core';

/**
 * Which training samples iteration `iteration` uses: the dataset is walked in epochs, each epoch
 * a fresh permutation drawn from its own seeded stream. A pure function of (seed, iteration), so
 * a resumed run draws the same prompts as an uninterrupted one.
 */
export function promptIndices(options: { seed: number; iteration: number; batchSize: number; datasetSize: number }): number[] {
  const { seed, iteration, batchSize, datasetSize } = options;
  const permutations = new Map<number, number[]>();
  const permutation = (epoch: number) => {
    let order = permutations.get(epoch);
    if (!order) {
      order = Rng.fromSeed(seed, 'prompt-order', epoch).shuffle(Array.from({ length: datasetSize }, (_, i) => i));
      permutations.set(epoch, order);
    }
    return order;
  };
  return Array.from({ length: batchSize }, (_, b) => {
    const position = iteration * batchSize + b;
    return permutation(Math.floor(position / datasetSize))[position % datasetSize];
  });
}

/**
 * The reference continuation used for the auxiliary MLE loss of a prompt with several references
 * (CommonGen), drawn from a stream seeded by the run seed, the iteration and the sample id. The
 * authors' code draws it from an unseeded generator.
 */
export function mleReferenceIndex(options: { seed: number; iteration: number; sampleId: string; referenceCount: number }): number {
  if (options.referenceCount <= 1) return 0;
  return Rng.fromSeed(options.seed, 'mle-reference', options.iteration, options.sampleId).nextInt(options.referenceCount);
}
