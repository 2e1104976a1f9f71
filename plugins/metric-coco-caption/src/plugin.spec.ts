import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, type ComponentContextV1, type ComponentFactoryV1 } from '@rlgf/contracts';
import { createComponentWith } from '@rlgf/core';
import golden from './__fixtures__/golden-commongen.json';
import { ciderD } from './cider-d';
import { cocoBleu } from './coco-bleu';
import { cocoRougeL } from './coco-rouge-l';
import { ciderFactory, cocoBleuFactory, plugin, rougeFactory, spiceFactory } from './plugin';
import { parseSpiceOutput, writeSpiceInput } from './spice';
import { describeMetricContract } from '@rlgf/testing';

const context = { cacheDir: tmpdir() } as ComponentContextV1;
const create = (factory: ComponentFactoryV1<'metric'>, options: Record<string, unknown> = {}, within = context) => createComponentWith(within, factory, options);
const split = (text: string) => text.split(' ').filter(Boolean);

function expectClose(actual: number, expected: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-4 * Math.max(Math.abs(expected), 1e-8));
}

describe('pycocoevalcap metrics', () => {
  it('registers coco-bleu, cider-d, coco-rouge-l and spice', () => {
    expect(plugin).toMatchObject({ id: '@rlgf/metric-coco-caption', kind: 'metric' });
    expect([cocoBleuFactory, ciderFactory, rougeFactory, spiceFactory].map((f) => f.id)).toEqual(['coco-bleu', 'cider-d', 'coco-rouge-l', 'spice']);
  });

  it('BLEU-1 gives the modified unigram precisions of the BLEU paper examples', () => {
    const refs = [
      'It is a guide to action that ensures that the military will forever heed Party commands',
      'It is the guiding principle which guarantees the military forces always being under the command of the Party',
      'It is the practical guide for the army always to heed the directions of the party',
    ].map((ref) => split(ref.toLowerCase()));
    const candidate = split('it is a guide to action which ensures that the military always obeys the commands of the party');
    expectClose(cocoBleu([candidate], [refs]).corpus[0], 17 / 18);
    const theThe = cocoBleu([split('the the the the the the the')], [[split('the cat is on the mat'), split('there is a cat on the mat')]]);
    expectClose(theThe.corpus[0], 2 / 7);
  });

  it('CIDEr-D is 10 for captions equal to their only reference with no shared n-grams across items', () => {
    expect(ciderD([split('a b c d'), split('e f g h')], [[split('a b c d')], [split('e f g h')]]).map((x) => Number(x.toFixed(10)))).toEqual([10, 10]);
  });

  it('ROUGE-L uses beta 1.2 on the best precision and recall', () => {
    expectClose(cocoRougeL(split('a b c d'), [split('a c d e f')]), (2.44 * 0.75 * 0.6) / (0.6 + 1.44 * 0.75));
  });

  it(`matches pycocoevalcap on ${golden.items.length} CommonGen items to 1e-4`, async () => {
    const items = golden.items.map((item) => ({ prediction: item.prediction, references: item.references }));
    for (const factory of [cocoBleuFactory, ciderFactory, rougeFactory]) {
      const result = await (await create(factory)).doCompute({ items, perItem: true });
      for (const [name, value] of Object.entries(result.corpus)) {
        expectClose(value, golden.corpus[name as keyof typeof golden.corpus]);
        const expected = golden.perItem[name as keyof typeof golden.perItem];
        expect(result.perItem?.[name]).toHaveLength(expected.length);
        (result.perItem?.[name] ?? []).forEach((score, i) => expectClose(score, expected[i]));
      }
    }
  });

  it('tokenizes with the PTB rules the golden values were computed on', async () => {
    const tokenized = golden.items.map((item) => ({ prediction: item.ptb.prediction, references: item.ptb.references }));
    const result = await (await create(ciderFactory, { tokenize: 'none' })).doCompute({ items: tokenized });
    expectClose(result.corpus['cider-d'], golden.corpus['cider-d']);
  });

  it('refuses a bad tokenize value and unknown options', async () => {
    await expect(create(ciderFactory, { tokenize: 'spacy' })).rejects.toThrow('metric.options.tokenize: got "spacy", expected one of "ptb", "none"');
    await expect(create(cocoBleuFactory, { sigma: 6 })).rejects.toThrow('metric.options.sigma: expected one of the options at this level: tokenize');
    await expect(create(spiceFactory, { maxMemory: 8 })).rejects.toThrow('metric.options.maxMemory: got 8, expected string');
    await expect(create(spiceFactory, { jar: 'x' })).rejects.toThrow('metric.options.jar: expected one of the options at this level: jarPath, javaPath, maxMemory, tokenize');
  });

  it('SPICE explains where to get the jar when it is not installed', async () => {
    const previous = process.env.SPICE_JAR;
    delete process.env.SPICE_JAR;
    try {
      await expect(create(spiceFactory)).rejects.toBeInstanceOf(InvalidArgumentError);
      await expect(create(spiceFactory, { jarPath: '/nonexistent/spice-1.0.jar' })).rejects.toThrow(/spice-1\.0\.jar/);
    } finally {
      if (previous !== undefined) process.env.SPICE_JAR = previous;
    }
  });

  it('SPICE writes pycocoevalcap\'s input file and reads the All F-score from its output', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'spice-'));
    const file = await writeSpiceInput([{ image_id: '0', test: 'a dog runs', refs: ['the dog is running', 'a dog runs fast'] }], dir);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual([{ image_id: '0', test: 'a dog runs', refs: ['the dog is running', 'a dog runs fast'] }]);
    const output = JSON.stringify([{ image_id: '0', scores: { All: { pr: 0.5, re: 0.25, f: 0.3333, fn: 1, numImages: 1 } } }, { image_id: '1', scores: { All: { f: 'NaN' } } }]);
    const scores = parseSpiceOutput(output);
    expect(scores.get('0')).toBe(0.3333);
    expect(scores.get('1')).toBeNaN();
  });
});

const contractItems = [
  { prediction: 'A dog runs across the field.', references: ['The dog runs in a field.', 'A dog is running on the grass.'], meta: { concepts: ['dog', 'run', 'field'] } },
  { prediction: 'Two people ride bikes down the street.', references: ['People ride their bikes on a street.'], meta: { concepts: ['ride', 'bike', 'street'] } },
];
describeMetricContract('coco-bleu', () => create(cocoBleuFactory, {}, {} as ComponentContextV1), { items: contractItems });
describeMetricContract('cider-d', () => create(ciderFactory, {}, {} as ComponentContextV1), { items: contractItems });
describeMetricContract('coco-rouge-l', () => create(rougeFactory, {}, {} as ComponentContextV1), { items: contractItems });
