import { NumericalError, type TokenizerV1 } from '@rlgf/contracts';
import type { ContinuationRow, TrainableLanguageModel } from '@rlgf/models';
import { besideCaller, type CriticAccess } from '../critics/critic-access';
import { lossMasks, type IterationPlan } from '../algorithms/iteration-plan';
import type { KlEstimator } from '../math/kl';
import { meanAndStd } from '../math/statistics';
import { tokenRewards } from '../math/token-rewards';
import { scoreWeighted, type WeightedReward } from '../reward/weighted-reward';
import { modelScores } from './forward-scores';
import type { RolloutSample } from './rollout-sample';
import { rolloutStatistics } from './rollout-statistics';
import { writerKl } from './writer-kl';
import { continuationIds, continuationText } from '@rlgf/models';
import type { TrainingBatch } from './training-batch';

export interface ScoringModels {
  readonly policy: TrainableLanguageModel;
  readonly reference: TrainableLanguageModel;
  /** The plan's critic; none for critic-free plans. */
  readonly critic?: CriticAccess;
  readonly rewards: readonly WeightedReward[];
  readonly tokenizer: TokenizerV1;
}

export interface ScoringSettings {
  readonly plan: IterationPlan;
  readonly iteration: number;
  readonly generationLength: number;
  /** Group (prompt) id per sample, for group-relative advantages; default: each sample alone. */
  readonly groups?: readonly number[];
  readonly klCoef: number;
  readonly klEstimator: KlEstimator;
  /** False drops the KL term from the reward (`kl.inGuidedReward: false` in guided phases). */
  readonly klInReward: boolean;
  readonly gamma: number;
  readonly lambda: number;
  readonly whitenAdvantages: boolean;
  readonly chunkRows: number;
  /** Index of the reference used for the MLE loss, per sample. */
  readonly referenceIndex: (sampleIndex: number) => number;
}

export interface ScoredRollout {
  readonly batch: TrainingBatch;
  /** Per-token rewards r_t of each sample (task score and the policy tokens' KL penalty), [samples][T]. */
  readonly tokenRewards: readonly number[][];
  /** Iteration statistics for tracking. */
  readonly stats: Record<string, number>;
  /** Generated texts and their total rewards, for logs and summaries. */
  readonly texts: readonly { readonly prompt: string; readonly generation: string; readonly reward: number }[];
}

function assertFinite(values: readonly number[], quantity: string, iteration: number): void {
  const bad = values.find((value) => !Number.isFinite(value));
  // Messages count iterations from 1; `iteration` is the 0-based index the seeds use.
  if (bad !== undefined) throw new NumericalError({ iteration: iteration + 1, quantity, value: bad });
}

/**
 * Scores an iteration's samples: old log-probs (policy), reference log-probs (KL), critic values
 * (of the plan's critic), task rewards; then per-token rewards r_t = 1[t=T−1]·R − β·kl_t with the
 * KL on the tokens the policy wrote only (when the plan puts the KL in the reward), advantages by
 * the plan's estimator (GAE, guide-q, group-relative, leave-one-out, batch-normalised) and loss
 * masks.
 */
