import { InvalidArgumentError, type ComponentFactoryV1, type TrackedSampleV1, type TrackedValuesV1, type TrackerV1 } from '@rlgf/contracts';
import { isAbsolute, join, resolve } from 'node:path';
import { z } from 'zod';
import { EventFile, type SummaryValue } from './event-file';

/** The options of the `tensorboard` tracker; the core validates them and `rlgf plugins --options` shows them. */
export const tensorboardTrackerOptions = z.strictObject({
  logDir: z.string().min(1).optional().describe('where the event files go, relative to the working directory (default <run dir>/tensorboard); point `tensorboard --logdir` at it or a folder above'),
  samples: z.number().int().min(0).default(4).describe('generations of each iteration shown in the Text tab, the first of the rollout (0: none)'),
});

export type TensorboardTrackerOptions = z.output<typeof tensorboardTrackerOptions>;

const scalars = (prefix: string, values: TrackedValuesV1): SummaryValue[] =>
  Object.entries(values).flatMap(([name, value]) => (typeof value === 'number' && Number.isFinite(value) ? [{ tag: `${prefix}/${name}`, scalar: value }] : []));

// Markdown, as the Text tab renders it: one row per sample, pipes and line breaks kept visible.
function samplesTable(samples: readonly TrackedSampleV1[]): string {
  const cell = (text: string) => text.replace(/\\/g, '\\\\').replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
  return ['| prompt | generation | reward |', '|---|---|---|', ...samples.map((s) => `| ${cell(s.prompt)} | ${cell(s.generation)} | ${s.reward.toFixed(4)} |`)].join('\n');
}

/**
 * A tracker writing TensorBoard event files: each iteration's numbers as scalars `train/<name>`,
 * each evaluation's as `<split>/<name>`, both at the iteration as step, and the first `samples`
 * generations of each iteration as a Markdown table under `samples/generations`.
 */
export function createTensorboardTracker(settings: { readonly logDir: string; readonly samples: number; readonly clock?: () => number }): TrackerV1 & { readonly path: string } {
  const file = new EventFile(settings.logDir, settings.clock ?? Date.now);
  return {
    specificationVersion: 'v1',
    path: file.path,
    logIteration(iteration, values) {
      file.write(iteration, scalars('train', values));
    },
    logEvaluation(iteration, split, values) {
      file.write(iteration, scalars(split, values));
    },
    logSamples(iteration, samples) {
      const shown = samples.slice(0, settings.samples);
      if (shown.length > 0) file.write(iteration, [{ tag: 'samples/generations', text: samplesTable(shown) }]);
    },
    async flush() {
      file.flush();
    },
    async close() {
      file.close();
    },
  };
}

export const tensorboardTrackerFactory: ComponentFactoryV1<'tracker', TensorboardTrackerOptions> = {
  specificationVersion: 'v1',
  kind: 'tracker',
  id: 'tensorboard',
  description: 'TensorBoard event files: scalars per iteration and per evaluation, sample generations as text',
  optionsSchema: tensorboardTrackerOptions,
  async create(options, context) {
    const base = options.logDir ?? (context.runDirectory === undefined ? undefined : join(context.runDirectory, 'tensorboard'));
    if (base === undefined) {
      throw new InvalidArgumentError({ argument: 'tracker.options.logDir', expected: 'a folder for the event files (this is not a training run, so there is no run directory to default to)' });
    }
    const logDir = isAbsolute(base) ? base : resolve(context.workingDirectory, base);
    context.logger.info(`tensorboard: event files in ${logDir} (tensorboard --logdir ${logDir})`);
    return createTensorboardTracker({ logDir, samples: options.samples });
  },
};
