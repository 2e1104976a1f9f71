import {
  GuideUnavailableError,
  type CheckpointStoreV1,
  type GuideV1,
  type LoggerV1,
  type MetricV1,
  type TaskSampleV1,
  type TaskSplitV1,
  type TaskV1,
  type TrackerV1,
  type TrainerRunOptionsV1,
  type TrainerV1,
  type TrainSummaryV1,
} from '@rlgf/contracts';
import { deriveSeed, Rng, type Progress } from '@rlgf/core';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { saveLanguageModel, type TrainableLanguageModel } from '@rlgf/models';
import type { Recipe } from '@rlgf/recipe';
import type { AlgorithmSchedule } from '../algorithms/algorithm';
import { isGuided } from '../algorithms/iteration-plan';
import { resolveAlgorithm, type AlgorithmRegistry } from '../algorithms/registry';
import { describeTimings, evaluatePolicy } from '../evaluation/evaluate';
import type { Learner } from '../learner/learner';
import { adaptiveKlController, fixedKlController, type KlController, type KlControllerState } from '../math/kl-controller';
import { sampleSwitchStep } from '../math/switch-step';
import type { WeightedReward } from '../reward/weighted-reward';
import { collectRollout } from '../rollout/collect-rollout';
import { mleReferenceIndex, promptIndices } from '../rollout/prompt-order';
import { scoreRollout } from '../rollout/score-rollout';
import { ppoUpdate } from '../update/ppo-update';
import { generationLength } from './generation-length';
import { createGuideFailureWatch, type GuideFailureWatch } from './guide-failure-watch';
import { writeRunState } from './run-state';
import { writeRunSummary } from './run-summary';

export interface RlRunComponents {
  readonly recipe: Recipe;
  /** The algorithm modules to resolve the recipe's algorithm with (default: the built-in ones). */
  readonly algorithms?: AlgorithmRegistry;
  readonly runDir: string;
  readonly task: TaskV1;
  readonly trainSamples: readonly TaskSampleV1[];
  /** Samples of an evaluation split (loaded once per split and size). */
  readonly loadSamples: (split: TaskSplitV1, limit: number) => Promise<TaskSampleV1[]>;
  readonly learner: Learner;
  readonly reference: TrainableLanguageModel;
  readonly guide?: GuideV1;
  readonly rewards: readonly WeightedReward[];
  readonly metrics: readonly MetricV1[];
  readonly tracker: TrackerV1;
  readonly store: CheckpointStoreV1;
  readonly logger: LoggerV1;
  readonly progress: Progress;
  /** Iterations already completed: 0, or those of the resumed checkpoint. */
  readonly startIteration: number;
  /** The KL controller as checkpointed (resume). */
  readonly klState?: KlControllerState;
}

function klController(recipe: Recipe, saved?: KlControllerState): KlController {
  const coef = saved?.coef ?? recipe.kl.coef;
  return recipe.kl.controller === 'adaptive' ? adaptiveKlController({ coef, target: recipe.kl.target, horizon: recipe.kl.horizon }) : fixedKlController(coef);
}

/**
 * The RL trainer: each iteration rolls out with the algorithm's plan, scores, runs the shared PPO
 * update, tracks, evaluates and checkpoints. Every random choice derives from the run seed and the
 * iteration, so a run resumed from a checkpoint continues exactly as the uninterrupted run would.
 */
export class RlTrainer implements TrainerV1 {
  readonly specificationVersion = 'v1';
  readonly algorithm: string;
  private readonly schedule: AlgorithmSchedule;
  private readonly kl: KlController;
  private readonly guideFailures: GuideFailureWatch;
  private lastGuideFailure?: string;

  constructor(private readonly parts: RlRunComponents) {
    this.algorithm = parts.recipe.algorithm.name;
    this.schedule = resolveAlgorithm(parts.recipe, parts.algorithms).schedule;
    this.kl = klController(parts.recipe, parts.klState);
    this.guideFailures = createGuideFailureWatch(parts.recipe.guideFailures);
  }

  private get generationLength(): number {
    return generationLength(this.parts.recipe, this.parts.task).maxNewTokens;
  }

