import type { ComponentContextV1 } from '@rlgf/contracts';
import { createComponentWith } from '@rlgf/core';
import golden from './__fixtures__/golden-commongen.json';
import { diversityStats } from './diversity';
import { diversityFactory, plugin } from './plugin';
import { describeMetricContract } from '@rlgf/testing';

const createDiversity = (options: Record<string, unknown> = {}) => createComponentWith({} as ComponentContextV1, diversityFactory, options);

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(expected), 1e-8));
}

describe('GEM diversity', () => {
  it('is a metric plugin offering "diversity"', () => {
    expect(plugin).toMatchObject({ id: '@rlgf/metric-gem-diversity', kind: 'metric' });
  });

  it('computes distinct, unique, vocabulary and entropy by hand on a tiny corpus', () => {
    const stats = diversityStats(['a b a', 'b c']);
    expect(stats).toMatchObject({ 'distinct-1': 3 / 5, 'unique-1': 1, 'vocab_size-1': 3, 'distinct-2': 1, 'unique-2': 3, mean_pred_length: 2.5, total_length: 5 });
    expectClose(stats['entropy-1'], -(2 * 0.4 * Math.log2(0.4) + 0.2 * Math.log2(0.2)));
    expect(stats['msttr-100']).toBeNaN();
  });

  it(`matches GEM-metrics on ${golden.predictions.length} CommonGen predictions to 1e-4`, async () => {
    const items = golden.predictions.map((prediction) => ({ prediction, references: [] }));
    for (const [dropPunctuation, expected] of [[false, golden.corpus], [true, golden.corpusNoPunct]] as const) {
      const result = await (await createDiversity({ dropPunctuation })).doCompute({ items });
      expect(Object.keys(result.corpus).sort()).toEqual(Object.keys(expected).sort());
      for (const [name, value] of Object.entries(expected)) expectClose(result.corpus[name], value);
    }
  });

  it('says per-item scores are not available and validates its options', async () => {
    const metric = await createDiversity();
    const result = await metric.doCompute({ items: [{ prediction: 'a b', references: [] }], perItem: true });
    expect(result.perItem).toBeUndefined();
    expect(result.warnings.map((warning) => warning.type)).toEqual(['undefined-value', 'per-item-unsupported']);
    await expect(createDiversity({ windowSize: 0 })).rejects.toThrow('metric.options.windowSize: got 0, expected >= 1');
    await expect(createDiversity({ window: 5 })).rejects.toThrow('metric.options.window: expected one of the options at this level: dropPunctuation, windowSize');
  });
});

const contractItems = [
  { prediction: 'A dog runs across the field.', references: ['The dog runs in a field.', 'A dog is running on the grass.'], meta: { concepts: ['dog', 'run', 'field'] } },
  { prediction: 'Two people ride bikes down the street.', references: ['People ride their bikes on a street.'], meta: { concepts: ['ride', 'bike', 'street'] } },
];
describeMetricContract('diversity', () => createDiversity(), { items: contractItems, perItem: false });

it('leaves out an MSTTR that GEM would give as NaN (a corpus shorter than one window), with a warning', async () => {
  const metric = await createDiversity();
  const result = await metric.doCompute({ items: contractItems });
  expect(result.corpus).not.toHaveProperty('msttr-100');
  expect(result.warnings.map((warning) => warning.message)).toContain('msttr-100 is undefined on this corpus (fewer tokens than one window): left out');
  const long = await (await createDiversity({ windowSize: 5 })).doCompute({ items: contractItems });
  expect(Number.isFinite(long.corpus['msttr-5'])).toBe(true);
});
