import 'reflect-metadata';
import {
  GUIDE_FACTORY,
  METRIC_FACTORY,
  REWARD_FACTORY,
  REWARD_TRAINER_FACTORY,
  TASK_FACTORY,
  TRACKER_FACTORY,
  type ComponentFactoryV1,
  type ComponentKindV1,
  type InjectionTokenV1,
} from '@rlgf/contracts';
import type { DependencyContainer } from 'tsyringe';

/** The factory token of each component kind. */
export const factoryTokens: { readonly [K in ComponentKindV1]: InjectionTokenV1<ComponentFactoryV1<K>> } = {
  task: TASK_FACTORY,
  guide: GUIDE_FACTORY,
  reward: REWARD_FACTORY,
  metric: METRIC_FACTORY,
  'reward-trainer': REWARD_TRAINER_FACTORY,
  tracker: TRACKER_FACTORY,
};

export const componentKinds = Object.keys(factoryTokens) as ComponentKindV1[];

/** Registers a value under a typed token. */
export function registerValue<T>(container: DependencyContainer, token: InjectionTokenV1<T>, value: T): void {
  container.register<T>(token, { useValue: value });
}

/** Resolves a typed token; `undefined` when nothing is registered (in this container or above). */
export function tryResolve<T>(container: DependencyContainer, token: InjectionTokenV1<T>): T | undefined {
  return container.isRegistered(token, true) ? container.resolve<T>(token) : undefined;
}

/** Every value registered under a typed token, in registration order (none: empty). */
export function resolveAllValues<T>(container: DependencyContainer, token: InjectionTokenV1<T>): T[] {
  return container.isRegistered(token, true) ? container.resolveAll<T>(token) : [];
}
