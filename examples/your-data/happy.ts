// A reward written as a plain function: rlgf calls it with a batch of samples (prompt,
// generation, references, meta) and wants one number per sample. It may be async.
interface Sample {
  readonly generation: string;
}

/** 1 for each "happy" in the generation, at most 3, scaled to 0..1. */
export function happiness(samples: readonly Sample[]): number[] {
  return samples.map((sample) => Math.min(3, sample.generation.toLowerCase().split('happy').length - 1) / 3);
}

/** A metric from the same file: words per generation (the corpus score is the mean). */
export function words(items: readonly { readonly prediction: string }[]): number[] {
  return items.map((item) => item.prediction.split(/\s+/).filter(Boolean).length);
}
