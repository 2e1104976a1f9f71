import { InvalidArgumentError, type WarningV1 } from '@rlgf/contracts';

/** The checkpoint the authors rewarded IMDB continuations with (label 1 = POSITIVE). */
export const defaultSentimentModel = 'lvwerra/distilbert-imdb';

export interface SentimentOptions {
  readonly model: string;
  readonly includePrompt: boolean;
  readonly label?: number | string;
  readonly batchSize: number;
}

export const sentimentOptionHelp: Readonly<Record<string, string>> = {
  model: `classifier checkpoint: a directory written by \`rlgf train-reward --task imdb\`, or a DistilBERT sequence classifier (directory or Hub id; default ${defaultSentimentModel}, the authors')`,
  includePrompt: 'score prompt + generation, as TRIL (`include_prompt_for_eval: True`); false scores the generation alone (default true)',
  label: 'the class whose probability is the score, as an index or a label name (default the positive one)',
  batchSize: 'texts per DistilBERT forward pass (default 16)',
};

type RawOptions = Readonly<Record<string, unknown>>;

/** Validates the options of the `sentiment` reward or metric (`kind` names them in errors). */
export function parseSentimentOptions(options: RawOptions, kind: 'reward' | 'metric'): SentimentOptions {
  const field = (name: string) => `${kind}.options.${name}`;
  const unknown = Object.keys(options).filter((name) => !(name in sentimentOptionHelp));
  if (unknown.length > 0) throw new InvalidArgumentError({ argument: field(unknown[0]), expected: `one of ${Object.keys(sentimentOptionHelp).join(', ')}` });
  const { model = defaultSentimentModel, includePrompt = true, label, batchSize = 16 } = options;
  if (typeof model !== 'string' || model.trim() === '') throw new InvalidArgumentError({ argument: field('model'), value: model, expected: 'a checkpoint directory or Hub model id' });
  if (typeof includePrompt !== 'boolean') throw new InvalidArgumentError({ argument: field('includePrompt'), value: includePrompt, expected: 'true or false' });
  if (label !== undefined && typeof label !== 'string' && !(typeof label === 'number' && Number.isInteger(label) && label >= 0)) {
    throw new InvalidArgumentError({ argument: field('label'), value: label, expected: 'a class index or a label name' });
  }
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError({ argument: field('batchSize'), value: batchSize, expected: 'a positive integer' });
  }
  return { model, includePrompt, label: label as number | string | undefined, batchSize };
}

/** The text a sample is judged on. */
export function scoredText(prompt: string | undefined, generation: string, includePrompt: boolean): string {
  return includePrompt ? `${prompt ?? ''}${generation}` : generation;
}

/** Warnings for options the loaded classifier does not use. */
export function ignoredOptionWarnings(options: RawOptions, classifierKind: 'ngram' | 'distilbert'): WarningV1[] {
  return classifierKind === 'ngram' && options.batchSize !== undefined
    ? [{ type: 'unsupported-option', field: 'batchSize', message: 'batchSize is used by DistilBERT checkpoints only; the n-gram classifier scores all texts at once' }]
    : [];
}
