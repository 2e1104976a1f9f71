import type { ComponentContextV1 } from '@rlgf/contracts';
import { createComponentWith } from '@rlgf/core';
import { defaultWordNet } from '@rlgf/text';
import golden from './__fixtures__/golden-commongen.json';
import { meteorScore, singleMeteorScore } from './meteor';
import { meteorFactory, plugin } from './plugin';
import { describeMetricContract } from '@rlgf/testing';

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(expected), 1e-8));
}

const wordnet = defaultWordNet();
const createMeteor = (options: Record<string, unknown> = {}) => createComponentWith({} as ComponentContextV1, meteorFactory, options);

describe('NLTK METEOR', () => {
  it('is a metric plugin offering "meteor"', () => {
    expect(plugin).toMatchObject({ id: '@rlgf/metric-nltk-meteor', kind: 'metric' });
  });

  it('reproduces the NLTK docstring examples (0.6944 and 0)', () => {
    const hypothesis = 'It is a guide to action which ensures that the military always obeys the commands of the party'.split(' ');
    const reference = 'It is a guide to action that ensures that the military will forever heed Party commands'.split(' ');
    expect(Number(singleMeteorScore(reference, hypothesis, wordnet).toFixed(4))).toBe(0.6944);
    expect(meteorScore([['this', 'is', 'a', 'cat']], ['non', 'matching', 'hypothesis'], wordnet)).toBe(0);
  });

  it('matches words through stems and WordNet synonyms, looking synonyms up on the stems as NLTK does', () => {
    // "the" exact, "car"/"auto" synonyms: 2 matches in 1 chunk.
    expectClose(singleMeteorScore(['the', 'auto'], ['the', 'car'], wordnet), 1 - 0.5 * (1 / 2) ** 3);
    // "runs"/"running" match by stem; "automobile" is stemmed to "automobil" before the synonym
    // stage, so it no longer matches "car" (NLTK 3.8 gives 1/3 here).
    expectClose(singleMeteorScore(['the', 'automobile', 'running'], ['the', 'car', 'runs'], wordnet), 1 / 3);
  });

  it(`matches NLTK 3.8 through HF evaluate's call on ${golden.items.length} CommonGen items to 1e-4`, async () => {
    const metric = await createMeteor();
    const result = await metric.doCompute({ items: golden.items, perItem: true });
    expectClose(result.corpus.meteor, golden.corpus.meteor);
    golden.perItem.meteor.forEach((score, i) => expectClose(result.perItem?.meteor[i] ?? Number.NaN, score));
  });

  it('validates alpha, beta and gamma and refuses unknown options', async () => {
    await expect(createMeteor({ alpha: 1.5 })).rejects.toThrow('metric.options.alpha: got 1.5, expected <= 1');
    await expect(createMeteor({ beta: -1 })).rejects.toThrow('metric.options.beta: got -1, expected >= 0');
    await expect(createMeteor({ gamma: 'x' })).rejects.toThrow('metric.options.gamma: got "x", expected number');
    await expect(createMeteor({ delta: 1 })).rejects.toThrow('metric.options.delta: expected one of the options at this level: alpha, beta, gamma (did you mean "beta"?)');
  });
});

const contractItems = [
  { prediction: 'A dog runs across the field.', references: ['The dog runs in a field.', 'A dog is running on the grass.'], meta: { concepts: ['dog', 'run', 'field'] } },
  { prediction: 'Two people ride bikes down the street.', references: ['People ride their bikes on a street.'], meta: { concepts: ['ride', 'bike', 'street'] } },
];
describeMetricContract('meteor', () => createMeteor(), { items: contractItems });
