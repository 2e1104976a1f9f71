import { builtInArchitectures, createArchitectureRegistry, type ArchitectureRegistry } from '../architectures/registry';
import { t5Architecture } from '../architectures/t5';
import { decoderOnlyArchitecture, type ModelArchitecture } from './model-architecture';

/** Every model family this package loads: the decoder-only network modules, then the encoder-decoders. */
export const builtInModelArchitectures: readonly ModelArchitecture[] = [...builtInArchitectures.map(decoderOnlyArchitecture), t5Architecture];

/** The registry the model loaders resolve a `config.json` with; pass more modules to load other families. */
export function createModelRegistry(modules: readonly ModelArchitecture[] = builtInModelArchitectures): ArchitectureRegistry<ModelArchitecture> {
  return createArchitectureRegistry(modules);
}
