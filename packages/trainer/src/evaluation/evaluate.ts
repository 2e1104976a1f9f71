import type { DecodingV1, LanguageModelV1, MetricV1, TaskSampleV1, TokenizerV1 } from '@rlgf/contracts';
import { deriveSeed } from '@rlgf/core';
import { continuationText } from '@rlgf/models';
import { meanAndStd } from '../math/statistics';
import { sharePolicy, type PolicyCopies } from '../policy-copies/share-policy';
import { generateWithPolicy } from '../rollout/policy-generation';
import { scoreWeighted, type WeightedReward } from '../reward/weighted-reward';

export interface EvaluationRequest {
  readonly samples: readonly TaskSampleV1[];
  readonly promptIds: readonly (readonly number[])[];
  readonly decoding: DecodingV1;
  readonly maxNewTokens: number;
  readonly minNewTokens: number;
  readonly batchSize: number;
  readonly seedOf: (chunk: number) => number;
  /**
   * Best-of-N: sample N continuations per prompt and keep the one the rewards rank highest
   * (the baseline of Dubois et al. 2023 that the paper cites). Default 1.
   */
  readonly bestOf?: number;
}

export interface EvaluationResult {
  /** `reward` (weighted total), `reward/<id>` per reward, and every metric's corpus scores. */
  readonly values: Record<string, number>;
  readonly predictions: readonly { readonly prompt: string; readonly prediction: string; readonly references: readonly string[]; readonly reward: number }[];
  /** Wall-clock milliseconds of each part: generation (Best-of-N's scoring included), the rewards, and each metric by its id. */
  readonly timings: { readonly generationMs: number; readonly rewardsMs: number; readonly metricsMs: Readonly<Record<string, number>> };
}

/** Generates for every sample with the evaluation decoding, then scores with the rewards and the task metrics. */
export async function evaluatePolicy(
  request: EvaluationRequest,
  parts: {
    readonly policy: LanguageModelV1;
    /** Copies of the policy with its current weights that generate chunks and score metric batches beside it (same answers). */
    readonly policyCopies?: PolicyCopies;
    readonly tokenizer: TokenizerV1;
    readonly rewards: readonly WeightedReward[];
    readonly metrics: readonly MetricV1[];
  },
): Promise<EvaluationResult> {
  const candidates = request.bestOf ?? 1;
  const generationStarted = performance.now();
  let best: { tokens: number[]; text: string; reward: number }[] = [];
  for (let draw = 0; draw < candidates; draw++) {
    const tokens = await generateWithPolicy(
      parts.policy,
      request.samples.map((_, i) => ({ promptIds: request.promptIds[i], forced: [] })),
      {
        maxNewTokens: request.maxNewTokens,
        minNewTokens: request.minNewTokens,
        decoding: request.decoding,
        batchSize: request.batchSize,
        seedOf: (chunk) => (draw === 0 ? request.seedOf(chunk) : deriveSeed(request.seedOf(chunk), 'best-of', draw)),
      },
      parts.policyCopies,
    );
    const texts = tokens.map((ids, i) => continuationText(parts.tokenizer, request.promptIds[i], ids));
    const rewards = candidates === 1 ? undefined : await scoreWeighted(parts.rewards, request.samples.map((sample, i) => ({ prompt: sample.prompt, generation: texts[i], references: sample.references, generationIds: tokens[i], meta: sample.meta })));
    const drawn = tokens.map((ids, i) => ({ tokens: ids, text: texts[i], reward: rewards?.total[i] ?? 0 }));
    best = draw === 0 ? drawn : best.map((current, i) => (drawn[i].reward > current.reward ? drawn[i] : current));
  }
  const generationMs = performance.now() - generationStarted;
  const tokens = best.map((b) => b.tokens);
  const predictions = best.map((b) => b.text);
  const rewardsStarted = performance.now();
  const scored = await scoreWeighted(
    parts.rewards,
    request.samples.map((sample, i) => ({ prompt: sample.prompt, generation: predictions[i], references: sample.references, generationIds: tokens[i], meta: sample.meta })),
  );
  const rewardsMs = performance.now() - rewardsStarted;
  const values: Record<string, number> = { reward: meanAndStd(scored.total).mean, 'reward/std': meanAndStd(scored.total).std };
  for (const [id, part] of Object.entries(scored.parts)) values[`reward/${id}`] = meanAndStd(part).mean;
  const items = request.samples.map((sample, i) => ({ prediction: predictions[i], references: sample.references, prompt: sample.prompt, meta: sample.meta }));
  const metricsMs: Record<string, number> = {};
  // Metrics of the policy score with it and its copies.
  const policy = sharePolicy(parts.policy, parts.policyCopies);
  for (const metric of parts.metrics) {
    const started = performance.now();
    const result = await metric.doCompute({ items, policy });
    for (const [name, value] of Object.entries(result.corpus)) values[name] = value;
    metricsMs[metric.id] = (metricsMs[metric.id] ?? 0) + performance.now() - started;
  }
  return {
    values,
    predictions: request.samples.map((sample, i) => ({ prompt: sample.prompt, prediction: predictions[i], references: sample.references, reward: scored.total[i] })),
    timings: { generationMs, rewardsMs, metricsMs },
  };
}

/** One line saying where an evaluation's time went (for `--verbose`): generation, rewards, each metric. */
export function describeTimings(timings: EvaluationResult['timings']): string {
  const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const metrics = Object.entries(timings.metricsMs).map(([id, ms]) => `${id} ${seconds(ms)}`);
  return [`generation ${seconds(timings.generationMs)}`, `rewards ${seconds(timings.rewardsMs)}`, ...metrics].join(', ');
}
