import type { MetricItemV1, RewardSampleV1 } from '@rlgf/contracts';

/** Batched and async: the share of words of each generation that are "yes". */
export async function yesShare(samples: readonly RewardSampleV1[], settings: Readonly<Record<string, unknown>>): Promise<number[]> {
  const word = typeof settings.word === 'string' ? settings.word : 'yes';
  return samples.map((sample) => {
    const words = sample.generation.split(/\s+/).filter(Boolean);
    return words.length === 0 ? 0 : words.filter((w) => w === word).length / words.length;
  });
}

/** Per sample and sync: 1 when the generation repeats the first reference. */
export function exact(sample: RewardSampleV1): number {
  return sample.generation.trim() === sample.references[0] ? 1 : 0;
}

export function lengthOf(item: MetricItemV1): number {
  return item.prediction.length;
}

export function wrongCount(): number[] {
  return [1];
}

export const notAFunction = 3;
