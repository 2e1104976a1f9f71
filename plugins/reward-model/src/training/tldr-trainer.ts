import type { ComponentContextV1, ComponentFactoryV1, RewardTrainOptionsV1, RewardTrainResultV1, TaskSampleV1, TaskSplitV1 } from '@rlgf/contracts';
import { DatasetError } from '@rlgf/contracts';
import { writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { rewardModelFromTrunk } from '../model/load-reward-model';
import type { RewardModel } from '../model/reward-model';
import { binomialTwoSidedP, meanPairLoss, pairwiseAccuracy } from './bradley-terry';
import { fitRewardModel, scorePairs } from './fit-reward-model';
import { loadPreferencePairs, splitPairsByPost, type PairTexts } from './preference-pairs';
import { parseTrainerSettings, trainerSettingsHelp, type TldrRewardTrainerSettings } from './trainer-settings';

/** The file beside the checkpoint that records how it was trained and what it scored. */
export const trainingReportFile = 'reward_model_training.json';

const round = (value: number, digits = 4) => Math.round(value * 10 ** digits) / 10 ** digits;

async function taskSamples(context: ComponentContextV1, settings: TldrRewardTrainerSettings, model: RewardModel, abortSignal?: AbortSignal): Promise<Record<TaskSplitV1, TaskSampleV1[]>> {
  const task = await context.createComponent('task', { id: 'tldr', options: settings.taskOptions });
  const load = (split: TaskSplitV1) => task.doLoadSamples({ split, tokenizer: model.tokenizer, abortSignal });
  const [train, validation, test] = [await load('train'), await load('validation'), await load('test')];
  return { train, validation, test };
}

async function accuracyOf(model: RewardModel, pairs: readonly PairTexts[], settings: TldrRewardTrainerSettings, abortSignal?: AbortSignal) {
  const scores = await scorePairs(model, pairs, { batchSize: settings.evalBatchSize, abortSignal });
  return { accuracy: pairwiseAccuracy(scores.chosen, scores.rejected), loss: meanPairLoss(scores.chosen, scores.rejected) };
}

/**
 * Trains a Bradley-Terry reward model for the tldr task: the trunk's last-token hidden state
 * through a scalar head, −log σ(r_chosen − r_rejected), AdamW. Pairs are split by post with the
 * task's splits (train posts train; validation and test posts are held out), and the texts are
 * the task's prompts, cut as the policy sees them, followed by each summary.
 */
async function trainTldrRewardModel(context: ComponentContextV1, options: RewardTrainOptionsV1): Promise<RewardTrainResultV1> {
  const settings = parseTrainerSettings(options.settings);
  const { hub, logger, seed, abortSignal } = options;
  const progress = options.onProgress ?? (() => undefined);
  const started = Date.now();

  const model = await rewardModelFromTrunk(settings.model, { hub, cacheDir: context.cacheDir, logger, seed, maxTokens: settings.maxTokens });
  try {
    const [samples, pairs] = await Promise.all([
      taskSamples(context, settings, model, abortSignal),
      loadPreferencePairs(hub, { repo: settings.comparisons, split: settings.comparisonsSplit, abortSignal }),
    ]);
    const split = splitPairsByPost(pairs, samples);
    if (split.train.length === 0 || split.heldOut.length === 0) {
      throw new DatasetError({
        message: `${settings.comparisons} gives ${split.train.length} training and ${split.heldOut.length} held-out pairs with these task splits (${split.unmatched} pairs match no post)`,
        hint: 'the pairs must be over posts of the tldr task: check settings.taskOptions (split specs) and settings.comparisons',
      });
    }
    logger.info(`tldr-reward-model: ${split.train.length} training pairs (train posts), ${split.heldOut.length} held out (validation and test posts), ${split.unmatched} unmatched; trunk ${settings.model}, inputs of at most ${model.maxTokens} tokens`);

    const initial = await accuracyOf(model, split.heldOut, settings, abortSignal);
    logger.info(`tldr-reward-model: held-out pairwise accuracy before training ${(100 * initial.accuracy).toFixed(1)}%`);
    const epochs: { epoch: number; held_out_accuracy: number; held_out_loss: number }[] = [];
    const fit = await fitRewardModel(model, split.train, { ...settings, seed }, {
      abortSignal,
      onStep: (done, total, loss) => progress('train', done, total, { loss }),
      onEpoch: async (epoch) => {
        const heldOut = await accuracyOf(model, split.heldOut, settings, abortSignal);
        epochs.push({ epoch, held_out_accuracy: round(heldOut.accuracy), held_out_loss: round(heldOut.loss) });
        logger.info(`tldr-reward-model: epoch ${epoch}: held-out pairwise accuracy ${(100 * heldOut.accuracy).toFixed(1)}%, loss ${heldOut.loss.toFixed(4)}`);
      },
    });
    const trained = await accuracyOf(model, split.train, settings, abortSignal);
    const final = epochs[epochs.length - 1];
    const heldOutRight = Math.round(final.held_out_accuracy * split.heldOut.length * 2) / 2;
    const longer = pairwiseAccuracy(
      split.heldOut.map((pair) => pair.chosen.length),
      split.heldOut.map((pair) => pair.rejected.length),
    );
    const metrics = {
      pairwise_accuracy: final.held_out_accuracy,
      pairwise_accuracy_p_value: round(binomialTwoSidedP(Math.floor(heldOutRight), split.heldOut.length), 6),
      held_out_loss: final.held_out_loss,
      initial_pairwise_accuracy: round(initial.accuracy),
      train_pairwise_accuracy: round(trained.accuracy),
      longer_summary_accuracy: round(longer),
      held_out_pairs: split.heldOut.length,
      train_pairs: split.train.length,
    };

    const checkpointDir = resolve(options.outDir);
    await model.save(checkpointDir);
    const report = {
      method: 'Bradley-Terry reward model: last-token hidden state -> score.weight; loss -log sigmoid(r_chosen - r_rejected); AdamW, linear decay',
      trunk: settings.model,
      pairs: `${settings.comparisons} ${settings.comparisonsSplit}: preferences judged by a GPT model, not by people`,
      split: 'by post, with the tldr task splits: train posts train, validation and test posts are held out',
      task_options: settings.taskOptions,
      max_tokens: model.maxTokens,
      seed,
      epochs: settings.epochs,
      batch_size: settings.batchSize,
      learning_rate: settings.learningRate,
      weight_decay: settings.weightDecay,
      max_grad_norm: settings.maxGradNorm,
      steps: fit.steps,
      per_epoch: epochs,
      metrics,
      seconds: round((Date.now() - started) / 1000, 1),
    };
    await writeFile(join(checkpointDir, trainingReportFile), `${JSON.stringify(report, null, 2)}\n`);
    logger.info(
      `tldr-reward-model: held-out pairwise accuracy ${(100 * metrics.pairwise_accuracy).toFixed(1)}% on ${metrics.held_out_pairs} pairs (chance 50%, p = ${metrics.pairwise_accuracy_p_value}; longer summary wins: ${(100 * longer).toFixed(1)}%)`,
    );
    return { checkpointDir, metrics, usage: `reward: { id: reward-model, options: { model: ${JSON.stringify(checkpointDir)} } }` };
  } finally {
    model.dispose();
  }
}

export const tldrRewardTrainerFactory: ComponentFactoryV1<'reward-trainer'> = {
  specificationVersion: 'v1',
  kind: 'reward-trainer',
  id: 'tldr-reward-model',
  description: 'trains the TL;DR reward model: a Bradley-Terry LM trunk + scalar head on CarperAI/openai_summarize_comparisons (GPT-judged pairs)',
  options: trainerSettingsHelp,
  async create(_, context) {
    return { specificationVersion: 'v1', id: 'tldr-reward-model', task: 'tldr', doTrain: (options) => trainTldrRewardModel(context, options) };
  },
};
