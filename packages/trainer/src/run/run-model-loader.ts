import type { ModelLoaderV1 } from '@rlgf/contracts';
import { tryResolve } from '@rlgf/core';
import { loadFrozenModel, SHARED_BASES } from '@rlgf/models';
import type { RunEnvironment } from './run-environment';

/**
 * The run's way of loading frozen models for plugins (ComponentContextV1.models): its model
 * families (`env.modelRegistry`, which plugins may extend) and its shared LoRA bases, looked up when
 * a model is loaded (a LoRA run registers them once the policy is loaded), so a guide naming the
 * policy's model is a view of it instead of a second copy.
 */
export function runModelLoader(env: RunEnvironment, seed: number): ModelLoaderV1 {
  return {
    loadFrozen: (model) =>
      loadFrozenModel(model, { hub: env.hub, cacheDir: env.cacheDir, logger: env.logger, seed, registry: env.modelRegistry, shared: tryResolve(env.container, SHARED_BASES) }),
  };
}
