import type { RewardFunctionV1, RewardSampleV1 } from '@rlgf/contracts';

export interface RewardContractOptions {
  /** Realistic samples (at least two). For `token` rewards, give `generationIds`. */
  readonly samples: readonly RewardSampleV1[];
}

/** The behaviour every reward plugin promises. */
export function describeRewardContract(name: string, createReward: () => Promise<RewardFunctionV1>, options: RewardContractOptions): void {
  describe(`reward contract: ${name}`, () => {
    let reward: RewardFunctionV1;
    beforeAll(async () => {
      reward = await createReward();
    });
    afterAll(async () => {
      await reward?.close?.();
    });

    it('declares version, id and granularity', () => {
      expect(reward.specificationVersion).toBe('v1');
      expect(reward.id.length).toBeGreaterThan(0);
      expect(['terminal', 'token']).toContain(reward.granularity);
    });

    it('scores every sample with a finite number, the same on every call', async () => {
      const first = await reward.doScore({ samples: options.samples });
      expect(first.scores).toHaveLength(options.samples.length);
      for (const score of first.scores) expect(Number.isFinite(score)).toBe(true);
      const second = await reward.doScore({ samples: options.samples });
      expect(second.scores).toEqual(first.scores);
    });

    it('aligns per-token scores with the generation tokens when it is a token reward', async () => {
      const result = await reward.doScore({ samples: options.samples });
      if (reward.granularity === 'terminal') {
        expect(result.tokenScores).toBeUndefined();
        return;
      }
      expect(result.tokenScores).toHaveLength(options.samples.length);
      result.tokenScores?.forEach((scores, i) => {
        expect(scores).toHaveLength(options.samples[i].generationIds?.length ?? 0);
        const sum = scores.reduce((a, b) => a + b, 0);
        expect(sum).toBeCloseTo(result.scores[i], 5);
      });
    });

    it('returns no scores for no samples', async () => {
      const result = await reward.doScore({ samples: [] });
      expect(result.scores).toEqual([]);
    });
  });
}
