import { InvalidArgumentError, type DecodingV1, type GuideUsageV1, type GuideV1, type LanguageModelV1, type TaskSampleV1, type TokenizerV1 } from '@rlgf/contracts';
import { deriveSeed } from '@rlgf/core';
import type { IterationPlan } from '../algorithms/iteration-plan';
import { continueWithGuide } from './guide-generation';
import type { PolicyCopies } from '../policy-copies/share-policy';
import { generateWithPolicy, type PolicyRow } from './policy-generation';
import type { RolloutSample, Writer } from './rollout-sample';

export interface RolloutRequest {
  readonly plan: IterationPlan;
  readonly iteration: number;
  readonly seed: number;
  readonly samples: readonly TaskSampleV1[];
  /** Prompt ids per sample (the task's, or the prompt encoded with the policy tokenizer). */
  readonly promptIds: readonly (readonly number[])[];
  /** Drawn switch steps, one per sample. */
  readonly switchSteps: readonly number[];
  /**
   * Group (prompt) id per sample when a group shares its roll-in (GRPO++): the guide writes one
   * roll-in per group, continued by every sample of the group. Absent: one roll-in per sample.
   */
  readonly groups?: readonly number[];
  readonly generationLength: number;
  readonly minNewTokens: number;
  readonly decoding: DecodingV1;
  readonly generationBatchSize: number;
}

export interface RolloutActors {
  readonly policy: LanguageModelV1;
  /** Copies of the policy with its current weights that generate chunks beside it (same tokens). */
  readonly policyCopies?: PolicyCopies;
  readonly guide?: GuideV1;
  readonly tokenizer: TokenizerV1;
  /** Every id that ends a generation (the model config's and the tokenizer's). */
  readonly eosTokenIds: readonly number[];
}

export interface RolloutResult {
  readonly samples: RolloutSample[];
  /** Samples that asked the guide for a roll-in or roll-out. */
  readonly guideCalls: number;
  /** Samples whose guide part failed (fallback to the learner). */
  readonly guideFailures: number;
  readonly firstGuideFailure?: string;
  /**
   * Guide continuations that came back shorter than asked (in policy tokens): a PPO++ roll-in that
   * ended before its switch step, or an AggreVaTeD roll-out that ended before the task's minimum.
   */
  readonly guideShort: number;
  /** What the guide's calls cost, where it reports it (remote guides: requests, cached answers, tokens). */
  readonly guideUsage?: GuideUsageV1;
  /** Milliseconds spent writing roll-ins and roll-outs. */
  readonly rollInMs: number;
  readonly rollOutMs: number;
}

const writers = (prefixLength: number, total: number, first: Writer, rest: Writer): Writer[] =>
  Array.from({ length: total }, (_, j) => (j < prefixLength ? first : rest));

/**
 * Writes the samples of one iteration: the roll-in policy writes the first k tokens of each sample
 * and the roll-out policy the rest (DESIGN.md, "Switching"). When the guide fails for a sample the
 * learner takes over: a PPO++ roll-in falls back to k = 0, an AggreVaTeD roll-out is finished by
 * the learner and excluded from the update.
 */