export async function scoreRollout(samples: readonly RolloutSample[], models: ScoringModels, settings: ScoringSettings): Promise<ScoredRollout> {
  const T = settings.generationLength;
  const rows: ContinuationRow[] = samples.map((sample) => ({ promptIds: sample.promptIds, tokens: sample.tokens.slice(0, T) }));
  // A critic on its own thread computes its values while this thread scores.
  const critic = models.critic;
  const criticValues = critic && besideCaller(critic, () => critic.values(rows, T, settings.chunkRows));
  const policyScores = await modelScores(models.policy, rows, T, settings.chunkRows);
  const referenceScores = await modelScores(models.reference, rows, T, settings.chunkRows);
  const values = (await criticValues?.()) ?? rows.map(() => new Array<number>(T).fill(0));

  const generations = samples.map((sample) => continuationText(models.tokenizer, sample.promptIds, sample.tokens));
  const rewardsStarted = performance.now();
  const scored = await scoreWeighted(
    models.rewards,
    samples.map((sample, i) => ({
      prompt: sample.task.prompt,
      generation: generations[i],
      references: sample.task.references,
      generationIds: sample.tokens,
      meta: sample.task.meta,
    })),
  );
  const rewardMs = performance.now() - rewardsStarted;
  assertFinite(scored.total, 'reward', settings.iteration);

  const klCoef = settings.klInReward ? settings.klCoef : 0;
  const perSample = samples.map((sample, i) => {
    const length = Math.min(sample.tokens.length, T);
    const kl = writerKl({
      policyLogProbs: policyScores.logProbs[i],
      referenceLogProbs: referenceScores.logProbs[i],
      writers: sample.writers,
      length,
      estimator: settings.klEstimator,
    });
    const rewards = tokenRewards({ length, width: T, score: scored.total[i], tokenScores: scored.tokenScores?.[i], kl: kl.policy, klCoef });
    const masks = sample.excluded ? { policy: new Array<number>(T).fill(0), value: new Array<number>(T).fill(0) } : lossMasks(settings.plan, sample.switchStep, length, T);
    return { length, kl, rewards, masks };
  });
  const policyMask = perSample.map((s) => s.masks.policy);
  const { advantages, returns } = settings.plan.advantage.estimate({
    tokenRewards: perSample.map((s) => s.rewards),
    values,
    lengths: perSample.map((s) => s.length),
    switchSteps: samples.map((s) => s.switchStep),
    excluded: samples.map((s) => s.excluded),
    groups: settings.groups ?? samples.map((_, i) => i),
    policyMask,
    gamma: settings.gamma,
    lambda: settings.lambda,
    whiten: settings.whitenAdvantages,
  });
  assertFinite(advantages.flat(), 'advantage', settings.iteration);

  const referenceRows = samples.map((sample, i) => {
    const reference = sample.task.references[settings.referenceIndex(i)] ?? '';
    const context = { ids: sample.promptIds, text: models.tokenizer.decode(sample.promptIds) };
    return { promptIds: sample.promptIds, tokens: continuationIds(models.tokenizer, context, reference).slice(0, T) };
  });

  const valued = perSample.flatMap((s, i) => s.masks.value.flatMap((m, t) => (m > 0 ? [[values[i][t], returns[i][t]]] : [])));
  const stats: Record<string, number> = {
    ...rolloutStatistics(
      samples.map((sample, i) => ({
        sample,
        length: perSample[i].length,
        reward: scored.total[i],
        policyKl: perSample[i].kl.policy.reduce((a, b) => a + b, 0),
        guideLogRatio: perSample[i].kl.guideLogRatio,
        entropies: policyScores.entropies[i],
      })),
      { values: valued.map(([v]) => v), returns: valued.map(([, r]) => r) },
    ),
    'kl/coef': settings.klCoef,
    'time/reward_ms': rewardMs,
  };
  for (const [id, part] of Object.entries(scored.parts)) stats[`reward/${id}`] = meanAndStd(part).mean;

  return {
    batch: {
      rows,
      width: T,
      oldLogProbs: policyScores.logProbs,
      referenceLogProbs: referenceScores.logProbs,
      oldValues: values,
      advantages,
      returns,
      policyMask,
      valueMask: perSample.map((s) => s.masks.value),
      references: { rows: referenceRows, mask: referenceRows.map((row) => Array.from({ length: T }, (_, t) => (t < row.tokens.length ? 1 : 0))) },
    },
    tokenRewards: perSample.map((s) => s.rewards),
    stats,
    texts: samples.map((sample, i) => ({ prompt: sample.task.prompt, generation: generations[i], reward: scored.total[i] })),
  };
}
