import { z } from 'zod';
import { groupRelativeEstimator } from '../advantages/group-estimators';
import { defineAlgorithm } from './algorithm';
import type { IterationPlan, LossAggregation } from './iteration-plan';
import { groupDividesBatch, lossType, numGenerations } from './settings';

const aggregation: Record<z.output<typeof lossType>, LossAggregation> = { grpo: 'sequence', dapo: 'token', dr_grpo: 'constant' };

const grpoSettings = {
  numGenerations: numGenerations(4),
  scaleRewards: z
    .enum(['group', 'batch', 'none'])
    .default('group')
    .describe("Divide each group's centred rewards by the group's std (GRPO), the batch's, or not at all (`none`: Dr. GRPO). TRL's `scale_rewards`."),
  lossType,
};

type GrpoSettings = { readonly numGenerations: number; readonly scaleRewards: 'group' | 'batch' | 'none'; readonly lossType: z.output<typeof lossType> };

/** The plan of a GRPO iteration: no critic, group-relative advantages, the KL in the loss. */
function grpoPlan(settings: GrpoSettings, guide: Pick<IterationPlan, 'phase' | 'rollIn' | 'rollOut' | 'switchProbability'>): IterationPlan {
  return {
    ...guide,
    switchPer: 'group',
    trainPolicy: true,
    advantage: groupRelativeEstimator(settings.scaleRewards),
    kl: 'loss',
    lossAggregation: aggregation[settings.lossType],
  };
}

/**
 * GRPO (Shao et al. 2024): G samples per prompt, advantages relative to the group, the clipped
 * ratio, the KL to the reference as a loss term (`kl.coef` is its β, `kl.estimator` its estimator,
 * k3 as published). No critic is loaded.
 */
export const grpo = defineAlgorithm({
  name: 'grpo',
  description: 'GRPO: G samples per prompt, group-relative advantages, KL in the loss, no critic',
  settings: z.strictObject(grpoSettings),
  check: (settings, recipe) => groupDividesBatch(settings.numGenerations, recipe),
  schedule: (settings) => {
    const plan = grpoPlan(settings, { phase: 'grpo', rollIn: 'none', rollOut: 'policy', switchProbability: 0 });
    return { name: 'grpo', critics: [], usesGuide: false, groupSize: settings.numGenerations, planFor: () => plan };
  },
});

/**
 * GRPO++: GRPO with the paper's restart distribution. With probability β a *group* starts from
 * one guide roll-in of k ~ U{1, …, L−1} tokens that all its G samples continue; the loss covers
 * the policy's tokens after k. The prefix is shared by the group because the group mean is the
 * baseline: with one start state s_k for all G samples, R_i − mean_j R_j estimates the advantage
 * of sample i's continuation from s_k; with a prefix per sample the samples would start from
 * different states, and the baseline would carry the spread of V(s_k) between them as noise (and
 * bias) in every advantage (docs/algorithms.md).
 */
export const grpoPlusPlus = defineAlgorithm({
  name: 'grpo++',
  description: "GRPO from the guide's roll-ins: with probability β a group of samples continues one shared guide prefix",
  settings: z.strictObject({
    ...grpoSettings,
    ppoPlusPlusBeta: z.number().min(0).max(1).default(0.6).describe('β of GRPO++: probability that a group starts from a guide roll-in of k ≥ 1 tokens, shared by its samples.'),
  }),
  check: (settings, recipe) => groupDividesBatch(settings.numGenerations, recipe),
  schedule: (settings) => {
    const plan = grpoPlan(settings, { phase: 'grpo++', rollIn: 'guide', rollOut: 'policy', switchProbability: settings.ppoPlusPlusBeta });
    return { name: 'grpo++', critics: [], usesGuide: true, groupSize: settings.numGenerations, planFor: () => plan };
  },
});

/**
 * AggreVaTeD in group form: every group shares one switch step k; each sample's learner writes k
 * tokens, the guide completes each, and the learner's prefixes are compared within the group.
 * With πg completing every sample, R_i estimates Q^{πg}(s_0, prefix_i) and the group mean (of
 * prefixes of the same length from the same prompt) is a baseline for it: the gradient is
 * AggreVaTeD's at the prefix level, without a guide critic (docs/algorithms.md).
 */
export const grpoAggrevated = defineAlgorithm({
  name: 'grpo-aggrevated',
  description: "AggreVaTeD without a critic: a group's learner prefixes of one shared length k, completed by the guide, compared within the group",
  settings: z.strictObject({
    ...grpoSettings,
    aggrevatedBeta: z
      .number()
      .min(0)
      .max(1)
      .default(1)
      .describe('β: probability that a group switches to the guide after k ≥ 1 learner tokens (a group that does not is written by the guide alone and trains nothing).'),
  }),
  check: (settings, recipe) => groupDividesBatch(settings.numGenerations, recipe),
  schedule: (settings) => {
    const plan = grpoPlan(settings, { phase: 'grpo-aggrevated', rollIn: 'policy', rollOut: 'guide', switchProbability: settings.aggrevatedBeta });
    return { name: 'grpo-aggrevated', critics: [], usesGuide: true, groupSize: settings.numGenerations, planFor: () => plan };
  },
});
