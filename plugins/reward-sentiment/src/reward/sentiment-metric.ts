import type { ComponentFactoryV1, WarningV1 } from '@rlgf/contracts';
import { loadSentimentClassifier } from '../classifier/load-classifier';
import { defaultBatchSize, ignoredOptionWarnings, scoredText, sentimentOptions, type SentimentOptions } from './sentiment-options';

/**
 * The IMDB evaluation score: mean P(positive) over the predictions (with their prompts, as the
 * reward), as TRIL's `learned_reward` metric.
 */
export const sentimentMetricFactory: ComponentFactoryV1<'metric', SentimentOptions> = {
  specificationVersion: 'v1',
  kind: 'metric',
  id: 'sentiment',
  description: 'mean P(positive) of prompt + prediction from a sentiment classifier (as the sentiment reward)',
  optionsSchema: sentimentOptions,
  async create(settings, context) {
    const classifier = await loadSentimentClassifier(settings.model, { hub: context.hub, label: settings.label, batchSize: settings.batchSize ?? defaultBatchSize });
    const ignored = ignoredOptionWarnings(settings, classifier.kind);
    return {
      specificationVersion: 'v1',
      id: 'sentiment',
      reference: `TRIL learned_reward: mean softmax probability of the positive class; ${classifier.description}`,
      higherIsBetter: true,
      async doCompute({ items, perItem, abortSignal }) {
        const warnings: WarningV1[] = [...ignored];
        if (settings.includePrompt && items.some((item) => item.prompt === undefined)) {
          warnings.push({ type: 'missing-prompt', message: 'some items have no prompt: their predictions are scored alone' });
        }
        if (items.length === 0) return { corpus: {}, warnings };
        const scores = await classifier.positiveProbabilities(
          items.map((item) => scoredText(item.prompt, item.prediction, settings.includePrompt)),
          abortSignal,
        );
        const corpus = { sentiment: scores.reduce((sum, score) => sum + score, 0) / scores.length };
        return { corpus, ...(perItem ? { perItem: { sentiment: scores } } : {}), warnings };
      },
      async close() {
        classifier.dispose();
      },
    };
  },
};
