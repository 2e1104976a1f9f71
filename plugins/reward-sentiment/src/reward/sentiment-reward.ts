import type { ComponentFactoryV1 } from '@rlgf/contracts';
import { loadSentimentClassifier } from '../classifier/load-classifier';
import { defaultBatchSize, ignoredOptionWarnings, scoredText, sentimentOptions, type SentimentOptions } from './sentiment-options';

/**
 * The IMDB reward: P(positive) of the prompt followed by the generation (TRIL's
 * `LearnedRewardFunction` with `include_prompt_for_eval: True`), one terminal score per sample.
 */
export const sentimentRewardFactory: ComponentFactoryV1<'reward', SentimentOptions> = {
  specificationVersion: 'v1',
  kind: 'reward',
  id: 'sentiment',
  description: 'P(positive) of prompt + generation from a sentiment classifier (rlgf train-reward --task imdb, or DistilBERT)',
  optionsSchema: sentimentOptions,
  async create(settings, context) {
    const classifier = await loadSentimentClassifier(settings.model, { hub: context.hub, label: settings.label, batchSize: settings.batchSize ?? defaultBatchSize });
    context.logger.info(`sentiment reward: ${classifier.description}`);
    const warnings = ignoredOptionWarnings(settings, classifier.kind);
    return {
      specificationVersion: 'v1',
      id: 'sentiment',
      granularity: 'terminal',
      async doScore({ samples, abortSignal }) {
        const texts = samples.map((sample) => scoredText(sample.prompt, sample.generation, settings.includePrompt));
        return { scores: await classifier.positiveProbabilities(texts, abortSignal), warnings };
      },
      async close() {
        classifier.dispose();
      },
    };
  },
};
