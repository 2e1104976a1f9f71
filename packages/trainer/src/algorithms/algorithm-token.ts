import { injectionToken, type InjectionTokenV1 } from '@rlgf/contracts';
import type { AlgorithmModule } from './algorithm';

/**
 * The token under which a plugin registers an RL algorithm module (`container.register(RL_ALGORITHM,
 * { useValue: module })` in its `register`). It lives here rather than in the contracts package
 * because an algorithm is made of the trainer's own types (iteration plans, advantage
 * estimators): a plugin that adds one builds on `@rlgf/trainer`.
 */
export const RL_ALGORITHM: InjectionTokenV1<AlgorithmModule> = injectionToken<AlgorithmModule>('rl-algorithm');