  private promptIds(samples: readonly TaskSampleV1[]): number[][] {
    const tokenizer = this.parts.learner.policy.tokenizer;
    return samples.map((sample) => [...(sample.promptIds ?? tokenizer.encode(sample.prompt))]);
  }

  async run(options: TrainerRunOptionsV1 = {}): Promise<TrainSummaryV1> {
    const { recipe, logger, tracker, progress } = this.parts;
    const iterations = recipe.rollout.iterations;
    let completed = this.parts.startIteration;
    let finalMetrics: Record<string, number> = {};
    if (completed === 0) {
      await this.evaluate(0, recipe.evaluation.split, recipe.evaluation.limit);
      // The starting point on the final split, so the summary compares like with like.
      const final = recipe.evaluation.final;
      if (final.split !== recipe.evaluation.split || final.limit !== recipe.evaluation.limit) await this.evaluate(0, final.split, final.limit);
    }
    progress.update(completed);
    // `iteration` is the 0-based index the seeds derive from; everything a user reads (progress,
    // metrics rows, evaluations, checkpoint folders, messages) counts completed iterations from 1.
    for (let iteration = completed; iteration < iterations; iteration++) {
      if (options.abortSignal?.aborted) {
        logger.warn(`stopping after iteration ${completed} as asked; resume with rlgf train --resume ${this.parts.runDir}`);
        await this.checkpoint(completed);
        return { algorithm: this.algorithm, iterations: completed, finalMetrics, runDir: this.parts.runDir, stopReason: 'aborted' };
      }
      const values = await this.iterate(iteration);
      completed = iteration + 1;
      tracker.logIteration(completed, values);
      await this.stopIfGuidePersistentlyFails(completed, values);
      progress.update(completed, {
        phase: String(values.phase),
        reward: Number(values['reward/mean']),
        kl: Number(values['kl/mean']),
      });
      const evaluateNow = recipe.evaluation.every > 0 && completed % recipe.evaluation.every === 0 && completed < iterations;
      if (evaluateNow) await this.evaluate(completed, recipe.evaluation.split, recipe.evaluation.limit);
      if (completed % recipe.checkpoint.every === 0 || completed === iterations) await this.checkpoint(completed);
    }
    progress.finish();
    finalMetrics = await this.evaluate(iterations, recipe.evaluation.final.split, recipe.evaluation.final.limit);
    await tracker.flush();
    // The trained policy, loadable anywhere (rlgf eval, rlgf serve, transformers).
    await saveLanguageModel(this.parts.learner.policy, join(this.parts.runDir, 'policy'));
    const summary: TrainSummaryV1 = { algorithm: this.algorithm, iterations, finalMetrics, runDir: this.parts.runDir, stopReason: 'completed' };
    await writeFile(join(this.parts.runDir, 'summary.json'), `${JSON.stringify(summary, null, 2)}\n`);
    await this.writeSummary([
      `- final evaluation on ${recipe.evaluation.final.split} (${recipe.evaluation.final.limit} prompts): ${Object.entries(finalMetrics)
        .map(([name, value]) => `${name} ${value.toFixed(4)}`)
        .join(', ')}`,
    ]);
    return summary;
  }

  private async writeSummary(lines: readonly string[]): Promise<void> {
    const { recipe } = this.parts;
    await writeRunSummary(this.parts.runDir, {
      title: `${recipe.name}: ${this.algorithm} on ${this.parts.task.id}`,
      lines: [
        `- algorithm: ${this.algorithm}, ${recipe.rollout.iterations} iterations x ${recipe.rollout.samplesPerIteration} samples, seed ${recipe.seed}, backend ${recipe.backend}`,
        `- policy: ${recipe.policy.model.source}${recipe.guide ? `; guide: ${recipe.guide.id} ${JSON.stringify(recipe.guide.options)}` : ''}`,
        ...lines,
      ],
    });
  }

