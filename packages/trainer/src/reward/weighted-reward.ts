import { InvalidArgumentError, type RewardFunctionV1, type RewardSampleV1, type WarningV1 } from '@rlgf/contracts';

export interface WeightedReward {
  readonly reward: RewardFunctionV1;
  readonly weight: number;
}

export interface WeightedScores {
  /** Weighted sum per sample. */
  readonly total: number[];
  /** Per-token weighted sums, when any reward is per-token (terminal rewards go on the last token). */
  readonly tokenScores?: number[][];
  /** Each reward's own scores, by reward id (for tracking). */
  readonly parts: Readonly<Record<string, number[]>>;
  readonly warnings: WarningV1[];
}

/** Scores samples with every reward and sums them with their weights (rewards run one after another). */
export async function scoreWeighted(rewards: readonly WeightedReward[], samples: readonly RewardSampleV1[]): Promise<WeightedScores> {
  const total = new Array<number>(samples.length).fill(0);
  const parts: Record<string, number[]> = {};
  const warnings: WarningV1[] = [];
  const anyPerToken = rewards.some(({ reward }) => reward.granularity === 'token');
  const tokenScores = anyPerToken ? samples.map((s) => new Array<number>(s.generationIds?.length ?? 0).fill(0)) : undefined;
  for (const { reward, weight } of rewards) {
    const result = await reward.doScore({ samples });
    if (result.scores.length !== samples.length) {
      throw new InvalidArgumentError({
        argument: `reward "${reward.id}"`,
        value: result.scores.length,
        expected: `${samples.length} scores, one per sample`,
      });
    }
    parts[reward.id] = [...result.scores];
    warnings.push(...result.warnings);
    result.scores.forEach((score, i) => {
      total[i] += weight * score;
      if (!tokenScores) return;
      const row = tokenScores[i];
      if (reward.granularity === 'token' && result.tokenScores) {
        result.tokenScores[i].forEach((value, t) => (row[t] += weight * value));
      } else if (row.length > 0) {
        row[row.length - 1] += weight * score;
      }
    });
  }
  return { total, tokenScores, parts, warnings };
}
