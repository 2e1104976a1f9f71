import type { ComponentContextV1 } from '@rlgf/contracts';
import { createComponentWith } from '@rlgf/core';
import { defaultWordNet } from '@rlgf/text';
import golden from './__fixtures__/golden-commongen.json';
import { conceptCoverage } from './coverage';
import { coverageFactory, plugin } from './plugin';
import { describeMetricContract } from '@rlgf/testing';

const createCoverage = (options: Record<string, unknown> = {}) => createComponentWith({} as ComponentContextV1, coverageFactory, options);

describe('CommonGen coverage', () => {
  it('is a metric plugin offering "coverage"', () => {
    expect(plugin).toMatchObject({ id: '@rlgf/metric-commongen-coverage', kind: 'metric' });
  });

  it('finds inflected concepts through WordNet base forms', () => {
    expect(conceptCoverage('The dogs ran across the fields.', ['dog', 'run', 'field', 'cat'], defaultWordNet())).toBe(0.75);
    expect(conceptCoverage('Geese were swimming', ['goose', 'swim', 'be'], defaultWordNet())).toBe(1);
  });

  it(`matches the NLTK morphy reference on ${golden.items.length} CommonGen items`, async () => {
    const metric = await createCoverage();
    const items = golden.items.map((item) => ({ prediction: item.prediction, references: [], meta: { concepts: item.concepts } }));
    const result = await metric.doCompute({ items, perItem: true });
    expect(result.perItem?.coverage).toEqual(golden.perItem.coverage);
  });

  it('takes no options', async () => {
    await expect(createCoverage({ lemmatizer: 'spacy' })).rejects.toThrow('metric.options.lemmatizer: expected no option here: this component takes none');
  });

  it('names the item whose concepts are missing', async () => {
    const metric = await createCoverage();
    await expect(metric.doCompute({ items: [{ prediction: 'a', references: [] }] })).rejects.toThrow(/items\[0\]\.meta\.concepts/);
  });
});

const contractItems = [
  { prediction: 'A dog runs across the field.', references: ['The dog runs in a field.', 'A dog is running on the grass.'], meta: { concepts: ['dog', 'run', 'field'] } },
  { prediction: 'Two people ride bikes down the street.', references: ['People ride their bikes on a street.'], meta: { concepts: ['ride', 'bike', 'street'] } },
];
describeMetricContract('coverage', () => createCoverage(), { items: contractItems });
