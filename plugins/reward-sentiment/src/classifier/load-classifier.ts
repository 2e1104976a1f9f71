import { ModelFormatError, type HubFilesV1 } from '@rlgf/contracts';
import { openCheckpointSource } from '@rlgf/models';
import { positiveLabelIndex } from '../distilbert/distilbert-config';
import { loadDistilBertClassifier } from '../distilbert/distilbert-classifier';
import { ngramModelType, readNgramCheckpoint } from '../ngram/ngram-checkpoint';
import { ngramPositiveProbabilities } from '../ngram/ngram-model';
import type { SentimentClassifier } from './sentiment-classifier';

export interface LoadClassifierOptions {
  readonly hub?: HubFilesV1;
  /** The class to score, as an index or a label name (default positive). */
  readonly label?: number | string;
  /** Texts per forward pass (DistilBERT). */
  readonly batchSize: number;
  readonly abortSignal?: AbortSignal;
}

function parseConfig(text: string, file: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return parsed as Record<string, unknown>;
  } catch (cause) {
    throw new ModelFormatError({ file, message: 'is not valid JSON', hint: 'download or train the checkpoint again', cause });
  }
  throw new ModelFormatError({ file, message: 'is not a JSON object', hint: 'download or train the checkpoint again' });
}

/**
 * A sentiment classifier from a checkpoint directory or Hub model id, by its config.json
 * `model_type`: `rlgf-ngram-sentiment` (written by `rlgf train-reward --task imdb`) or
 * `distilbert` (a transformers DistilBertForSequenceClassification, e.g. lvwerra/distilbert-imdb).
 */
export async function loadSentimentClassifier(source: string, options: LoadClassifierOptions): Promise<SentimentClassifier> {
  const files = await openCheckpointSource(source, { hub: options.hub, abortSignal: options.abortSignal });
  if (!files.has('config.json')) {
    throw new ModelFormatError({ file: files.label, message: 'has no config.json', hint: 'pass the directory written by rlgf train-reward --task imdb, or a DistilBERT classifier (directory or Hub id)' });
  }
  const config = parseConfig(await files.readText('config.json'), `${files.label}/config.json`);
  if (config.model_type === ngramModelType) {
    const model = await readNgramCheckpoint(files, config);
    const scored = positiveLabelIndex(['negative', 'positive'], options.label);
    return {
      kind: 'ngram',
      description: `hashed n-gram NB-LR ${files.label}, P(${scored === 1 ? 'positive' : 'negative'})`,
      async positiveProbabilities(texts) {
        const positive = ngramPositiveProbabilities(model, texts);
        return scored === 1 ? positive : positive.map((p) => 1 - p);
      },
      dispose: () => undefined,
    };
  }
  if (config.model_type === 'distilbert') {
    return loadDistilBertClassifier(source, options);
  }
  throw new ModelFormatError({
    file: `${files.label}/config.json`,
    message: `model_type ${JSON.stringify(config.model_type)} is not a sentiment classifier this plugin reads`,
    hint: `use "${ngramModelType}" (rlgf train-reward --task imdb) or "distilbert" (DistilBertForSequenceClassification, e.g. lvwerra/distilbert-imdb)`,
  });
}
