import { InvalidArgumentError } from '@rlgf/contracts';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseRecipe } from './load-recipe';
import { checkResumeChanges, resumeChanges } from './resume-overrides';
import { loadResumedRecipe } from './resume-recipe';

const document = {
  task: 'imdb',
  policy: { model: 'karpathy/tinyllamas/stories260K' },
  guide: { id: 'hf-endpoint', options: { endpointUrl: 'http://a:8080', topP: 0.9 } },
  algorithm: { name: 'd2lols' },
  rollout: { samplesPerIteration: 16, generationBatchSize: 16 },
  optimization: { minibatchSize: 8 },
};
const changesOf = (overrides: string[]) =>
  resumeChanges(parseRecipe(document, { source: 'r.yaml', baseDir: '/tmp' }), parseRecipe(document, { source: 'r.yaml', baseDir: '/tmp', overrides }), overrides);

describe('--set on --resume', () => {
  it('lets through fields that leave the computation alone, and finds the leaf that changed', () => {
    expect(changesOf(['guide.options={endpointUrl: "http://b:8080", topP: 0.9}', 'logging.progress=none', 'evaluation.every=3'])).toEqual([
      { path: 'guide.options.endpointUrl', from: 'http://a:8080', to: 'http://b:8080', changesComputation: false },
      { path: 'logging.progress', from: 'auto', to: 'none', changesComputation: false },
      { path: 'evaluation.every', from: 10, to: 3, changesComputation: false },
    ]);
    expect(() => checkResumeChanges(changesOf(['checkpoint.keep=9', 'guide.options.token={env: MY_TOKEN}']), false)).not.toThrow();
  });

  it('lets the thread settings change: results are byte-identical for any thread count and wherever the critics train', () => {
    const changes = changesOf(['threads=1', 'critic.thread=main']);
    expect(changes).toEqual([
      { path: 'threads', from: undefined, to: 1, changesComputation: false },
      { path: 'critic.thread', from: 'auto', to: 'main', changesComputation: false },
    ]);
    expect(() => checkResumeChanges(changes, false)).not.toThrow();
  });

  it('counts a value restated, or its default written out, as no change', () => {
    expect(changesOf(['rollout.samplesPerIteration=16', 'backend=wasm', 'seed=0'])).toEqual([]);
  });

  it('refuses a change to the computation in one line naming the field, its values and --force', () => {
    const changes = changesOf(['rollout.samplesPerIteration=32', 'guide.options.topP=0.5', 'logging.csv=false']);
    expect(changes.filter((change) => change.changesComputation).map((change) => change.path)).toEqual(['rollout.samplesPerIteration', 'guide.options.topP']);
    let error: unknown;
    try {
      checkResumeChanges(changes, false);
    } catch (caught) {
      error = caught;
    }
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe(
      '--set rollout.samplesPerIteration, guide.options.topP: expected no change to what a resumed run computes (rollout.samplesPerIteration 16 → 32; guide.options.topP 0.9 → 0.5)',
    );
    expect((error as InvalidArgumentError).hint).toMatch(/^pass --force to change it anyway, recorded in recipe.yaml and summary.md; without --force, --set on --resume may change description, logging, /);
    expect(() => checkResumeChanges(changes, true)).not.toThrow();
  });

  it('refuses outputDir: the run directory is the folder given to --resume', () => {
    expect(() => changesOf(['outputDir=runs/elsewhere'])).toThrow('--set outputDir: expected no outputDir with --resume: the run directory is the folder given to --resume');
  });

  it('loads a run directory by its own folder, and says when a folder is not one', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rlgf-resume-'));
    await writeFile(join(dir, 'recipe.yaml'), ['name: moved', 'outputDir: runs/original', `task: imdb`, 'policy: { model: m }'].join('\n'));
    const resumed = await loadResumedRecipe(dir, { cwd: '/', overrides: [], force: false });
    expect(resumed.runDir).toBe(dir);
    expect(resumed.changes).toEqual([]);
    await expect(loadResumedRecipe(join(dir, 'nothing'), { cwd: '/', overrides: [], force: false })).rejects.toThrow(
      `--resume: got "${join(dir, 'nothing')}", expected a run directory: one with the recipe.yaml a run writes when it starts`,
    );
  });
});
