import { InvalidArgumentError, type ComponentContextV1, type MetricV1 } from '@rlgf/contracts';
import golden from './__fixtures__/golden-commongen.json';
import { createComponentWith } from '@rlgf/core';
import { bleuFactory, plugin } from './plugin';
import { corpusBleu, sentenceBleu } from './sacre-bleu';
import { describeMetricContract } from '@rlgf/testing';

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(expected), 1e-8));
}

function createBleu(options: Record<string, unknown> = {}): Promise<MetricV1> {
  return createComponentWith({} as ComponentContextV1, bleuFactory, options);
}

describe('sacreBLEU BLEU', () => {
  it('is a metric plugin offering "bleu"', () => {
    expect(plugin).toMatchObject({ specificationVersion: 'v1', id: '@rlgf/metric-sacrebleu', kind: 'metric' });
    expect(bleuFactory).toMatchObject({ kind: 'metric', id: 'bleu' });
  });

  it('reproduces the sacreBLEU README example (48.53)', () => {
    const hyps = ['The dog bit the man.', "It wasn't surprising.", 'The man had just bitten him.'];
    const refs = [
      ['The dog bit the man.', 'The dog had bit the man.'],
      ['It was not unexpected.', 'No one was surprised.'],
      ['The man bit him first.', 'The man had bitten the dog.'],
    ];
    expectClose(corpusBleu(hyps, refs), 48.530827009929865);
  });

  it('gives 100 for an exact match and 0 without any matching unigram', () => {
    expect(sentenceBleu('a cat sat on the mat', ['a cat sat on the mat'])).toBeCloseTo(100, 10);
    expect(corpusBleu(['xyz'], [['a cat']])).toBe(0);
  });

  it(`matches sacreBLEU on ${golden.items.length} CommonGen items (corpus and sentence BLEU) to 1e-4`, async () => {
    const metric = await createBleu();
    const result = await metric.doCompute({ items: golden.items, perItem: true });
    expectClose(result.corpus.bleu, golden.corpus.bleu);
    golden.perItem.bleu.forEach((expected, i) => expectClose(result.perItem?.bleu[i] ?? Number.NaN, expected));
    expect(result.warnings).toEqual([]);
  });

  it('rejects a bad option, an unknown option and items without references', async () => {
    await expect(createBleu({ lowercase: 'yes' })).rejects.toThrow('metric.options.lowercase: got "yes", expected boolean');
    await expect(createBleu({ tokenize: 'intl' })).rejects.toThrow('metric.options.tokenize: expected one of the options at this level: lowercase');
    const metric = await createBleu({ lowercase: true });
    await expect(metric.doCompute({ items: [{ prediction: 'a', references: [''] }] })).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});

const contractItems = [
  { prediction: 'A dog runs across the field.', references: ['The dog runs in a field.', 'A dog is running on the grass.'], meta: { concepts: ['dog', 'run', 'field'] } },
  { prediction: 'Two people ride bikes down the street.', references: ['People ride their bikes on a street.'], meta: { concepts: ['ride', 'bike', 'street'] } },
];
describeMetricContract('bleu', () => createBleu(), { items: contractItems });
