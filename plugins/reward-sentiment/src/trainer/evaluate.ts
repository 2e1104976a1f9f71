import type { LabelledFeatures } from '../ngram/train-ngram';
import { ngramLogit, type NgramModel } from '../ngram/ngram-model';

/** Accuracy (threshold 0.5) and mean log loss (nats) of the model on labelled reviews. */
export function evaluateNgramModel(model: NgramModel, examples: readonly LabelledFeatures[]): { accuracy: number; logLoss: number } {
  let correct = 0;
  let loss = 0;
  for (const example of examples) {
    const logit = ngramLogit(model, example.features);
    if ((logit > 0 ? 1 : 0) === example.label) correct += 1;
    // -log sigmoid(±logit), stable for large |logit|.
    const margin = example.label === 1 ? logit : -logit;
    loss += margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin));
  }
  return { accuracy: correct / examples.length, logLoss: loss / examples.length };
}
