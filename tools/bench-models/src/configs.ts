import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TokenizerV1 } from '@rlgf/contracts';
import { createRandomLanguageModel, loadLanguageModel, readCheckpoint, resolveModelReference, type TrainableLanguageModel } from '@rlgf/models';

/** The model configurations of the benchmark (the same shapes on the PyTorch side). */
export const configNames = ['stories260K', 'llama-256', 'gpt2-small'] as const;
export type ConfigName = (typeof configNames)[number];

export function isConfigName(value: string): value is ConfigName {
  return (configNames as readonly string[]).includes(value);
}

/** What each configuration is measured on: GPT-2 small at batch 1 only (the scope). */
export const configPlan: Record<ConfigName, { readonly batches: readonly number[]; readonly updateRows: number; readonly description: string }> = {
  stories260K: { batches: [1, 16, 64], updateRows: 16, description: "karpathy/tinyllamas stories260K (llama2.c, converted): dim 64, 5 layers, 8 heads (4 kv), vocab 512" },
  'llama-256': { batches: [1, 16, 64], updateRows: 16, description: 'Llama, random weights: dim 256, 6 layers, 8 heads, MLP 704, vocab 4096, tied head' },
  'gpt2-small': { batches: [1], updateRows: 1, description: 'GPT-2 small shape, random weights: dim 768, 12 layers, 12 heads, vocab 50257' },
};

/** The config.json of the random-weight configurations; the PyTorch side uses the same numbers. */
export const llama256 = {
  model_type: 'llama',
  hidden_size: 256,
  intermediate_size: 704,
  num_hidden_layers: 6,
  num_attention_heads: 8,
  num_key_value_heads: 8,
  vocab_size: 4096,
  max_position_embeddings: 512,
  rms_norm_eps: 1e-5,
  tie_word_embeddings: true,
  bos_token_id: 1,
  eos_token_id: 2,
};
export const gpt2Small = { model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024, eos_token_id: 50256 };

async function stories260K(hubMirror: string): Promise<TrainableLanguageModel> {
  const cacheDir = await mkdtemp(join(tmpdir(), 'bench-models-'));
  const folder = await resolveModelReference({ source: join(hubMirror, 'models/karpathy/tinyllamas/stories260K') }, { cacheDir });
  return loadLanguageModel(folder);
}

/**
 * A tokenizer for a random-weight model: the benchmark never decodes text, it only needs EOS and
 * padding ids (stories260K's tokenizer for the Llama, GPT-2's for GPT-2).
 */
async function tokenizerFrom(hubMirror: string, relative: string): Promise<TokenizerV1> {
  return (await readCheckpoint(join(hubMirror, relative))).tokenizer;
}

export async function loadConfig(name: ConfigName, hubMirror: string): Promise<TrainableLanguageModel> {
  if (name === 'stories260K') return stories260K(hubMirror);
  if (name === 'llama-256') {
    const donor = await stories260K(hubMirror);
    const tokenizer = donor.tokenizer;
    donor.dispose();
    return createRandomLanguageModel(llama256, tokenizer, { seed: 1 });
  }
  return createRandomLanguageModel(gpt2Small, await tokenizerFrom(hubMirror, 'models/sshleifer/tiny-gpt2'), { seed: 2 });
}
