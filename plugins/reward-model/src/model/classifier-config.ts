import { ModelFormatError } from '@rlgf/contracts';

/** transformers' sequence-classification class of each decoder family this plugin builds. */
export const classifierArchitectures: Readonly<Record<string, string>> = {
  gpt2: 'GPT2ForSequenceClassification',
  llama: 'LlamaForSequenceClassification',
};

/** The weight of the scalar head: `nn.Linear(hidden, num_labels=1, bias=False)` in transformers. */
export const scoreWeightName = 'score.weight';

/**
 * `config.json` of a reward model: the trunk's config with transformers' sequence-classification
 * fields (`architectures`, `num_labels: 1` through `id2label`, `pad_token_id`). The trunk's own
 * LM-head fields stay as they were: a sequence classifier has no LM head, so transformers ignores
 * them.
 */
export function classifierConfig(trunkConfig: Readonly<Record<string, unknown>>, padTokenId: number): Record<string, unknown> {
  const modelType = String(trunkConfig.model_type);
  const architecture = classifierArchitectures[modelType];
  if (architecture === undefined) {
    throw new ModelFormatError({
      file: 'config.json',
      message: `model_type ${JSON.stringify(trunkConfig.model_type)} has no reward-model head here`,
      hint: `use a trunk of type ${Object.keys(classifierArchitectures).join(' or ')}`,
    });
  }
  return {
    ...trunkConfig,
    architectures: [architecture],
    num_labels: 1,
    id2label: { '0': 'LABEL_0' },
    label2id: { LABEL_0: 0 },
    pad_token_id: padTokenId,
  };
}

/** Checks that `config` is a one-label sequence classifier of a supported family. */
export function checkClassifierConfig(config: Readonly<Record<string, unknown>>, label: string): void {
  const architectures = Array.isArray(config.architectures) ? (config.architectures as unknown[]) : [];
  const expected = classifierArchitectures[String(config.model_type)];
  if (expected === undefined || !architectures.includes(expected)) {
    throw new ModelFormatError({
      file: `${label}/config.json`,
      message: `is not a reward model: model_type ${JSON.stringify(config.model_type)}, architectures ${JSON.stringify(architectures)}`,
      hint: `expected ${Object.values(classifierArchitectures).join(' or ')} (written by \`rlgf train-reward --task tldr\`, or transformers' save_pretrained)`,
    });
  }
  const labels = config.id2label !== undefined && typeof config.id2label === 'object' && config.id2label !== null ? Object.keys(config.id2label).length : config.num_labels;
  if (labels !== undefined && labels !== 1) {
    throw new ModelFormatError({ file: `${label}/config.json`, message: `has ${String(labels)} labels; a reward model has one (a scalar score)`, hint: 'train the classifier with num_labels=1' });
  }
}