  /**
   * With `guideFailures.onPersistent: stop`, a guide that failed for most of its samples in too
   * many consecutive iterations stops the run after a checkpoint: the iterations so far fell back
   * to the learner, and going on would silently turn a guided run into plain PPO.
   */
  private async stopIfGuidePersistentlyFails(completed: number, values: Record<string, number | string>): Promise<void> {
    const persistent = this.guideFailures.observe(completed, Number(values['rollout/guide_calls']), Number(values['rollout/guide_failures']));
    const policy = this.parts.recipe.guideFailures;
    if (!persistent || policy.onPersistent !== 'stop') return;
    await this.checkpoint(completed);
    const streak = this.guideFailures.describeStreak();
    await this.writeSummary([`- stopped after iteration ${completed}: the guide failed for more than ${policy.share * 100}% of its samples in iterations ${streak}`]);
    throw new GuideUnavailableError({
      message: `the guide failed for more than ${policy.share * 100}% of its samples in ${policy.iterations} consecutive iterations (iteration: failed/asked ${streak}; first reason: ${this.lastGuideFailure ?? 'unknown'}); stopped after a checkpoint of iteration ${completed}`,
      hint: `fix the guide and continue with \`rlgf train --resume ${this.parts.runDir}\`, or set guideFailures.onPersistent: fallback to let the learner take over`,
    });
  }

  private async iterate(iteration: number): Promise<Record<string, number | string>> {
    const { recipe, learner } = this.parts;
    const started = performance.now();
    const plan = this.schedule.planFor(iteration);
    const transition = this.schedule.transitionAt?.(iteration);
    if (transition) {
      this.parts.logger.info(transition.message);
      if (transition.copyCritic) await learner.copyCritic(transition.copyCritic.from, transition.copyCritic.to);
    }
    // G samples of each prompt for group methods (G = 1 otherwise), consecutive: group g is g·G … g·G + G − 1.
    const G = this.schedule.groupSize;
    const indices = promptIndices({ seed: recipe.seed, iteration, batchSize: recipe.rollout.samplesPerIteration / G, datasetSize: this.parts.trainSamples.length });
    const samples = indices.flatMap((i) => new Array<TaskSampleV1>(G).fill(this.parts.trainSamples[i]));
    const groups = samples.map((_, i) => Math.floor(i / G));
    const T = this.generationLength;
    const switchRng = Rng.fromSeed(recipe.seed, 'switch-step', iteration);
    const switchSteps = plan.switchPer === 'group' ? indices.flatMap(() => new Array<number>(G).fill(sampleSwitchStep(switchRng, plan.switchProbability, T))) : samples.map(() => sampleSwitchStep(switchRng, plan.switchProbability, T));
    const rollout = await collectRollout(
      {
        plan,
        iteration,
        seed: recipe.seed,
        samples,
        promptIds: this.promptIds(samples),
        switchSteps,
        groups: plan.switchPer === 'group' ? groups : undefined,
        generationLength: T,
        minNewTokens: generationLength(recipe, this.parts.task).minNewTokens,
        decoding: recipe.rollout.decoding,
        generationBatchSize: recipe.rollout.generationBatchSize,
      },
      { policy: learner.policy, policyCopies: learner.policyCopies(), guide: this.parts.guide, tokenizer: learner.policy.tokenizer, eosTokenIds: learner.policy.eosTokenIds },
    );
    if (rollout.guideFailures > 0) {
      this.lastGuideFailure = rollout.firstGuideFailure;
      this.parts.logger.warn(`iteration ${iteration + 1}: the guide failed on ${rollout.guideFailures} sample(s), the learner took over (first reason: ${rollout.firstGuideFailure})`);
    }
    const critic = plan.critic === undefined ? undefined : learner.criticAccess(plan.critic);
    const scored = await learner.besideCritics(() =>
      scoreRollout(rollout.samples, { policy: learner.policy, reference: this.parts.reference, critic, rewards: this.parts.rewards, tokenizer: learner.policy.tokenizer }, {
        plan,
        iteration,
        generationLength: T,
        groups,
        klCoef: this.kl.coef,
        klEstimator: recipe.kl.estimator,
        klInReward: plan.kl === 'reward' && (!isGuided(plan) || recipe.kl.inGuidedReward),
        gamma: recipe.optimization.gamma,
        lambda: recipe.optimization.lambda,
        whitenAdvantages: recipe.optimization.whitenAdvantages,
        chunkRows: recipe.rollout.generationBatchSize,
        referenceIndex: (i) => mleReferenceIndex({ seed: recipe.seed, iteration, sampleId: samples[i].id, referenceCount: samples[i].references.length }),
      }),
    );
    // For trackers that show generations (TensorBoard's text tab); the run's own files keep none.
    this.parts.tracker.logSamples?.(iteration + 1, scored.texts);
    const updateStarted = performance.now();
    const updateStats = await learner.besideCritics(() =>
      ppoUpdate(scored.batch, { policy: learner.policy, critic, policyOptimizer: learner.policyOptimizer }, {
        plan,
        iteration,
        seed: recipe.seed,
        optimization: recipe.optimization,
        klLoss: plan.kl === 'loss' ? { coef: this.kl.coef, estimator: recipe.kl.estimator } : undefined,
        totalSteps: recipe.rollout.iterations * recipe.optimization.epochs * Math.ceil(recipe.rollout.samplesPerIteration / recipe.optimization.minibatchSize),
      }),
    );
    const updateMs = performance.now() - updateStarted;
    // The controller reads the KL of the policy's own tokens, over the samples it wrote in.
    if (scored.stats['kl/samples'] > 0) this.kl.update(scored.stats['kl/mean'], scored.stats['kl/samples']);
    const totalMs = performance.now() - started;
    const tokens = rollout.samples.reduce((sum, s) => sum + s.tokens.length, 0);
    return {
      phase: plan.phase,
      ...scored.stats,
      ...updateStats,
      'rollout/guide_calls': rollout.guideCalls,
      'rollout/guide_failures': rollout.guideFailures,
      'rollout/guide_short': rollout.guideShort,
      ...(rollout.guideUsage
        ? {
            'guide/requests': rollout.guideUsage.requests,
            'guide/cached_answers': rollout.guideUsage.cachedAnswers,
            'guide/prompt_tokens': rollout.guideUsage.promptTokens,
            'guide/completion_tokens': rollout.guideUsage.completionTokens,
          }
        : {}),
      'kl/next_coef': this.kl.coef,
      'time/roll_in_ms': rollout.rollInMs,
      'time/roll_out_ms': rollout.rollOutMs,
      'time/update_ms': updateMs,
      'time/iteration_ms': totalMs,
      'speed/tokens_per_s': tokens / (totalMs / 1000),
      // The process's peak so far (models, optimizer state, the wasm heap): what a run needs.
      'memory/peak_rss_mb': process.resourceUsage().maxRSS / 1024,
    };
  }

