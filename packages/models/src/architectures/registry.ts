import { ModelFormatError } from '@rlgf/contracts';
import type { ArchitectureModule } from './causal-lm';
import { gemma2Architecture } from './gemma2';
import { gpt2Architecture } from './gpt2';
import { gptNeoxArchitecture } from './gpt-neox';
import { llamaArchitecture } from './llama';
import { mistralArchitecture } from './mistral';
import { phi3Architecture } from './phi3';
import { qwen2Architecture } from './qwen2';
import { qwen3Architecture } from './qwen3';

/** The decoder-only architecture modules this package ships; pass more to {@link createArchitectureRegistry}. */
export const builtInArchitectures: readonly ArchitectureModule[] = [
  llamaArchitecture,
  gpt2Architecture,
  qwen2Architecture,
  qwen3Architecture,
  mistralArchitecture,
  gemma2Architecture,
  phi3Architecture,
  gptNeoxArchitecture,
];

/** What a registry needs of a module to find it for a `config.json`. */
export interface RegisteredArchitecture {
  /** `config.json` `model_type` values the module reads. */
  readonly modelTypes: readonly string[];
  /** `config.json` `architectures` entries the module builds (e.g. `LlamaForCausalLM`). */
  readonly architectures: readonly string[];
}

/**
 * Finds the module that builds a `config.json`. Adding a family means adding a module to the
 * list the registry is created with. The default registry holds the decoder-only network modules;
 * the model loaders use one of family-agnostic modules (`createModelRegistry`).
 */
export interface ArchitectureRegistry<M extends RegisteredArchitecture = ArchitectureModule> {
  readonly modules: readonly M[];
  resolve(json: Readonly<Record<string, unknown>>): M;
}

export function createArchitectureRegistry(): ArchitectureRegistry;
export function createArchitectureRegistry<M extends RegisteredArchitecture>(modules: readonly M[]): ArchitectureRegistry<M>;
export function createArchitectureRegistry(modules: readonly RegisteredArchitecture[] = builtInArchitectures): ArchitectureRegistry<RegisteredArchitecture> {
  return {
    modules,
    resolve(json) {
      const modelType = json['model_type'];
      const declared = Array.isArray(json['architectures']) ? (json['architectures'] as unknown[]) : [];
      const found =
        modules.find((module) => typeof modelType === 'string' && module.modelTypes.includes(modelType)) ??
        modules.find((module) => declared.some((name) => typeof name === 'string' && module.architectures.includes(name)));
      if (found === undefined) {
        const known = modules.flatMap((module) => module.modelTypes).join(', ');
        throw new ModelFormatError({
          file: 'config.json',
          message: `model_type ${JSON.stringify(modelType)} (architectures ${JSON.stringify(declared)}) is not supported`,
          hint: `supported model types: ${known}; register an architecture module for others`,
        });
      }
      return found;
    },
  };
}
