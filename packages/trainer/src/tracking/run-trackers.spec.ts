import type { ComponentContextV1, HubFilesV1, TrackerV1 } from '@rlgf/contracts';
import { createRunContainer, definePlugin, registerPlugins, silentLogger } from '@rlgf/core';
import { parseRecipe } from '@rlgf/recipe';
import { rejectionOf } from '@rlgf/testing';
import type { RunEnvironment } from '../run/run-environment';
import { createRunTracker } from './run-trackers';

const noHub: HubFilesV1 = { resolveFile: async () => '', listFiles: async () => [] };

function recorder(name: string, calls: string[]): TrackerV1 {
  return {
    specificationVersion: 'v1',
    logIteration: (iteration) => calls.push(`${name} iteration ${iteration}`),
    logEvaluation: (iteration, split) => calls.push(`${name} evaluation ${iteration} ${split}`),
    flush: async () => undefined,
    close: async () => {
      calls.push(`${name} close`);
    },
  };
}

function setup(trackers: unknown[]) {
  const calls: string[] = [];
  const contexts: ComponentContextV1[] = [];
  const container = createRunContainer();
  const plugin = definePlugin({
    id: 'recording-tracker',
    version: '0.0.0',
    kind: 'tracker',
    description: 'records calls',
    factories: [
      {
        specificationVersion: 'v1',
        kind: 'tracker',
        id: 'recording',
        description: 'records calls',
        async create(options, context) {
          contexts.push(context);
          if (options.fail) throw new Error('tracker failed to start');
          return recorder(String(options.name), calls);
        },
      },
    ],
  });
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const env: RunEnvironment = { container, hub: noHub, logger: silentLogger, cacheDir: '/tmp', cwd: '/work', isTty: false, writeProgress: () => undefined };
  const { recipe } = parseRecipe({ task: 'synthetic', policy: { model: 'm' }, trackers }, { source: 'r.yaml', baseDir: '/tmp' });
  return { calls, contexts, env, recipe, files: recorder('files', calls) };
}

describe('the run tracker', () => {
  it('is the run files (and the summary\'s samples) when the recipe names no tracker', async () => {
    const { calls, env, recipe, files } = setup([]);
    const tracker = await createRunTracker(recipe, env, '/runs/r', files);
    tracker.logIteration(1, {});
    await tracker.close();
    expect(calls).toEqual(['files iteration 1', 'files close']);
  });

  it('fans out to the run files first, then each tracker the recipe names, made with the run directory in their context', async () => {
    const { calls, contexts, env, recipe, files } = setup([{ id: 'recording', options: { name: 'a' } }, { id: 'recording', options: { name: 'b' } }]);
    const tracker = await createRunTracker(recipe, env, '/runs/r', files);
    tracker.logIteration(1, {});
    tracker.logEvaluation(2, 'test', {});
    await tracker.close();
    expect(calls).toEqual(['files iteration 1', 'a iteration 1', 'b iteration 1', 'files evaluation 2 test', 'a evaluation 2 test', 'b evaluation 2 test', 'files close', 'a close', 'b close']);
    expect(contexts.map((context) => [context.runDirectory, context.workingDirectory])).toEqual([
      ['/runs/r', '/work'],
      ['/runs/r', '/work'],
    ]);
  });

  it('closes the trackers already made when a later one fails to start', async () => {
    const { calls, env, recipe, files } = setup([{ id: 'recording', options: { name: 'a' } }, { id: 'recording', options: { fail: true } }]);
    expect(String(await rejectionOf(createRunTracker(recipe, env, '/runs/r', files)))).toContain('tracker failed to start');
    expect(calls).toEqual(['a close']);
  });

  it('names an unknown tracker with the known ones', async () => {
    const { env, recipe, files } = setup([{ id: 'tensorbord' }]);
    expect(String(await rejectionOf(createRunTracker(recipe, env, '/runs/r', files)))).toMatch(/tracker.*tensorbord.*recording/);
  });
});
