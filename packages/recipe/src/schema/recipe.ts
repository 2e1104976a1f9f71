import { z } from 'zod';
import { componentRef, decoding, modelRef, nonNegativeInt, positiveInt, probability, weightedComponentRef } from './common';
import { lora } from './lora';
import { algorithm, kl, optimization, rollout, sft } from './training';

const split = z.enum(['train', 'validation', 'test']);

const pluginEntry = z.preprocess(
  (value) => (typeof value === 'string' ? { module: value } : value),
  z.strictObject({
    module: z.string().min(1).describe('npm package name, or a path relative to the recipe file.'),
    settings: z.record(z.string(), z.unknown()).default({}).describe('Plugin-level settings handed to its register().'),
  }),
);

const stage = z.discriminatedUnion('kind', [
  z
    .strictObject({
      kind: z.literal('sft'),
      model: modelRef.describe('Starting checkpoint of the fine-tuning.'),
      task: componentRef.optional().describe("The task whose references are learned; default: the recipe's task."),
      sft: sft.prefault({}).describe('SFT settings of this stage.'),
    })
    .describe('Supervised fine-tuning; its output is the fine-tuned model folder.'),
  z
    .strictObject({
      kind: z.literal('train-reward'),
      trainer: z.string().min(1).describe('Reward-trainer id (`rlgf plugins` lists them), e.g. imdb-sentiment.'),
      settings: z.record(z.string(), z.unknown()).default({}).describe("The trainer's settings."),
    })
    .describe("Trains a task's reward; its output is the reward checkpoint folder."),
]);

