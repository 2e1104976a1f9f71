import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@rlgf/core';
import type { TokenizerV1 } from '@rlgf/contracts';
import {
  convertLlama2c,
  createArchitectureRegistry,
  createLanguageModel,
  loadLanguageModel,
  readCheckpoint,
  type CausalLanguageModel,
  type HostTensor,
} from '@rlgf/models';

/** A model under test and the sizes its benchmark uses. */
export interface BenchModel {
  readonly name: string;
  readonly model: CausalLanguageModel;
  readonly promptTokens: number;
  readonly newTokens: number;
  readonly trainSteps: number;
  /** Rows per micro-batch of the training step (gradients are accumulated). */
  readonly trainMicroRows: number;
  /** Why the training step is not measured, when it is not. */
  readonly trainSkipped?: string;
}

/** stories260K from the Hub mirror, converted from llama2.c's format. */
export async function stories260K(hubMirror: string): Promise<BenchModel> {
  const folder = join(hubMirror, 'models/karpathy/tinyllamas/stories260K');
  const outDir = join(await mkdtemp(join(tmpdir(), 'bench-models-')), 'stories260K');
  await convertLlama2c({ checkpointPath: join(folder, 'stories260K.bin'), tokenizerPath: join(folder, 'tok512.bin'), outDir });
  return { name: 'stories260K', model: await loadLanguageModel(outDir), promptTokens: 16, newTokens: 64, trainSteps: 5, trainMicroRows: 16 };
}

function randomGpt2(name: string, config: Record<string, number | string>, seed: number, tokenizer: TokenizerV1): CausalLanguageModel {
  const architecture = createArchitectureRegistry().resolve(config);
  const rng = Rng.fromSeed(seed, name);
  const weights = new Map<string, HostTensor>();
  for (const [weightName, shape] of architecture.weightShapes(architecture.parseConfig(config))) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (/ln_(1|2|f)\.weight$/.test(weightName)) data.fill(1);
    else if (!weightName.endsWith('.bias')) for (let i = 0; i < data.length; i++) data[i] = (rng.nextFloat() - 0.5) * 0.07;
    weights.set(weightName, { shape, data });
  }
  return createLanguageModel(config, weights, tokenizer);
}

/** The real GPT-2 tokenizer (tiny-gpt2 in the mirror has the 50,257-token vocabulary). */
async function gpt2Tokenizer(hubMirror: string): Promise<TokenizerV1> {
  return (await readCheckpoint(join(hubMirror, 'models/sshleifer/tiny-gpt2'))).tokenizer;
}

/** A 4-layer, 128-wide GPT-2 with the full vocabulary: the shape of the project's first tfjs/PyTorch measurements. */
export async function gpt4x128(hubMirror: string): Promise<BenchModel> {
  const config = { model_type: 'gpt2', n_embd: 128, n_layer: 4, n_head: 4, vocab_size: 50257, n_positions: 1024, eos_token_id: 50256 };
  const model = randomGpt2('gpt-4x128', config, 2, await gpt2Tokenizer(hubMirror));
  return { name: 'gpt 4x128 (random, 50257 vocab)', model, promptTokens: 16, newTokens: 32, trainSteps: 2, trainMicroRows: 16 };
}

/** GPT-2 small's shape (12 layers, 768 wide, 12 heads, 50257 tokens) with random weights. */
export async function gpt2Small(hubMirror: string, train: boolean): Promise<BenchModel> {
  const config = { model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024, eos_token_id: 50256 };
  const model = randomGpt2('gpt2-small', config, 1, await gpt2Tokenizer(hubMirror));
  return {
    name: 'gpt2-small (random)',
    model,
    promptTokens: 8,
    newTokens: 8,
    trainSteps: 1,
    trainMicroRows: 2,
    trainSkipped: train ? undefined : 'not run by default (--gpt2-train): weights, AdamW moments and gradients take 2 GB of the 4 GB wasm heap',
  };
}
