import { Rng } from '@rlgf/core';
import type { Recipe } from '@rlgf/recipe';
import type { AdamW, TrainableLanguageModel } from '@rlgf/models';
import * as tf from '@tensorflow/tfjs-core';
import type { IterationPlan } from '../algorithms/iteration-plan';
import { besideCaller, type CriticAccess } from '../critics/critic-access';
import { aggregateTokens, clippedPolicyLoss, clippedValueLoss, mleLoss, policyStatistics } from '../losses/ppo-losses';
import { klPerTokenTensor, type KlEstimator } from '../math/kl';
import type { TrainingBatch } from '../rollout/training-batch';
import { learningRateAt } from './gradients';
import { minibatchTensors, valueMinibatch } from './minibatch-tensors';
import { optimizerStep } from './optimizer-step';

export interface UpdateModels {
  readonly policy: TrainableLanguageModel;
  /** The plan's critic; none for critic-free plans (GRPO, RLOO, REINFORCE++). */
  readonly critic?: CriticAccess;
  readonly policyOptimizer: AdamW;
}

export interface UpdateSettings {
  readonly plan: IterationPlan;
  readonly iteration: number;
  readonly seed: number;
  readonly optimization: Recipe['optimization'];
  /** Minibatch steps of the whole run, for the linear schedule. */
  readonly totalSteps: number;
  /** β·KL(πθ ‖ πref) as a loss term on the policy's tokens (plans with the KL in the loss). */
  readonly klLoss?: { readonly coef: number; readonly estimator: KlEstimator };
}

function averages(rows: readonly Record<string, number>[]): Record<string, number> {
  const sums: Record<string, { total: number; count: number }> = {};
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      sums[key] ??= { total: 0, count: 0 };
      sums[key].total += value;
      sums[key].count += 1;
    }
  }
  return Object.fromEntries(Object.entries(sums).map(([key, { total, count }]) => [key, total / count]));
}

/**
 * The one PPO update loop every algorithm shares: epochs × seeded minibatches; a policy step
 * (clipped surrogate on the plan's policy mask, entropy bonus, auxiliary MLE loss) and a critic
 * step (clipped value loss on the value mask); one combined step when the critic shares the
 * policy's trunk. Stops early when the approximate KL passes `targetKl`.
 */