export async function collectRollout(request: RolloutRequest, actors: RolloutActors): Promise<RolloutResult> {
  const { plan, iteration, seed, generationLength: T } = request;
  const policySettings = (label: string, maxNewTokens: number) => ({
    maxNewTokens,
    minNewTokens: Math.min(request.minNewTokens, maxNewTokens),
    decoding: request.decoding,
    batchSize: request.generationBatchSize,
    seedOf: (chunk: number) => deriveSeed(seed, label, iteration, chunk),
  });
  const guideSeed = (label: string) => deriveSeed(seed, label, iteration);
  let failures = 0;
  let short = 0;
  let firstFailure: string | undefined;
  const isEos = (token: number) => actors.eosTokenIds.includes(token);
  const noteFailure = (reason: string) => {
    failures++;
    firstFailure ??= reason;
  };
  const requireGuide = (): GuideV1 => {
    if (!actors.guide) throw new InvalidArgumentError({ argument: 'guide', expected: `a guide for the ${plan.phase} phase`, hint: 'name one in the recipe' });
    return actors.guide;
  };

  if (plan.rollIn === 'none' || plan.rollIn === 'guide') {
    // PPO and PPO++: an optional guide prefix, then the policy writes the rest.
    const started = performance.now();
    const prefixes: number[][] = request.samples.map(() => []);
    let usage: GuideUsageV1 | undefined;
    const firstOfGroup = (i: number) => request.groups === undefined || request.groups.indexOf(request.groups[i]) === i;
    const needsGuide = request.switchSteps.map((k, i) => ({ k, i })).filter(({ k, i }) => plan.rollIn === 'guide' && k > 0 && firstOfGroup(i));
    if (needsGuide.length > 0) {
      const maxK = Math.max(...needsGuide.map(({ k }) => k));
      // Each roll-in must reach its switch step: the guide may not end before k tokens.
      const answers = await continueWithGuide(
        requireGuide(),
        actors.tokenizer,
        needsGuide.map(({ i }) => ({ promptIds: request.promptIds[i], prefix: [] })),
        { maxNewTokens: maxK, minNewTokens: needsGuide.map(({ k }) => k), seed: guideSeed('guide-roll-in') },
      );
      usage = answers.usage;
      const continuations = answers.continuations;
      needsGuide.forEach(({ k, i }, n) => {
        const continuation = continuations[n];
        if (!continuation.ok) return noteFailure(continuation.reason);
        prefixes[i] = continuation.ids.slice(0, k);
        // Short (or ended by EOS): the policy continues from the shorter prefix, or, after an
        // EOS, writes nothing, and the sample counts as the guide's alone.
        if (prefixes[i].length < k || prefixes[i].some(isEos)) short++;
      });
      // The other samples of a group continue the same roll-in.
      request.groups?.forEach((group, i) => {
        if (!firstOfGroup(i)) prefixes[i] = prefixes[request.groups?.indexOf(group) ?? i];
      });
    }
    const rollInMs = performance.now() - started;
    const rows: PolicyRow[] = request.samples.map((_, i) => ({ promptIds: request.promptIds[i], forced: prefixes[i] }));
    const outStarted = performance.now();
    const tokens = await generateWithPolicy(actors.policy, rows, policySettings('policy-roll-out', T), actors.policyCopies);
    const samples = tokens.map((generated, i): RolloutSample => ({
      task: request.samples[i],
      promptIds: request.promptIds[i],
      tokens: generated,
      writers: writers(prefixes[i].length, generated.length, 'guide', 'policy'),
      switchStep: prefixes[i].length,
      excluded: false,
    }));
    return { samples, guideCalls: needsGuide.length, guideFailures: failures, firstGuideFailure: firstFailure, guideShort: short, guideUsage: usage, rollInMs, rollOutMs: performance.now() - outStarted };
  }

  // AggreVaTeD: the policy writes k tokens, the guide continues.
  const inStarted = performance.now();
  const maxK = Math.max(0, ...request.switchSteps);
  let prefixes: number[][] = request.samples.map(() => []);
  if (maxK > 0) {
    const rollIns = await generateWithPolicy(
      actors.policy,
      request.samples.map((_, i) => ({ promptIds: request.promptIds[i], forced: [] })),
      policySettings('policy-roll-in', maxK),
      actors.policyCopies,
    );
    prefixes = rollIns.map((tokens, i) => tokens.slice(0, request.switchSteps[i]));
  }
  const rollInMs = performance.now() - inStarted;
  const outStarted = performance.now();
  // A roll-in that stopped (any EOS id, or shorter than k) or filled the budget leaves nothing to continue.
  const ended = (prefix: readonly number[], i: number) =>
    prefix.length < request.switchSteps[i] || prefix.length >= T || (prefix.length > 0 && isEos(prefix[prefix.length - 1]));
  const open = prefixes.map((prefix, i) => ({ prefix, i })).filter(({ prefix, i }) => !ended(prefix, i));
  // The guide finishes the sample, which must not end before the task's minimum length.
  const minimumLength = Math.min(request.minNewTokens, T);
  const guideMinimum = (prefix: readonly number[]) => Math.max(0, minimumLength - prefix.length);
  const maxNewTokens = T - Math.min(...open.map(({ prefix }) => prefix.length), T);
  const { continuations, usage } = await continueWithGuide(
    requireGuide(),
    actors.tokenizer,
    open.map(({ prefix, i }) => ({ promptIds: request.promptIds[i], prefix })),
    { maxNewTokens, minNewTokens: open.map(({ prefix }) => Math.min(guideMinimum(prefix), maxNewTokens)), seed: guideSeed('guide-roll-out') },
  );
  const tokens = prefixes.map((prefix) => [...prefix]);
  const excluded = new Array<boolean>(prefixes.length).fill(false);
  const fallback: number[] = [];
  open.forEach(({ prefix, i }, n) => {
    const continuation = continuations[n];
    if (continuation.ok) {
      tokens[i] = [...prefix, ...continuation.ids].slice(0, T);
      if (tokens[i].length < minimumLength) short++;
    } else {
      noteFailure(continuation.reason);
      excluded[i] = true;
      fallback.push(i);
    }
  });
  if (fallback.length > 0) {
    const finished = await generateWithPolicy(
      actors.policy,
      fallback.map((i) => ({ promptIds: request.promptIds[i], forced: prefixes[i] })),
      policySettings('policy-fallback', T),
      actors.policyCopies,
    );
    fallback.forEach((i, n) => (tokens[i] = finished[n]));
  }
  const samples = tokens.map((generated, i): RolloutSample => ({
    task: request.samples[i],
    promptIds: request.promptIds[i],
    tokens: generated,
    writers: writers(prefixes[i].length, generated.length, 'policy', excluded[i] ? 'policy' : 'guide'),
    switchStep: prefixes[i].length,
    excluded: excluded[i],
  }));
  return { samples, guideCalls: open.length, guideFailures: failures, firstGuideFailure: firstFailure, guideShort: short, guideUsage: usage, rollInMs, rollOutMs: performance.now() - outStarted };
}
