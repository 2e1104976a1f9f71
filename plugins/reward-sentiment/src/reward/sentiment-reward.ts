import type { ComponentFactoryV1 } from '@rlgf/contracts';
import { loadSentimentClassifier } from '../classifier/load-classifier';
import { ignoredOptionWarnings, parseSentimentOptions, scoredText, sentimentOptionHelp } from './sentiment-options';

/**
 * The IMDB reward: P(positive) of the prompt followed by the generation (TRIL's
 * `LearnedRewardFunction` with `include_prompt_for_eval: True`), one terminal score per sample.
 */
export const sentimentRewardFactory: ComponentFactoryV1<'reward'> = {
  specificationVersion: 'v1',
  kind: 'reward',
  id: 'sentiment',
  description: 'P(positive) of prompt + generation from a sentiment classifier (rlgf train-reward --task imdb, or DistilBERT)',
  options: sentimentOptionHelp,
  async create(options, context) {
    const settings = parseSentimentOptions(options, 'reward');
    const classifier = await loadSentimentClassifier(settings.model, { hub: context.hub, label: settings.label, batchSize: settings.batchSize });
    context.logger.info(`sentiment reward: ${classifier.description}`);
    const warnings = ignoredOptionWarnings(options, classifier.kind);
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