const recipeFields = z.strictObject({
  name: z
    .string()
    .regex(/^[A-Za-z0-9._+-]+$/, 'letters, digits, ".", "_", "+" or "-"')
    .default('run')
    .describe('Run name (default: the recipe file name); the default run directory is runs/<name>.'),
  description: z.string().optional().describe('Free text shown in the run summary.'),
  seed: nonNegativeInt.default(0).describe('Every random choice of the run derives from this seed.'),
  backend: z.enum(['wasm', 'cpu', 'webgpu', 'tensorflow', 'tensorflow-gpu']).default('wasm').describe('TensorFlow.js backend (webgpu needs a WebGPU adapter: a GPU with its Vulkan driver, or Mesa lavapipe on a CPU).'),
  threads: z
    .number()
    .int()
    .min(1)
    .max(256)
    .optional()
    .describe(
      'Threads the wasm kernels split large products over (default: the number of cores, os.availableParallelism()). Results are bit-identical for any count; `--threads` overrides it.',
    ),
  outputDir: z.string().optional().describe('Run directory, relative to the working directory; default runs/<name>.'),
  plugins: z.array(pluginEntry).default([]).describe('Extra plugins: npm names or paths relative to the recipe (built-in plugins need no entry).'),
  stages: z
    .record(z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'lower-case letters, digits and "-"'), stage)
    .default({})
    .describe(
      'Stages run before training, in order, each once: their output folders are written under <run dir>/stages/<name> and any string `stage:<name>` in the recipe (a model source, a reward option) is replaced by that folder. A finished stage is reused when the recipe runs again.',
    ),
  hub: z
    .strictObject({
      mirror: z.string().optional().describe('A local folder laid out like the Hub; overrides RLGF_HUB_MIRROR.'),
      offline: z.boolean().optional().describe('Never touch the network (like HF_HUB_OFFLINE=1).'),
    })
    .prefault({})
    .describe('Where Hub files come from.'),
  task: componentRef.describe('The task: `imdb`, or `{ id, options }`.'),
  policy: z
    .strictObject({
      model: modelRef.describe('Starting checkpoint of the policy.'),
      lora: lora.optional().describe('Train a LoRA adapter on the frozen policy model; the reference is then the same base with the adapter off (no second copy).'),
    })
    .describe('The policy being trained.'),
  reference: z
    .strictObject({ model: modelRef.optional().describe("Checkpoint of the frozen KL reference; default: the policy's starting checkpoint.") })
    .prefault({})
    .describe('The frozen reference model of the KL penalty.'),
  critic: z
    .strictObject({
      model: modelRef.optional().describe("Trunk of the critic(s); default: the policy's starting checkpoint."),
      sharedTrunk: z.boolean().default(false).describe("Put the value head on the policy's trunk instead of a separate model."),
      thread: z
        .enum(['auto', 'main'])
        .default('auto')
        .describe(
          "`auto`: a critic with a separate whole trunk trains on a thread of its own (its own TensorFlow.js backend) while the main thread trains the policy, when the run may use two or more threads on wasm or cpu; the kernel threads are split between the two. With `auto` the same thread also generates chunks of rollouts and evaluations and scores batches of the metrics of the policy with a copy of the policy (whole built-in policies up to 200M parameters). `main`: every critic, all generation and all scoring stay on the main thread. Results are bit-identical either way.",
        ),
      lora: lora
        .optional()
        .describe(
          "A LoRA adapter of the critic's own on the frozen trunk, plus its value head; default: the policy's `lora` settings when the policy trains one and the critic has no other `model` (the critic then shares the policy's base weights).",
        ),
    })
    .prefault({})
    .describe('The value model(s).'),
  guide: componentRef.optional().describe('The guide policy, e.g. `{ id: local, options: { model: … } }`; required by the guided algorithms.'),
  guideFailures: z
    .strictObject({
      onPersistent: z
        .enum(['stop', 'fallback'])
        .default('stop')
        .describe(
          '`stop`: when the guide failed for more than `share` of the samples that asked it in `iterations` consecutive iterations, the run stops after a checkpoint (exit 1, one line; resume with `rlgf train --resume`); `fallback`: the learner keeps taking over failed samples for as long as it takes.',
        ),
      share: probability.default(0.5).describe('Share of guide requests of an iteration that must fail for the iteration to count as failing.'),
      iterations: positiveInt.default(3).describe('Consecutive failing iterations before `stop` stops the run.'),
    })
    .prefault({})
    .describe('What a guided run does when its guide keeps failing (failed samples fall back to the learner and are counted per iteration either way).'),
  reward: z.array(weightedComponentRef).min(1).optional().describe("Rewards summed with their weights; default: the task's reward."),
  metrics: z.array(componentRef).optional().describe("Evaluation metrics; default: the task's."),
  algorithm: algorithm.prefault({ name: 'ppo' }),
  rollout: rollout.prefault({}),
  optimization: optimization.prefault({}),
  kl: kl.prefault({}),
  sft: sft.prefault({}),
  evaluation: z
    .strictObject({
      every: nonNegativeInt.default(10).describe('Evaluate every N iterations (0: only at the start and the end).'),
      split: split.default('validation').describe('Split of the periodic evaluations.'),
      limit: positiveInt.default(100).describe('Prompts per periodic evaluation.'),
      decoding: decoding.optional().describe("Decoding for evaluation; default: the task's."),
      final: z
        .strictObject({
          split: split.default('test').describe('Split of the final evaluation.'),
          limit: positiveInt.default(200).describe('Prompts of the final evaluation.'),
        })
        .prefault({})
        .describe('The evaluation after the last iteration.'),
    })
    .prefault({})
    .describe('Evaluation with the task metrics.'),
  checkpoint: z
    .strictObject({
      every: positiveInt.default(5).describe('Write a checkpoint every N iterations (and always at the end).'),
      keep: positiveInt.default(2).describe('Keep the last K checkpoints.'),
    })
    .prefault({})
    .describe('Checkpoints for `rlgf train --resume`.'),
  logging: z
    .strictObject({
      progress: z.enum(['auto', 'bar', 'lines', 'none']).default('auto').describe('`auto`: a progress bar on a terminal, plain lines otherwise.'),
      csv: z.boolean().default(true).describe('Also write metrics.csv and evaluations.csv beside the JSONL files.'),
    })
    .prefault({})
    .describe('Progress display and tracking files.'),
  trackers: z
    .array(componentRef)
    .default([])
    .describe(
      'Trackers the run also logs to, beside its own metrics and evaluations files: e.g. `[{ id: tensorboard }]` writes TensorBoard event files to `<run dir>/tensorboard` (`rlgf plugins` lists the trackers).',
    ),
});

export const recipeSchema = recipeFields.superRefine((recipe, context) => {
  const { rollout: r, optimization: o } = recipe;
  if (r.samplesPerIteration % o.minibatchSize !== 0) {
    context.addIssue({
      code: 'custom',
      path: ['optimization', 'minibatchSize'],
      message: `minibatch size ${o.minibatchSize} does not divide rollout batch ${r.samplesPerIteration}: pick a divisor`,
    });
  }
  if (r.samplesPerIteration % r.generationBatchSize !== 0) {
    context.addIssue({
      code: 'custom',
      path: ['rollout', 'generationBatchSize'],
      message: `generation batch ${r.generationBatchSize} does not divide rollout batch ${r.samplesPerIteration}: pick a divisor`,
    });
  }
  if (r.maxNewTokens !== undefined && r.minNewTokens !== undefined && r.minNewTokens > r.maxNewTokens) {
    context.addIssue({
      code: 'custom',
      path: ['rollout', 'minNewTokens'],
      message: `minNewTokens ${r.minNewTokens} exceeds maxNewTokens ${r.maxNewTokens}`,
    });
  }
});

/** The recipe's fields without the cross-field checks (for documentation). */
export const recipeShape = recipeFields;

/** A validated recipe with every default filled in. */
export type Recipe = z.output<typeof recipeSchema>;
/** A recipe as written (defaults optional). */
export type RecipeInput = z.input<typeof recipeSchema>;
