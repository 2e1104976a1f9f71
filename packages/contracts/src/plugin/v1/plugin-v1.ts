import type { DependencyContainer } from 'tsyringe';
import type { LoggerV1 } from '../../shared/v1/logger-v1';

/** The main thing a plugin contributes; `bundle` plugins contribute several kinds. */
export type PluginKindV1 = 'task' | 'guide' | 'reward' | 'metric' | 'tracker' | 'bundle';

export interface PluginRegisterOptionsV1 {
  /** Plugin-level settings from the recipe's `plugins` entry (rarely needed). */
  readonly settings: Readonly<Record<string, unknown>>;
  readonly logger: LoggerV1;
}

/**
 * What a plugin package exports (as `plugin` or its default export). Importing the package has
 * no side effects; only `register`, called by the composition root for one run, touches a
 * container.
 */
export interface RlgfPluginV1 {
  readonly specificationVersion: 'v1';
  /** The npm package name, e.g. `@rlgf/task-imdb`. */
  readonly id: string;
  /** The package version. */
  readonly version: string;
  readonly kind: PluginKindV1;
  /** One line for `rlgf plugins`. */
  readonly description: string;
  /** Registers the plugin's component factories into the run's container. */
  register(container: DependencyContainer, options: PluginRegisterOptionsV1): void;
}
