import type { CheckpointStoreV1, LoggerV1, TrackerV1 } from '@rlgf/contracts';
import { Rng, type Progress } from '@rlgf/core';
import type { Recipe } from '@rlgf/recipe';
import * as tf from '@tensorflow/tfjs-core';
import type { Learner } from '../learner/learner';
import { mleLoss } from '../losses/ppo-losses';
import { learningRateAt } from '../update/gradients';
import { optimizerStep } from '../update/optimizer-step';
import { writeRunState } from './run-state';
import type { SftExample } from './sft-examples';

export interface SftParts {
  readonly recipe: Recipe;
  readonly examples: readonly SftExample[];
  readonly learner: Learner;
  readonly tracker: TrackerV1;
  readonly store: CheckpointStoreV1;
  readonly progress: Progress;
  readonly logger: LoggerV1;
  /** First epoch to run (after a resumed checkpoint). */
  readonly startEpoch: number;
}

/**
 * Supervised fine-tuning: maximum likelihood of the task references given the prompts, seeded
 * shuffling per epoch, AdamW with linear decay, a checkpoint after every epoch.
 */
export async function trainSft(parts: SftParts): Promise<{ readonly steps: number; readonly lastLoss: number }> {
  const { recipe, learner, examples } = parts;
  const { epochs, batchSize, learningRate } = recipe.sft;
  const stepsPerEpoch = Math.ceil(examples.length / batchSize);
  let lastLoss = Number.NaN;
  parts.progress.update(parts.startEpoch * stepsPerEpoch);
  for (let epoch = parts.startEpoch; epoch < epochs; epoch++) {
    const order = Rng.fromSeed(recipe.seed, 'sft-order', epoch).shuffle(examples.map((_, i) => i));
    let epochLoss = 0;
    for (let step = 0; step < stepsPerEpoch; step++) {
      const rows = order.slice(step * batchSize, (step + 1) * batchSize).map((i) => examples[i]);
      const width = Math.max(...rows.map((row) => row.tokens.length));
      const batch = learner.policy.continuationBatch(rows, width);
      const mask = tf.tensor2d(rows.map((row) => Array.from({ length: width }, (_, t) => (t < row.tokens.length ? 1 : 0))));
      try {
        const result = await optimizerStep({
          variables: learner.policy.trainableVariables,
          optimizer: learner.policyOptimizer,
          learningRate: learningRateAt('linear', learningRate, learner.policyOptimizer.stepCount, epochs * stepsPerEpoch),
          maxGradNorm: recipe.optimization.maxGradNorm,
          iteration: epoch + 1,
          quantity: 'SFT loss',
          lossFn: () => mleLoss(learner.policy.scoreContinuations(batch).logProbs, mask),
        });
        lastLoss = result.loss;
        epochLoss += result.loss;
      } finally {
        batch.dispose();
        mask.dispose();
      }
      parts.progress.update(epoch * stepsPerEpoch + step + 1, { epoch: epoch + 1, loss: lastLoss });
    }
    // Rows and checkpoints count completed epochs, from 1, as the RL trainer counts iterations.
    const completed = epoch + 1;
    parts.tracker.logIteration(completed, { 'sft/loss': epochLoss / stepsPerEpoch, 'sft/examples': examples.length });
    await parts.tracker.flush();
    await parts.store.save(completed, async (dir) => {
      await learner.save(dir);
      await writeRunState(dir, { algorithm: 'sft', seed: recipe.seed, iteration: completed, phase: 'sft', kl: { kind: 'fixed', coef: 0 } });
    });
  }
  parts.progress.finish();
  return { steps: (epochs - parts.startEpoch) * stepsPerEpoch, lastLoss };
}
