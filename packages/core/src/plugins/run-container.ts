import 'reflect-metadata';
import {
  PluginLoadError,
  REGISTERED_PLUGIN,
  type LoggerV1,
  type RlgfPluginV1,
} from '@rlgf/contracts';
import { container as rootContainer, type DependencyContainer } from 'tsyringe';
import { registerValue, resolveAllValues } from './tokens';

export interface PluginToRegister {
  readonly plugin: RlgfPluginV1;
  /** The recipe's settings for this plugin. */
  readonly settings?: Readonly<Record<string, unknown>>;
}

/**
 * A fresh container for one run. It is a child of tsyringe's root container, to which nothing
 * in this project ever registers, so runs (and tests) never see each other's registrations.
 */
export function createRunContainer(): DependencyContainer {
  return rootContainer.createChildContainer();
}

/** Lets each plugin register its components into the run container, once. */
export function registerPlugins(
  container: DependencyContainer,
  plugins: readonly PluginToRegister[],
  options: { logger: LoggerV1 },
): void {
  const seen = new Set(resolveAllValues(container, REGISTERED_PLUGIN).map((plugin) => plugin.id));
  for (const { plugin, settings } of plugins) {
    if (seen.has(plugin.id)) continue;
    seen.add(plugin.id);
    try {
      plugin.register(container, { settings: settings ?? {}, logger: options.logger });
    } catch (cause) {
      throw new PluginLoadError({
        plugin: plugin.id,
        reason: `register() threw: ${cause instanceof Error ? cause.message : String(cause)}`,
        cause,
      });
    }
    registerValue(container, REGISTERED_PLUGIN, plugin);
  }
}

/** The plugins registered in a run container, in registration order. */
export function registeredPlugins(container: DependencyContainer): RlgfPluginV1[] {
  return resolveAllValues(container, REGISTERED_PLUGIN);
}
