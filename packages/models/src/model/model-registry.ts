import { injectionToken, type InjectionTokenV1 } from '@rlgf/contracts';
import { builtInArchitectures, createArchitectureRegistry, type ArchitectureRegistry } from '../architectures/registry';
import { t5Architecture } from '../architectures/t5';
import type { ArchitectureModule } from '../architectures/causal-lm';
import { decoderOnlyArchitecture, type ModelArchitecture } from './model-architecture';

/** Every model family this package loads: the decoder-only network modules, then the encoder-decoders. */
export const builtInModelArchitectures: readonly ModelArchitecture[] = [...builtInArchitectures.map(decoderOnlyArchitecture), t5Architecture];

/** The registry the model loaders resolve a `config.json` with; pass more modules to load other families. */
export function createModelRegistry(modules: readonly ModelArchitecture[] = builtInModelArchitectures): ArchitectureRegistry<ModelArchitecture> {
  return createArchitectureRegistry(modules);
}

/**
 * The built-in families plus `extra` ones, for a plugin that adds a family without editing this
 * package: pass the result as `registry` to `loadLanguageModel`, `loadModelReference`,
 * `createLanguageModel` or `createRandomLanguageModel`. Decoder-only network modules
 * (`ArchitectureModule`) are wrapped with `decoderOnlyArchitecture`. Extras are consulted first,
 * so one may also replace a built-in `model_type`.
 */
export function modelRegistryWith(extra: readonly (ModelArchitecture | ArchitectureModule)[]): ArchitectureRegistry<ModelArchitecture> {
  const modules = extra.map((module) => ('createModel' in module ? module : decoderOnlyArchitecture(module)));
  return createModelRegistry([...modules, ...builtInModelArchitectures]);
}

/**
 * The token under which a plugin registers a model family (`container.register(MODEL_FAMILY,
 * { useValue: module })` in its `register`); the CLI builds the run's registry from them with
 * {@link modelRegistryWith}. It lives here because a family is made of this package's types.
 */
export const MODEL_FAMILY: InjectionTokenV1<ModelArchitecture | ArchitectureModule> = injectionToken<ModelArchitecture | ArchitectureModule>('model-family');
