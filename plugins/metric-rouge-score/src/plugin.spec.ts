import type { ComponentContextV1 } from '@rlgf/contracts';
import { createComponentWith } from '@rlgf/core';
import golden from './__fixtures__/golden-commongen.json';
import { plugin, rougeFactory } from './plugin';
import { rougeScore, rougeTokenize } from './rouge-score';
import { describeMetricContract } from '@rlgf/testing';

const createRouge = (options: Record<string, unknown> = {}) => createComponentWith({} as ComponentContextV1, rougeFactory, options);

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(expected), 1e-8));
}

describe('rouge-score ROUGE', () => {
  it('is a metric plugin offering "rouge"', () => {
    expect(plugin).toMatchObject({ id: '@rlgf/metric-rouge-score', kind: 'metric' });
  });

  it('tokenizes like rouge-score (lower-case, alphanumerics, stems of words longer than 3)', () => {
    expect(rougeTokenize('The runners were running, quickly!', true)).toEqual(['the', 'runner', 'were', 'run', 'quickli']);
    expect(rougeTokenize("It's 5 o'clock", false)).toEqual(['it', 's', '5', 'o', 'clock']);
  });

  it('scores the rouge-score README pair as computed by hand', () => {
    const scores = rougeScore('The quick brown fox jumps over the lazy dog', 'The quick brown dog jumps on the log.', { useStemmer: false });
    expectClose(scores.rouge1, (2 * (6 / 8) * (6 / 9)) / (6 / 8 + 6 / 9));
    expectClose(scores.rougeL, (2 * (5 / 8) * (5 / 9)) / (5 / 8 + 5 / 9));
    expectClose(scores.rougeLsum, scores.rougeL);
  });

  it('splits rougeLsum sentences on newlines', () => {
    const scores = rougeScore('a b c\nd e f', 'd e f\na b c', { useStemmer: false });
    expect(scores.rougeLsum).toBe(1);
    expect(scores.rougeL).toBeCloseTo(0.5, 10);
  });

  it.each([
    ['stemmed', true],
    ['unstemmed', false],
  ] as const)(`matches rouge-score score_multi (%s) on ${golden.items.length} CommonGen items to 1e-4`, async (variant, useStemmer) => {
    const metric = await createRouge({ useStemmer });
    const result = await metric.doCompute({ items: golden.items, perItem: true });
    const expected = golden[variant];
    for (const type of ['rouge1', 'rouge2', 'rougeL', 'rougeLsum'] as const) {
      expectClose(result.corpus[type], expected.corpus[type]);
      expected.perItem[type].forEach((score, i) => expectClose(result.perItem?.[type][i] ?? Number.NaN, score));
    }
  });

  it('rejects a non-boolean useStemmer, an unknown option and items without references', async () => {
    await expect(createRouge({ useStemmer: 1 })).rejects.toThrow('metric.options.useStemmer: got 1, expected boolean');
    await expect(createRouge({ useStemer: false })).rejects.toThrow('metric.options.useStemer: expected one of the options at this level: useStemmer (did you mean "useStemmer"?)');
    const metric = await createRouge();
    await expect(metric.doCompute({ items: [{ prediction: 'a', references: [] }] })).rejects.toThrow(/references/);
  });
});

const contractItems = [
  { prediction: 'A dog runs across the field.', references: ['The dog runs in a field.', 'A dog is running on the grass.'], meta: { concepts: ['dog', 'run', 'field'] } },
  { prediction: 'Two people ride bikes down the street.', references: ['People ride their bikes on a street.'], meta: { concepts: ['ride', 'bike', 'street'] } },
];
describeMetricContract('rouge', () => createRouge(), { items: contractItems });