export async function ppoUpdate(batch: TrainingBatch, models: UpdateModels, settings: UpdateSettings): Promise<Record<string, number>> {
  const o = settings.optimization;
  const { policy, critic } = models;
  const rows = batch.rows.length;
  const size = Math.min(o.minibatchSize, rows);
  const records: Record<string, number>[] = [];
  // Both schedules follow the run's position (iteration, epoch, minibatch), not an optimizer's own
  // step count: a critic that starts late (D2LOLS at τ) or skips minibatches continues at the rate
  // the run has reached instead of restarting at the peak.
  const minibatches = Math.ceil(rows / size);
  const positionOf = (epoch: number, start: number) => (settings.iteration * o.epochs + epoch) * minibatches + start / size;
  let stoppedEarly = 0;

  epochs: for (let epoch = 0; epoch < o.epochs; epoch++) {
    const order = Rng.fromSeed(settings.seed, 'minibatch-order', settings.iteration, epoch).shuffle(Array.from({ length: rows }, (_, i) => i));
    for (let start = 0; start < rows; start += size) {
      const position = positionOf(epoch, start);
      const policyLr = learningRateAt(o.schedule, o.learningRate, position, settings.totalSteps);
      const criticLr = learningRateAt(o.schedule, o.criticLearningRate ?? o.learningRate, position, settings.totalSteps);
      const rowsOf = order.slice(start, start + size);
      const m = minibatchTensors(batch, rowsOf, policy, settings.plan.trainPolicy && o.targetCoef > 0);
      try {
        const record: Record<string, number> = {};
        const onTrunk = critic?.onPolicyTrunk;
        // One combined step trains the policy and a critic on its trunk; without policy tokens
        // (value-only plans, or AggreVaTeD minibatches of k = 0 samples) the critic steps alone.
        const combined = onTrunk !== undefined && settings.plan.trainPolicy && m.hasPolicyTokens;
        // A critic on its own thread takes its step while this thread steps the policy; the two
        // touch no common variable, so the order changes no result.
        const valueStep =
          critic !== undefined && !combined && m.hasValueTokens
            ? besideCaller(critic, () =>
                critic.step(valueMinibatch(batch, rowsOf), {
                  // A critic on the policy's trunk trains its head alone here, at the rate of the
                  // combined step: value-only steps do not move the policy.
                  learningRate: onTrunk ? policyLr : criticLr,
                  maxGradNorm: o.maxGradNorm,
                  valueCoef: o.valueCoef,
                  clipRangeValue: o.clipRangeValue,
                  iteration: settings.iteration + 1,
                }),
              )
            : undefined;
        if (settings.plan.trainPolicy && m.hasPolicyTokens) {
          let logProbs: tf.Tensor2D | undefined;
          const step = await optimizerStep({
            variables: combined ? [...policy.trainableVariables, ...onTrunk.head.variables] : policy.trainableVariables,
            optimizer: models.policyOptimizer,
            learningRate: policyLr,
            maxGradNorm: o.maxGradNorm,
            iteration: settings.iteration + 1,
            quantity: 'policy loss',
            lossFn: () => {
              const scores = policy.scoreContinuations(m.sequences);
              logProbs = tf.keep(scores.logProbs);
              const aggregation = settings.plan.lossAggregation;
              let loss = clippedPolicyLoss({ logProbs, oldLogProbs: m.oldLogProbs, advantages: m.advantages, mask: m.policyMask, clipRange: o.clipRange, aggregation });
              if (o.entropyCoef > 0) loss = tf.sub(loss, tf.mul(o.entropyCoef, aggregateTokens(scores.entropies, m.policyMask, aggregation)));
              if (settings.klLoss && settings.klLoss.coef > 0) {
                const kl = klPerTokenTensor(logProbs, m.referenceLogProbs, settings.klLoss.estimator);
                loss = tf.add(loss, tf.mul(settings.klLoss.coef, aggregateTokens(kl, m.policyMask, aggregation)));
              }
              if (combined) {
                const values = onTrunk.valuesFromHidden(scores.hidden);
                const valueLoss = clippedValueLoss({ values, oldValues: m.oldValues, returns: m.returns, mask: m.valueMask, clipRange: o.clipRangeValue });
                loss = tf.add(loss, tf.mul(o.valueCoef, valueLoss));
              }
              if (m.references) loss = tf.add(loss, tf.mul(o.targetCoef, mleLoss(policy.scoreContinuations(m.references).logProbs, m.referenceMask)));
              return loss;
            },
          });
          const kept = logProbs as tf.Tensor2D | undefined;
          if (kept) {
            const stats = await policyStatistics({ logProbs: kept, oldLogProbs: m.oldLogProbs, mask: m.policyMask, clipRange: o.clipRange });
            kept.dispose();
            Object.assign(record, { 'policy/loss': step.loss, 'policy/grad_norm': step.gradNorm, 'policy/clip_fraction': stats.clipFraction, 'policy/approx_kl': stats.approxKl });
            if (o.targetKl !== undefined && stats.approxKl > o.targetKl) stoppedEarly = records.length + 1;
          }
        }
        if (valueStep !== undefined) {
          const step = await valueStep();
          Object.assign(record, { 'value/loss': step.loss / Math.max(o.valueCoef, 1e-12), 'value/grad_norm': step.gradNorm });
        }
        records.push(record);
      } finally {
        m.dispose();
      }
      if (stoppedEarly > 0) break epochs;
    }
  }
  return { ...averages(records), 'update/minibatches': records.length, 'update/early_stop': stoppedEarly > 0 ? 1 : 0 };
}
