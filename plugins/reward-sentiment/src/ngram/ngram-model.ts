import { hashedNgrams } from './feature-hashing';
import { reviewWords, reviewWordsTokenizer } from './review-words';

/** How texts become features; stored in the checkpoint's config.json. */
export interface NgramFeaturesConfig {
  /** Word tokenizer version (see {@link reviewWordsTokenizer}). */
  readonly tokenizer: typeof reviewWordsTokenizer;
  /** Longest n-gram (2: unigrams and bigrams). */
  readonly ngramMax: number;
  /** Hash buckets: the length of the weight vector. */
  readonly buckets: number;
}

/**
 * A logistic regression over binary hashed n-gram features: P(positive | text) =
 * sigmoid(bias + sum of the weights of the buckets the text's n-grams fall in). Weights are held
 * on the host: scoring touches a few hundred of them per text, which needs no tensor library.
 */
export interface NgramModel {
  readonly features: NgramFeaturesConfig;
  /** One weight per bucket (naive-Bayes scaling already folded in). */
  readonly weights: Float32Array;
  readonly bias: number;
}

export function textFeatures(text: string, config: NgramFeaturesConfig): Int32Array {
  return hashedNgrams(reviewWords(text), config.ngramMax, config.buckets);
}

/** The logit of P(positive) for one feature set, summed in double precision. */
export function ngramLogit(model: NgramModel, features: Int32Array): number {
  let logit = model.bias;
  for (const bucket of features) logit += model.weights[bucket];
  return logit;
}

export function sigmoid(logit: number): number {
  return logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
}

/** P(positive) for each text. */
export function ngramPositiveProbabilities(model: NgramModel, texts: readonly string[]): number[] {
  return texts.map((text) => sigmoid(ngramLogit(model, textFeatures(text, model.features))));
}
