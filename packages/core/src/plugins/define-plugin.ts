import type { ComponentFactoryV1, ComponentKindV1, PluginKindV1, RlgfPluginV1 } from '@rlgf/contracts';
import { factoryTokens } from './tokens';

export interface PluginDefinition {
  /** npm package name. */
  readonly id: string;
  readonly version: string;
  readonly kind: PluginKindV1;
  readonly description: string;
  /** The component factories the plugin contributes. */
  readonly factories: readonly ComponentFactoryV1<ComponentKindV1>[];
}

/**
 * The usual plugin: a list of component factories, each registered under its kind's token when
 * (and only when) the composition root calls `register` for a run.
 */
export function definePlugin(definition: PluginDefinition): RlgfPluginV1 {
  return {
    specificationVersion: 'v1',
    id: definition.id,
    version: definition.version,
    kind: definition.kind,
    description: definition.description,
    register(container) {
      for (const factory of definition.factories) {
        container.register(factoryTokens[factory.kind], { useValue: factory });
      }
    },
  };
}
