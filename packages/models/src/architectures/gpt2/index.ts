import type { ArchitectureModule, CausalLmConfig } from '../causal-lm';
import { parseGpt2Config, type Gpt2Config } from './gpt2-config';
import { Gpt2Network } from './gpt2-network';
import { gpt2WeightShapes } from './gpt2-weights';

/** GPT-2 (and distilgpt2, tiny-gpt2): `GPT2LMHeadModel` checkpoints. */
export const gpt2Architecture: ArchitectureModule = {
  modelTypes: ['gpt2'],
  architectures: ['GPT2LMHeadModel'],
  // GPT-2's Conv1D modules; PEFT's default for gpt2 is c_attn alone.
  loraTargetModules: ['c_attn', 'c_proj', 'c_fc'],
  parseConfig: parseGpt2Config,
  build: (config, weights, options) => new Gpt2Network(config as Gpt2Config, weights, options),
  weightShapes: (config: CausalLmConfig) => gpt2WeightShapes(config as Gpt2Config),
};
