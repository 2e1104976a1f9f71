/** A loaded sentiment classifier: P(positive) for texts. */
export interface SentimentClassifier {
  /** Which checkpoint kind it came from. */
  readonly kind: 'ngram' | 'distilbert';
  /** What the checkpoint is, for metric references and logs. */
  readonly description: string;
  positiveProbabilities(texts: readonly string[], abortSignal?: AbortSignal): Promise<number[]>;
  dispose(): void;
}
