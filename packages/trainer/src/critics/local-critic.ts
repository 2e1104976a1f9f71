import type { AdamW, ContinuationRow, Critic, TrainableLanguageModel } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import { clippedValueLoss } from '../losses/ppo-losses';
import { inChunks } from '../rollout/forward-scores';
import { optimizerStep, type StepResult } from '../update/optimizer-step';
import type { CriticAccess, ValueMinibatch, ValueStepSettings } from './critic-access';

/**
 * A critic on this thread with the optimizer that steps it (the policy's optimizer for a head on
 * the policy's trunk). `scorer` lays out continuation batches: the policy, or the critic's own
 * trunk where no policy is at hand (a critic thread).
 */
export class LocalCritic implements CriticAccess {
  constructor(
    readonly critic: Critic,
    private readonly optimizer: AdamW,
    private readonly scorer: TrainableLanguageModel,
  ) {}

  get onPolicyTrunk(): Critic | undefined {
    return this.critic.shared ? this.critic : undefined;
  }

  values(rows: readonly ContinuationRow[], width: number, chunkRows: number): Promise<number[][]> {
    return inChunks(rows, chunkRows, async (chunk) => {
      const batch = this.scorer.continuationBatch(chunk, width);
      const values = tf.tidy(() => this.critic.continuationValues(batch));
      batch.dispose();
      const out = (await values.array()) as number[][];
      values.dispose();
      return out;
    });
  }

  async step(minibatch: ValueMinibatch, settings: ValueStepSettings): Promise<StepResult> {
    const sequences = this.scorer.continuationBatch(minibatch.rows, minibatch.width);
    const table = (rows: readonly (readonly number[])[]) => tf.tensor2d(rows.map((row) => [...row]), [minibatch.rows.length, minibatch.width]);
    const oldValues = table(minibatch.oldValues);
    const returns = table(minibatch.returns);
    const mask = table(minibatch.valueMask);
    try {
      return await optimizerStep({
        variables: this.critic.variables,
        optimizer: this.optimizer,
        learningRate: settings.learningRate,
        maxGradNorm: settings.maxGradNorm,
        iteration: settings.iteration,
        quantity: 'value loss',
        lossFn: () => {
          const values = this.critic.continuationValues(sequences);
          return tf.mul(settings.valueCoef, clippedValueLoss({ values, oldValues, returns, mask, clipRange: settings.clipRangeValue }));
        },
      });
    } finally {
      sequences.dispose();
      tf.dispose([oldValues, returns, mask]);
    }
  }
}
