import type { ArchitectureModule, CausalLmConfig } from '../causal-lm';
import { parseLlamaConfig, type LlamaConfig } from './llama-config';
import { LlamaNetwork } from './llama-network';
import { llamaWeightShapes } from './llama-weights';

/** The Llama family (Llama 1-3 with `rope_scaling` llama3 or linear, SmolLM, TinyLlama, llama2.c models converted to Hugging Face names). */
export const llamaArchitecture: ArchitectureModule = {
  modelTypes: ['llama'],
  architectures: ['LlamaForCausalLM'],
  loraTargetModules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'],
  parseConfig: parseLlamaConfig,
  build: (config, weights, options) => new LlamaNetwork(config as LlamaConfig, weights, options),
  weightShapes: (config: CausalLmConfig) => llamaWeightShapes(config as LlamaConfig),
};
