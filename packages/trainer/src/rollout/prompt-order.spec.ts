import { mleReferenceIndex, promptIndices } from './prompt-order';

describe('prompt order', () => {
  it('visits every sample once per epoch, in a different order each epoch', () => {
    const epoch0 = [0, 1].flatMap((iteration) => promptIndices({ seed: 3, iteration, batchSize: 5, datasetSize: 10 }));
    const epoch1 = [2, 3].flatMap((iteration) => promptIndices({ seed: 3, iteration, batchSize: 5, datasetSize: 10 }));
    expect([...epoch0].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect([...epoch1].sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(epoch1).not.toEqual(epoch0);
  });

  it('straddles epochs when the batch does not divide the dataset', () => {
    const batch = promptIndices({ seed: 1, iteration: 1, batchSize: 4, datasetSize: 6 });
    const epoch0 = promptIndices({ seed: 1, iteration: 0, batchSize: 6, datasetSize: 6 });
    expect(batch.slice(0, 2)).toEqual(epoch0.slice(4, 6));
  });

  it('depends only on seed and iteration', () => {
    expect(promptIndices({ seed: 9, iteration: 7, batchSize: 3, datasetSize: 100 })).toEqual(
      promptIndices({ seed: 9, iteration: 7, batchSize: 3, datasetSize: 100 }),
    );
    expect(promptIndices({ seed: 9, iteration: 7, batchSize: 3, datasetSize: 100 })).not.toEqual(
      promptIndices({ seed: 10, iteration: 7, batchSize: 3, datasetSize: 100 }),
    );
  });

  it('chooses MLE references reproducibly and covers all of them', () => {
    const pick = (iteration: number) => mleReferenceIndex({ seed: 0, iteration, sampleId: 'cs-17', referenceCount: 3 });
    expect(pick(4)).toBe(pick(4));
    expect(new Set(Array.from({ length: 60 }, (_, i) => pick(i)))).toEqual(new Set([0, 1, 2]));
    expect(mleReferenceIndex({ seed: 0, iteration: 0, sampleId: 'x', referenceCount: 1 })).toBe(0);
  });
});
