import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import type { JsonObject } from '@rlgf/models';

/** The fields of a DistilBERT `config.json` the forward pass needs. */
export interface DistilBertConfig {
  readonly vocabSize: number;
  readonly dim: number;
  readonly layers: number;
  readonly heads: number;
  readonly hiddenDim: number;
  readonly maxPositions: number;
  readonly activation: 'gelu' | 'relu';
  /** Label names by class index, from `id2label`. */
  readonly labels: readonly string[];
}

function positiveInteger(config: JsonObject, name: string, file: string): number {
  const value = config[name];
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1) {
    throw new ModelFormatError({ file, message: `${name} must be a positive integer, got ${JSON.stringify(value)}`, hint: 'check that this is a DistilBERT config.json' });
  }
  return value;
}

export function parseDistilBertConfig(config: JsonObject, file: string): DistilBertConfig {
  const activation = config.activation ?? 'gelu';
  if (activation !== 'gelu' && activation !== 'relu') {
    throw new ModelFormatError({ file, message: `activation ${JSON.stringify(activation)} is not supported`, hint: 'DistilBERT checkpoints use "gelu" (or "relu")' });
  }
  const id2label = (config.id2label ?? { '0': 'LABEL_0', '1': 'LABEL_1' }) as Record<string, unknown>;
  const labels = Object.keys(id2label)
    .map(Number)
    .sort((a, b) => a - b)
    .map((index, position) => {
      if (index !== position) throw new ModelFormatError({ file, message: 'id2label must number its labels 0, 1, …', hint: 'fix id2label' });
      return String(id2label[String(index)]);
    });
  const dim = positiveInteger(config, 'dim', file);
  const heads = positiveInteger(config, 'n_heads', file);
  if (dim % heads !== 0) throw new ModelFormatError({ file, message: `dim ${dim} is not a multiple of n_heads ${heads}`, hint: 'check the config' });
  return {
    vocabSize: positiveInteger(config, 'vocab_size', file),
    dim,
    layers: positiveInteger(config, 'n_layers', file),
    heads,
    hiddenDim: positiveInteger(config, 'hidden_dim', file),
    maxPositions: positiveInteger(config, 'max_position_embeddings', file),
    activation,
    labels,
  };
}

/**
 * The class index that means "positive": `label` given as an index or a name, else the label
 * named positive/pos, else class 1 of a binary classifier (TRIL's `label_ix: 1`).
 */
export function positiveLabelIndex(labels: readonly string[], label: number | string | undefined): number {
  if (typeof label === 'number') {
    if (Number.isInteger(label) && label >= 0 && label < labels.length) return label;
    throw new InvalidArgumentError({ argument: 'reward.options.label', value: label, expected: `a class index below ${labels.length}` });
  }
  if (typeof label === 'string') {
    const index = labels.findIndex((name) => name.toLowerCase() === label.toLowerCase());
    if (index >= 0) return index;
    throw new InvalidArgumentError({ argument: 'reward.options.label', value: label, expected: `one of the checkpoint's labels: ${labels.join(', ')}` });
  }
  const named = labels.findIndex((name) => /^pos(itive)?$/i.test(name));
  if (named >= 0) return named;
  if (labels.length === 2) return 1;
  throw new InvalidArgumentError({ argument: 'reward.options.label', expected: `the positive class (index or name) among ${labels.join(', ')}` });
}
