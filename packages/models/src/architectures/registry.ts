import { ModelFormatError } from '@rlgf/contracts';
import type { ArchitectureModule } from './causal-lm';
import { gpt2Architecture } from './gpt2';
import { llamaArchitecture } from './llama';

/** The architecture modules this package ships; pass more to {@link createArchitectureRegistry}. */
export const builtInArchitectures: readonly ArchitectureModule[] = [llamaArchitecture, gpt2Architecture];

/** Finds the module that builds a `config.json`. Adding a family means adding a module here. */
export interface ArchitectureRegistry {
  readonly modules: readonly ArchitectureModule[];
  resolve(json: Readonly<Record<string, unknown>>): ArchitectureModule;
}

export function createArchitectureRegistry(modules: readonly ArchitectureModule[] = builtInArchitectures): ArchitectureRegistry {
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
          hint: `supported model types: ${known}; register an ArchitectureModule for others`,
        });
      }
      return found;
    },
  };
}
