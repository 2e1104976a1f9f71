import { ModelFormatError, type HubFilesV1, type LoggerV1 } from '@rlgf/contracts';
import { openCheckpointSource, readCheckpoint, resolveModelReference } from '@rlgf/models';
import { checkClassifierConfig, classifierArchitectures, scoreWeightName } from './classifier-config';
import { RewardModel } from './reward-model';

export interface LoadRewardModelOptions {
  readonly hub?: HubFilesV1;
  readonly revision?: string;
  /** Longest input in tokens (default: the tokenizer config's `model_max_length`, else the trunk's positions). */
  readonly maxTokens?: number;
  /** Default false: a reward scores, it is not trained. */
  readonly trainable?: boolean;
}

/**
 * Loads a one-label `GPT2ForSequenceClassification` or `LlamaForSequenceClassification`
 * checkpoint (a directory or a Hub id): trunk weights, `score.weight` [1, hidden] (and no bias,
 * as transformers builds it), the tokenizer.
 */
export async function loadRewardModel(source: string, options: LoadRewardModelOptions = {}): Promise<RewardModel> {
  const checkpoint = await readCheckpoint(source, { hub: options.hub, revision: options.revision });
  const label = checkpoint.files.source;
  checkClassifierConfig(checkpoint.config, label);
  const head = checkpoint.weights.get(scoreWeightName);
  const hidden = Number(checkpoint.config.hidden_size ?? checkpoint.config.n_embd);
  if (head === undefined || head.shape.length !== 2 || head.shape[0] !== 1 || head.shape[1] !== hidden) {
    throw new ModelFormatError({
      file: label,
      message: head === undefined ? `has no ${scoreWeightName}` : `${scoreWeightName} has shape [${head.shape.join(', ')}], expected [1, ${hidden}]`,
      hint: 'a reward model stores its scalar head as score.weight [1, hidden] (transformers *ForSequenceClassification with num_labels=1)',
    });
  }
  if (checkpoint.weights.has('score.bias')) {
    throw new ModelFormatError({ file: label, message: 'has a score.bias, which transformers\' sequence classifiers do not have', hint: 'fold the bias away (it cancels in every preference) or drop it' });
  }
  return new RewardModel({
    config: checkpoint.config,
    weights: checkpoint.weights,
    tokenizer: checkpoint.tokenizer,
    tokenizerFiles: checkpoint.tokenizerFiles,
    head,
    trainable: options.trainable ?? false,
    maxTokens: options.maxTokens ?? savedMaxLength(checkpoint.tokenizerFiles.tokenizerConfig),
  });
}

/** `model_max_length` of a tokenizer config, when it is a real limit (transformers writes 1e30 for none). */
function savedMaxLength(tokenizerConfig: Readonly<Record<string, unknown>>): number | undefined {
  const value = tokenizerConfig.model_max_length;
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 2 ? value : undefined;
}

export interface RewardModelFromTrunkOptions {
  readonly hub?: HubFilesV1;
  /** Where llama2.c models are converted on first use. */
  readonly cacheDir: string;
  readonly logger?: LoggerV1;
  /** Seed of the fresh head. */
  readonly seed: number;
  readonly maxTokens?: number;
}

/**
 * A trainable reward model on a language model's trunk (a Hugging Face folder, a Hub id, or a
 * llama2.c model such as karpathy/tinyllamas/stories260K) with a fresh head, normal with the
 * trunk's `initializer_range` (0.02 by default) as transformers initialises it.
 */
export async function rewardModelFromTrunk(reference: string, options: RewardModelFromTrunkOptions): Promise<RewardModel> {
  const dir = await resolveModelReference({ source: reference }, { hub: options.hub, cacheDir: options.cacheDir, logger: options.logger });
  const checkpoint = await readCheckpoint(dir, { hub: options.hub });
  const std = typeof checkpoint.config.initializer_range === 'number' ? checkpoint.config.initializer_range : 0.02;
  return new RewardModel({
    config: checkpoint.config,
    weights: checkpoint.weights,
    tokenizer: checkpoint.tokenizer,
    tokenizerFiles: checkpoint.tokenizerFiles,
    head: { kind: 'normal', std, seed: options.seed },
    trainable: true,
    maxTokens: options.maxTokens,
  });
}

/**
 * Whether `source` (a directory or Hub id) holds a reward model, i.e. its `config.json` names a
 * sequence-classification architecture this plugin reads: how `rlgf serve` tells a reward model
 * from a language model.
 */
export async function isRewardModelSource(source: string, options: { readonly hub?: HubFilesV1; readonly revision?: string } = {}): Promise<boolean> {
  const files = await openCheckpointSource(source, options);
  if (!files.has('config.json')) return false;
  const config = JSON.parse(await files.readText('config.json')) as { architectures?: unknown };
  const known = Object.values(classifierArchitectures);
  return Array.isArray(config.architectures) && config.architectures.some((name) => known.includes(String(name)));
}
