import type { LoggerV1 } from '@rlgf/contracts';
import { createRunContainer, importPlugin, registerPlugins, type PluginToRegister } from '@rlgf/core';
import type { DependencyContainer } from 'tsyringe';
import { builtinPlugins } from './builtin-plugins';

export interface PluginReference {
  /** npm package name or a path relative to `baseDir`. */
  readonly module: string;
  readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * The composition root of a run: a fresh child container with the built-in plugins and the
 * plugins the recipe names, each registered once.
 */
export async function composeRun(options: {
  readonly plugins?: readonly PluginReference[];
  readonly baseDir: string;
  readonly logger: LoggerV1;
}): Promise<DependencyContainer> {
  const container = createRunContainer();
  const extra: PluginToRegister[] = [];
  for (const reference of options.plugins ?? []) {
    extra.push({ plugin: await importPlugin(reference.module, { baseDir: options.baseDir }), settings: reference.settings });
  }
  registerPlugins(container, [...builtinPlugins.map((plugin) => ({ plugin })), ...extra], { logger: options.logger });
  return container;
}
