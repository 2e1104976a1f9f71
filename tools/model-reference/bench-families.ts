/**
 * Decoding speed of each model family at batch 1: tokens/s of greedy generation with the KV cache,
 * random weights of one small shape for all families, on the backend named (default wasm).
 *
 *     npx tsx tools/model-reference/bench-families.ts [wasm|cpu]
 */
import { createRandomLanguageModel, setBackend, type BackendName } from '@rlgf/models';
import type { TokenizerV1 } from '@rlgf/contracts';
import * as tf from '@tensorflow/tfjs-core';

const shape = { vocab_size: 512, hidden_size: 128, intermediate_size: 344, num_hidden_layers: 4, num_attention_heads: 4, num_key_value_heads: 2, max_position_embeddings: 256, eos_token_id: 0 };
const families: Record<string, Record<string, unknown>> = {
  llama: { model_type: 'llama' },
  'llama (rope_scaling llama3)': { model_type: 'llama', rope_scaling: { rope_type: 'llama3', factor: 8, low_freq_factor: 1, high_freq_factor: 4, original_max_position_embeddings: 64 } },
  qwen2: { model_type: 'qwen2', tie_word_embeddings: true },
  qwen3: { model_type: 'qwen3', head_dim: 32 },
  mistral: { model_type: 'mistral', sliding_window: 32 },
  gemma2: { model_type: 'gemma2', head_dim: 32, query_pre_attn_scalar: 32, sliding_window: 32 },
  phi3: { model_type: 'phi3', sliding_window: 32 },
  gpt_neox: { model_type: 'gpt_neox', num_key_value_heads: 4 },
};
const tokenizer: TokenizerV1 = { specificationVersion: 'v1', vocabSize: 512, encode: () => [], decode: () => '' };

/**
 * Families take turns, five rounds, and each reports its best round: on a machine shared with
 * other jobs, interference only ever slows a round down, so the best is the least disturbed.
 */
async function main(backend: BackendName): Promise<void> {
  await setBackend(backend);
  const newTokens = 192;
  const request = { promptIds: [[1, 2, 3, 4, 5, 6, 7, 8]], decoding: { strategy: 'greedy' as const }, seed: 0 };
  const models = Object.entries(families).map(([name, fields]) => ({ name, model: createRandomLanguageModel({ ...shape, ...fields }, tokenizer, { seed: 1 }), best: 0 }));
  for (const entry of models) await entry.model.generate({ ...request, maxNewTokens: 8, minNewTokens: 8 });
  for (let round = 0; round < 5; round++) {
    for (const entry of models) {
      const started = performance.now();
      await entry.model.generate({ ...request, maxNewTokens: newTokens, minNewTokens: newTokens });
      entry.best = Math.max(entry.best, newTokens / ((performance.now() - started) / 1000));
    }
  }
  console.log(`| family | tokens/s (batch 1, ${newTokens} new tokens after 8, ${backend}, best of 5) | kernels per decoding step |\n|---|---:|---:|`);
  for (const entry of models) {
    // Kernels per step do not depend on the machine's load: the difference of 9 and 1 new tokens, over 8.
    const kernels = async (tokens: number) => (await tf.profile(() => entry.model.generate({ ...request, maxNewTokens: tokens, minNewTokens: tokens }))).kernels.length;
    const perStep = ((await kernels(9)) - (await kernels(1))) / 8;
    console.log(`| ${entry.name} | ${entry.best.toFixed(0)} | ${perStep} |`);
    entry.model.dispose();
  }
}

void main((process.argv[2] as BackendName | undefined) ?? 'wasm');
