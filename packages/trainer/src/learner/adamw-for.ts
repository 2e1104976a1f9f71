import { AdamW } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';

/** An AdamW with the recipe's moments, epsilon and weight decay, at `learningRate`. */
export function adamWFor(optimization: Recipe['optimization'], learningRate: number): AdamW {
  return new AdamW({
    learningRate,
    beta1: optimization.adamBeta1,
    beta2: optimization.adamBeta2,
    epsilon: optimization.adamEpsilon,
    weightDecay: optimization.weightDecay,
  });
}

/** The critics' optimizer: at `criticLearningRate`, else the policy's rate. */
export function criticAdamW(optimization: Recipe['optimization']): AdamW {
  return adamWFor(optimization, optimization.criticLearningRate ?? optimization.learningRate);
}
