import {
  InvalidArgumentError,
  MODEL_LOADER,
  POLICY_MODEL,
  POLICY_TOKENIZER,
  UnknownComponentError,
  type ComponentContextV1,
  type ComponentFactoryV1,
  type ComponentKindsV1,
  type ComponentKindV1,
  type ComponentRefV1,
  type HubFilesV1,
  type LoggerV1,
} from '@rlgf/contracts';
import type { DependencyContainer } from 'tsyringe';
import { validateComponentOptions } from '../schema/component-options';
import { factoryTokens, resolveAllValues, tryResolve } from './tokens';

/** All factories of a kind registered in the container, sorted by id. */
export function listFactories<K extends ComponentKindV1>(
  container: DependencyContainer,
  kind: K,
): ComponentFactoryV1<K>[] {
  return resolveAllValues(container, factoryTokens[kind]).sort((a, b) => a.id.localeCompare(b.id));
}

/** The factory registered for `kind` and `id`, or an error listing the known ids. */
export function findFactory<K extends ComponentKindV1>(
  container: DependencyContainer,
  kind: K,
  id: string,
): ComponentFactoryV1<K> {
  const factories = listFactories(container, kind);
  const found = factories.find((factory) => factory.id === id);
  if (!found) throw new UnknownComponentError({ kind, id, known: factories.map((factory) => factory.id) });
  return found;
}

export interface ComponentContextSettings {
  readonly container: DependencyContainer;
  readonly hub: HubFilesV1;
  readonly logger: LoggerV1;
  readonly seed: number;
  readonly cacheDir: string;
  /** Default: the process's working directory. */
  readonly workingDirectory?: string;
  /** The run's output folder, for trackers; absent outside a training run. */
  readonly runDirectory?: string;
}

// The container a context's components are found in. Kept out of the context itself: plugins get
// typed fields, and only the core resolves factories.
const containers = new WeakMap<ComponentContextV1, DependencyContainer>();

function containerOf(context: ComponentContextV1): DependencyContainer {
  const container = containers.get(context);
  if (!container) throw new InvalidArgumentError({ argument: 'context', expected: 'a component context made by createComponentContext' });
  return container;
}

/**
 * The context handed to factories; `createComponent` resolves further components by reference.
 * The policy fields are read from the container when asked for, so a context made before the
 * trainer registers the policy still sees it afterwards.
 */
export function createComponentContext(settings: ComponentContextSettings): ComponentContextV1 {
  const { container, ...fields } = settings;
  const context: ComponentContextV1 = {
    ...fields,
    workingDirectory: settings.workingDirectory ?? process.cwd(),
    get policyTokenizer() {
      return tryResolve(container, POLICY_TOKENIZER);
    },
    get policyModel() {
      return tryResolve(container, POLICY_MODEL);
    },
    get models() {
      return tryResolve(container, MODEL_LOADER);
    },
    createComponent: <K extends ComponentKindV1>(kind: K, ref: ComponentRefV1) => createComponent(context, kind, ref),
  };
  containers.set(context, container);
  return context;
}

/** Creates a component from a recipe reference, checking that the factory returned the right thing. */
export async function createComponent<K extends ComponentKindV1>(
  context: ComponentContextV1,
  kind: K,
  ref: ComponentRefV1,
): Promise<ComponentKindsV1[K]> {
  if (typeof ref?.id !== 'string' || ref.id === '') {
    throw new InvalidArgumentError({ argument: `${kind}.id`, value: ref?.id, expected: `the id of a registered ${kind}` });
  }
  return createComponentWith(context, findFactory(containerOf(context), kind, ref.id), ref.options ?? {});
}

/**
 * Creates a component with a given factory as `createComponent` does for a registered one: the
 * options are validated by its schema first. For factories built with test collaborators (a fake
 * clock, an environment), which are never registered.
 */
export async function createComponentWith<K extends ComponentKindV1>(
  context: ComponentContextV1,
  factory: ComponentFactoryV1<K>,
  options: Readonly<Record<string, unknown>>,
): Promise<ComponentKindsV1[K]> {
  const kind = factory.kind;
  const component = await factory.create(await validateComponentOptions(factory, options, kind), context);
  if (component?.specificationVersion !== 'v1') {
    throw new InvalidArgumentError({
      argument: `${kind} "${factory.id}"`,
      value: component?.specificationVersion,
      expected: 'a component with specificationVersion "v1" from its factory',
      hint: `the plugin providing ${kind} "${factory.id}" is incompatible with this core`,
    });
  }
  return component;
}
