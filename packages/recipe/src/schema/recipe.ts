import { z } from 'zod';
import { componentRef, modelRef, nonNegativeInt, positiveInt, weightedComponentRef, decoding } from './common';
import { algorithm, kl, optimization, rollout, sft } from './training';

const pluginEntry = z.preprocess(
  (value) => (typeof value === 'string' ? { module: value } : value),
  z.strictObject({
    /** npm package name, or a path relative to the recipe file. */
    module: z.string().min(1),
    settings: z.record(z.string(), z.unknown()).default({}),
  }),
);

export const recipeSchema = z
  .strictObject({
    /** Run name; also the default output directory `runs/<name>`. */
    name: z.string().regex(/^[A-Za-z0-9._-]+$/, 'letters, digits, ".", "_" or "-"').default('run'),
    description: z.string().optional(),
    /** Every random choice of the run derives from this seed. */
    seed: nonNegativeInt.default(0),
    backend: z.enum(['wasm', 'cpu', 'tensorflow', 'tensorflow-gpu']).default('wasm'),
    /** Run directory (relative to the working directory); default `runs/<name>`. */
    outputDir: z.string().optional(),
    /** Extra plugins (npm names or paths relative to the recipe); built-in plugins need no entry. */
    plugins: z.array(pluginEntry).default([]),
    hub: z
      .strictObject({
        /** A local mirror directory laid out like the Hub (overrides RLGF_HUB_MIRROR). */
        mirror: z.string().optional(),
        /** Never touch the network (like HF_HUB_OFFLINE=1). */
        offline: z.boolean().optional(),
      })
      .prefault({}),
    task: componentRef,
    policy: z.strictObject({ model: modelRef }),
    /** The frozen KL reference; default: the policy's starting checkpoint. */
    reference: z.strictObject({ model: modelRef.optional() }).prefault({}),
    critic: z
      .strictObject({
        /** Trunk of the critic; default: the policy's starting checkpoint. */
        model: modelRef.optional(),
        /** Put the value head on the policy's trunk instead of a separate model. */
        sharedTrunk: z.boolean().default(false),
      })
      .prefault({}),
    /** The guide policy; required by PPO++, AggreVaTeD, LOLS and D2LOLS. */
    guide: componentRef.optional(),
    /** Rewards summed with their weights; default: the task's reward. */
    reward: z.array(weightedComponentRef).min(1).optional(),
    /** Evaluation metrics; default: the task's. */
    metrics: z.array(componentRef).optional(),
    algorithm: algorithm.prefault({ name: 'ppo' }),
    rollout: rollout.prefault({}),
    optimization: optimization.prefault({}),
    kl: kl.prefault({}),
    sft: sft.prefault({}),
    evaluation: z
      .strictObject({
        /** Evaluate every N iterations (0: only at the start and the end). */
        every: nonNegativeInt.default(10),
        split: z.enum(['train', 'validation', 'test']).default('validation'),
        /** Evaluate on at most this many prompts. */
        limit: positiveInt.default(100),
        /** Decoding for evaluation; default: the task's. */
        decoding: decoding.optional(),
        /** The split and size of the final evaluation. */
        final: z
          .strictObject({ split: z.enum(['train', 'validation', 'test']).default('test'), limit: positiveInt.default(200) })
          .prefault({}),
      })
      .prefault({}),
    checkpoint: z
      .strictObject({
        /** Write a checkpoint every N iterations (and always at the end). */
        every: positiveInt.default(5),
        /** Keep the last K checkpoints. */
        keep: positiveInt.default(2),
      })
      .prefault({}),
    logging: z
      .strictObject({
        /** `auto`: a progress bar on a terminal, plain lines otherwise. */
        progress: z.enum(['auto', 'bar', 'lines', 'none']).default('auto'),
        /** Also write `metrics.csv` beside `metrics.jsonl`. */
        csv: z.boolean().default(true),
      })
      .prefault({}),
  })
  .superRefine((recipe, context) => {
    const { rollout: r, optimization: o, algorithm: a } = recipe;
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
    if (a.name !== 'ppo' && a.name !== 'sft' && !recipe.guide) {
      context.addIssue({
        code: 'custom',
        path: ['guide'],
        message: `algorithm ${a.name} needs a guide: add e.g. "guide: { id: local, options: { model: <dir or hub id> } }"`,
      });
    }
    if (a.name === 'd2lols' && a.d2lolsSwitchIteration > r.iterations) {
      context.addIssue({
        code: 'custom',
        path: ['algorithm', 'd2lolsSwitchIteration'],
        message: `switch iteration ${a.d2lolsSwitchIteration} is after the last iteration ${r.iterations}: D2LOLS would never reach PPO++`,
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

/** A validated recipe with every default filled in. */
export type Recipe = z.output<typeof recipeSchema>;
/** A recipe as written (defaults optional). */
export type RecipeInput = z.input<typeof recipeSchema>;
