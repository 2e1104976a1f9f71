import { InvalidArgumentError } from '@rlgf/contracts';
import { isDeepStrictEqual } from 'node:util';
import type { LoadedRecipe } from './load-recipe';
import { parseOverride } from './overrides';

/**
 * Fields that `--set` may change on `--resume` without `--force`, and why each leaves the run's
 * computation alone: the weights, the rollouts and every number in metrics.jsonl stay what an
 * uninterrupted run would have produced. A field is listed with its sub-fields.
 */
export const resumeSafeFields: Readonly<Record<string, string>> = {
  description: 'free text shown in the summary',
  logging: 'the progress display and the CSV copies of the tracking files',
  trackers: 'where else metrics are sent (TensorBoard, say); the run directory\'s own files are unchanged',
  'checkpoint.every': 'when checkpoints are written; a run resumes exactly from any of them',
  'checkpoint.keep': 'how many checkpoints are kept',
  hub: 'where Hub files come from; they are verified against the same hashes',
  'evaluation.every': 'how often the policy is evaluated: evaluations draw from their own seeds and change no weight (evaluations.jsonl gains or loses rows, so the change is recorded)',
  'guide.options.endpointUrl': "where the remote guide is served (the same model at another address)",
  'guide.options.token': "the remote guide's credentials",
  threads: 'how many threads the kernels use: results are bit-identical for any count',
  'critic.thread': 'whether the critics train on a thread of their own: results and checkpoint files are byte-identical either way',
};

/** A recipe field that `--set` changed on `--resume`. */
export interface RecipeChange {
  /** Dotted path of the field, e.g. `rollout.samplesPerIteration`. */
  readonly path: string;
  readonly from: unknown;
  readonly to: unknown;
  /** False for the fields of `resumeSafeFields`. */
  readonly changesComputation: boolean;
}

const isSafe = (path: string) => Object.keys(resumeSafeFields).some((field) => path === field || path.startsWith(`${field}.`));
const isPlainObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function valueAt(value: unknown, path: readonly string[]): unknown {
  return path.reduce<unknown>((node, key) => (isPlainObject(node) || Array.isArray(node) ? (node as Record<string, unknown>)[key] : undefined), value);
}

/** The leaf fields where `before` and `after` differ (lists compare whole), as changes. */
function differences(before: unknown, after: unknown, path: readonly string[]): RecipeChange[] {
  if (isDeepStrictEqual(before, after)) return [];
  if (isPlainObject(before) && isPlainObject(after)) {
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].flatMap((key) => differences(before[key], after[key], [...path, key]));
  }
  const dotted = path.join('.');
  return [{ path: dotted, from: before, to: after, changesComputation: !isSafe(dotted) }];
}

/**
 * The fields that `overrides` change in a run's recipe, compared after validation (so a default
 * written out, or a shorthand, is no change). `--set outputDir` is refused: on `--resume` the run
 * directory is the folder given, wherever it was first written.
 */
export function resumeChanges(before: LoadedRecipe, after: LoadedRecipe, overrides: readonly string[]): RecipeChange[] {
  const paths = [...new Set(overrides.map((text) => parseOverride(text).path.join('.')))];
  if (paths.some((path) => path === 'outputDir' || path.startsWith('outputDir.'))) {
    throw new InvalidArgumentError({
      argument: '--set outputDir',
      expected: 'no outputDir with --resume: the run directory is the folder given to --resume',
      hint: 'move or copy the run folder and resume it there',
    });
  }
  const changes = new Map<string, RecipeChange>();
  for (const path of paths) {
    for (const change of differences(valueAt(before.recipe, path.split('.')), valueAt(after.recipe, path.split('.')), path.split('.'))) {
      changes.set(change.path, change);
    }
  }
  return [...changes.values()];
}

/** Refuses changes to the computation unless `force`: the run would no longer equal an uninterrupted one. */
export function checkResumeChanges(changes: readonly RecipeChange[], force: boolean): void {
  const refused = changes.filter((change) => change.changesComputation);
  if (refused.length === 0 || force) return;
  throw new InvalidArgumentError({
    argument: `--set ${refused.map((change) => change.path).join(', ')}`,
    expected: `no change to what a resumed run computes (${refused.map((change) => `${change.path} ${JSON.stringify(change.from)} → ${JSON.stringify(change.to)}`).join('; ')})`,
    hint: `pass --force to change it anyway, recorded in recipe.yaml and summary.md; without --force, --set on --resume may change ${Object.keys(resumeSafeFields).join(', ')}`,
  });
}