  /** Evaluates after `completed` iterations (0: the starting point). */
  private async evaluate(completed: number, split: TaskSplitV1, limit: number): Promise<Record<string, number>> {
    const { recipe, task, learner } = this.parts;
    const samples = await this.parts.loadSamples(split, limit);
    const result = await evaluatePolicy(
      {
        samples,
        promptIds: this.promptIds(samples),
        decoding: recipe.evaluation.decoding ?? task.generation.evalDecoding,
        maxNewTokens: this.generationLength,
        minNewTokens: generationLength(recipe, task).minNewTokens,
        batchSize: recipe.rollout.generationBatchSize,
        seedOf: (chunk) => deriveSeed(recipe.seed, 'evaluation', split, completed, chunk),
      },
      { policy: learner.policy, policyCopies: learner.policyCopies(), tokenizer: learner.policy.tokenizer, rewards: this.parts.rewards, metrics: this.parts.metrics },
    );
    this.parts.tracker.logEvaluation(completed, split, result.values);
    const shown = Object.entries(result.values)
      .slice(0, 6)
      .map(([name, value]) => `${name} ${value.toFixed(4)}`)
      .join(', ');
    this.parts.logger.info(`evaluation on ${split} (${samples.length} prompts) after iteration ${completed}: ${shown}`);
    this.parts.logger.debug(`time of the evaluation on ${split} after iteration ${completed}: ${describeTimings(result.timings)}`);
    return result.values;
  }

  /** A checkpoint after `completed` iterations (none before the first). */
  private async checkpoint(completed: number): Promise<void> {
    if (completed === 0) return;
    await this.parts.tracker.flush();
    const info = await this.parts.store.save(completed, async (dir) => {
      await this.parts.learner.save(dir);
      await writeRunState(dir, { algorithm: this.algorithm, seed: this.parts.recipe.seed, iteration: completed, phase: this.schedule.planFor(completed - 1).phase, kl: this.kl.getState() });
    });
    this.parts.logger.debug(`checkpoint after iteration ${completed}: ${info.dir}`);
  }
}
