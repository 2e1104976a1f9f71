import type { LanguageModelV1 } from './language-model-v1';

/** A model to load: a local directory (absolute) or a Hub id, as recipes name them. */
export interface ModelSourceV1 {
  readonly source: string;
  readonly revision?: string;
  readonly format?: 'auto' | 'hf' | 'llama2c';
}

/**
 * Loads frozen models the way the run does, for plugins that need one (a local guide, a metric's
 * fixed model): through the run's model families (plugins may add some) and, for a model the run
 * already holds as a LoRA base, as a view of it (or of it + an adapter folder that names it)
 * instead of a second copy. Disposing the model frees only what it holds alone.
 */
export interface ModelLoaderV1 {
  loadFrozen(model: ModelSourceV1): Promise<{ readonly model: LanguageModelV1; readonly shared: boolean }>;
}
