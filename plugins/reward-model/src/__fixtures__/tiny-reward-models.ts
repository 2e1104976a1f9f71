import type { HubFilesV1 } from '@rlgf/contracts';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { llamaArchitecture, randomWeightMap, readCheckpoint, resolveModelReference, type Checkpoint } from '@rlgf/models';
import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RewardModel } from '../model/reward-model';

/** The shared Hub mirror, offline. */
export const mirrorHub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });

/** A fresh cache folder (llama2.c conversions land there). */
export function cacheDir(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'rlgf-reward-model-'));
}

/** stories260K converted to a Hugging Face folder, read whole (tokenizer files included). */
export async function storiesCheckpoint(): Promise<Checkpoint> {
  const dir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub: mirrorHub, cacheDir: await cacheDir() });
  return readCheckpoint(dir);
}

/** A tiny random Llama (width 16, 2 layers, stories260K's 512-token tokenizer) with a fresh head. */
export function tinyLlamaRewardModel(stories: Checkpoint, options: { readonly seed: number; readonly maxTokens?: number; readonly trainable?: boolean }): RewardModel {
  const config = {
    ...stories.config,
    hidden_size: 16,
    intermediate_size: 40,
    num_hidden_layers: 2,
    num_attention_heads: 2,
    num_key_value_heads: 1,
    head_dim: 8,
    max_position_embeddings: 64,
  };
  const weights = randomWeightMap(llamaArchitecture.weightShapes(llamaArchitecture.parseConfig(config)), { seed: options.seed, std: 0.2 });
  return new RewardModel({
    config,
    weights,
    tokenizer: stories.tokenizer,
    tokenizerFiles: stories.tokenizerFiles,
    head: { kind: 'normal', std: 0.5, seed: options.seed },
    trainable: options.trainable ?? false,
    maxTokens: options.maxTokens,
  });
}
