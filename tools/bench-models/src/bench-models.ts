import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '@rlgf/core';
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
}

/** stories260K from the Hub mirror, converted from llama2.c's format. */
export async function stories260K(hubMirror: string): Promise<BenchModel> {
  const folder = join(hubMirror, 'models/karpathy/tinyllamas/stories260K');
  const outDir = join(await mkdtemp(join(tmpdir(), 'bench-models-')), 'stories260K');
  await convertLlama2c({ checkpointPath: join(folder, 'stories260K.bin'), tokenizerPath: join(folder, 'tok512.bin'), outDir });
  return { name: 'stories260K', model: await loadLanguageModel(outDir), promptTokens: 16, newTokens: 64, trainSteps: 5, trainMicroRows: 16 };
}

/** GPT-2 small's shape (12 layers, 768 wide, 12 heads, 50257 tokens) with random weights. */
export async function gpt2Small(hubMirror: string): Promise<BenchModel> {
  const config = { model_type: 'gpt2', n_embd: 768, n_layer: 12, n_head: 12, vocab_size: 50257, n_positions: 1024, eos_token_id: 50256 };
  const architecture = createArchitectureRegistry().resolve(config);
  const rng = Rng.fromSeed(1, 'bench-gpt2-small');
  const weights = new Map<string, HostTensor>();
  for (const [name, shape] of architecture.weightShapes(architecture.parseConfig(config))) {
    const data = new Float32Array(shape.reduce((a, b) => a * b, 1));
    if (name.endsWith('ln_1.weight') || name.endsWith('ln_2.weight') || name.endsWith('ln_f.weight')) data.fill(1);
    else if (!name.endsWith('.bias')) for (let i = 0; i < data.length; i++) data[i] = (rng.nextFloat() - 0.5) * 0.07;
    weights.set(name, { shape, data });
  }
  // The real GPT-2 tokenizer (tiny-gpt2 has the same 50,257-token vocabulary).
  const { tokenizer } = await readCheckpoint(join(hubMirror, 'models/sshleifer/tiny-gpt2'));
  const model = createLanguageModel(config, weights, tokenizer);
  return { name: 'gpt2-small (random)', model, promptTokens: 8, newTokens: 8, trainSteps: 1, trainMicroRows: 2 };
}
