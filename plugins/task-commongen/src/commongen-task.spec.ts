import { InvalidArgumentError, type HubFilesV1, type TaskV1 } from '@rlgf/contracts';
import { createComponentContext, createRunContainer, registerPlugins, silentLogger } from '@rlgf/core';
import { openHubDataset } from '@rlgf/datasets';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { describeTaskContract, rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { tmpdir } from 'node:os';
import { groupConceptSets } from './concept-sets';
import { plugin } from './plugin';

const hub: HubFilesV1 = createHubFiles({ ...hubSettingsFromEnv(), mirrorDir: sharedHubMirror(), offline: true });

/** The task as a run creates it: through the plugin's factory in a run container. */
async function createTask(options: Record<string, unknown> = {}): Promise<TaskV1> {
  const container = createRunContainer();
  registerPlugins(container, [{ plugin }], { logger: silentLogger });
  const context = createComponentContext({ container, hub, logger: silentLogger, seed: 0, cacheDir: tmpdir() });
  return context.createComponent('task', { id: 'commongen', options });
}

describeTaskContract('commongen', () => createTask());

describe('grouping CommonGen rows', () => {
  it('makes one concept set per concept_set_idx with every non-empty reference, in first-seen order', () => {
    const rows = [
      { concept_set_idx: 7, concepts: ['dog', 'frisbee'], target: 'A dog catches a frisbee.' },
      { concept_set_idx: 3, concepts: ['sun', 'beach'], target: 'The sun sets over the beach.' },
      { concept_set_idx: 7, concepts: ['dog', 'frisbee'], target: ' The dog jumps for the frisbee. ' },
      { concept_set_idx: 7, concepts: ['dog', 'frisbee'], target: '' },
    ];
    expect(groupConceptSets(rows, 'test rows')).toEqual([
      { index: 7, concepts: ['dog', 'frisbee'], references: ['A dog catches a frisbee.', 'The dog jumps for the frisbee.'] },
      { index: 3, concepts: ['sun', 'beach'], references: ['The sun sets over the beach.'] },
    ]);
    expect(() => groupConceptSets([{ concept_set_idx: 1, concepts: 'dog', target: 'x' }], 'bad rows')).toThrow(/row 0 of bad rows is not a CommonGen row/);
  });
});

describe('commongen task on allenai/common_gen', () => {
  let task: TaskV1;
  beforeAll(async () => {
    task = await createTask();
  });

  it('has one sample per validation concept set, with all of its references and its concepts', async () => {
    const samples = await task.doLoadSamples({ split: 'validation' });
    const dataset = await openHubDataset(hub, { repo: 'allenai/common_gen' });
    const rows = await dataset.readRows('validation', { columns: ['concept_set_idx', 'concepts', 'target'] });
    expect(samples).toHaveLength(993);
    expect(samples.reduce((sum, sample) => sum + sample.references.length, 0)).toBe(rows.filter((row) => String(row.target).trim() !== '').length);
    const sample = samples[0];
    const index = Number(sample.meta?.conceptSetIdx);
    const concepts = (rows.find((row) => Number(row.concept_set_idx) === index)?.concepts ?? []) as string[];
    expect(sample.id).toBe(`validation-${index}`);
    expect(sample.prompt).toBe(`generate a sentence with: ${concepts.join(' ')}.`);
    expect(sample.meta?.concepts).toEqual(concepts);
    expect(sample.references).toEqual(rows.filter((row) => Number(row.concept_set_idx) === index).map((row) => String(row.target).trim()));
  });

  it('groups train too (TRIL trains on each concept set with all of its references)', async () => {
    const samples = await task.doLoadSamples({ split: 'train', limit: 200 });
    expect(new Set(samples.map((sample) => sample.meta?.conceptSetIdx)).size).toBe(200);
    expect(samples.some((sample) => sample.references.length > 1)).toBe(true);
  });

  it('keeps a seeded random subset of concept sets when capped, with its own prompt format', async () => {
    const capped = await createTask({ testSize: 50, prefix: 'Concepts: ', separator: ', ', suffix: '\nSentence:' });
    const other = await createTask({ testSize: 50, orderSeed: 1 });
    const [first, again, reordered] = await Promise.all([capped.doLoadSamples({ split: 'test' }), capped.doLoadSamples({ split: 'test' }), other.doLoadSamples({ split: 'test' })]);
    expect(first).toHaveLength(50);
    expect(again).toEqual(first);
    expect(reordered.map((s) => s.id)).not.toEqual(first.map((s) => s.id));
    expect(first[0].prompt).toBe(`Concepts: ${(first[0].meta?.concepts as string[]).join(', ')}\nSentence:`);
    expect(capped.splits.test).toBe('test grouped by concept_set_idx, shuffled (seed 0)[:50]');
  });

  it('declares the authors\' generation settings, reward and metrics', () => {
    expect(task.generation).toEqual({ maxNewTokens: 20, minNewTokens: 4, evalDecoding: { strategy: 'beam', numBeams: 5 } });
    expect(task.defaultReward).toEqual({ id: 'metric-reward' });
    expect(task.defaultMetrics.map((metric) => metric.id)).toEqual(['bleu', 'rouge', 'meteor', 'cider-d', 'coverage']);
  });

  it('rejects unknown and malformed options by name', async () => {
    expect(await rejectionOf(createTask({ trainsize: 10 }))).toBeInstanceOf(InvalidArgumentError);
    expect(String(await rejectionOf(createTask({ trainsize: 10 })))).toContain('task.options.trainsize: expected one of the options at this level: prefix, separator, suffix, orderSeed, trainSize, validationSize, testSize (did you mean "trainSize"?)');
    expect(String(await rejectionOf(createTask({ testSize: 0 })))).toContain('task.options.testSize: got 0, expected');
    expect(String(await rejectionOf(createTask({ prefix: 3 })))).toContain('task.options.prefix: got 3, expected');
  });
});
