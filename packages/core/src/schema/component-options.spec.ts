import { InvalidArgumentError, type ComponentFactoryV1 } from '@rlgf/contracts';
import { z } from 'zod';
import { closestName } from './closest-name';
import { describeOptions, validateComponentOptions } from './component-options';

const schema = z.strictObject({
  promptTokens: z.number().int().min(1).default(64).describe('policy tokens of the prompt'),
  lineBreaks: z.enum(['newline', 'space']).default('newline').describe('how <br /> renders'),
  labels: z.array(z.union([z.literal(0), z.literal(1)])).optional().describe('labels kept'),
  nested: z.strictObject({ weight: z.number().default(1) }).optional().describe('a nested object'),
});

const factory: ComponentFactoryV1<'task', z.output<typeof schema>> = {
  specificationVersion: 'v1',
  kind: 'task',
  id: 'toy',
  description: 'a toy',
  optionsSchema: schema,
  create: async () => {
    throw new Error('not created in this test');
  },
};
const rejectionOf = (promise: Promise<unknown>): Promise<unknown> => promise.then(() => new Error('expected a rejection'), (error: unknown) => error);
const asAny = factory as unknown as ComponentFactoryV1<'task'>;

describe('component options validated by the factory schema', () => {
  it('returns the parsed options with defaults filled in', async () => {
    await expect(validateComponentOptions(asAny, { labels: [1] }, 'task')).resolves.toEqual({ promptTokens: 64, lineBreaks: 'newline', labels: [1] });
  });

  it('names a bad value as task.options.<field> with what is expected', async () => {
    const error = await rejectionOf(validateComponentOptions(asAny, { promptTokens: 0 }, 'task'));
    expect(InvalidArgumentError.isInstance(error)).toBe(true);
    expect((error as Error).message).toBe('task.options.promptTokens: got 0, expected >= 1');
    expect(String((await rejectionOf(validateComponentOptions(asAny, { lineBreaks: 'tab' }, 'task'))) as Error)).toContain(
      'task.options.lineBreaks: got "tab", expected one of "newline", "space"',
    );
  });

  it('refuses an unknown option, suggesting the closest name, also inside nested objects', async () => {
    const error = (await rejectionOf(validateComponentOptions(asAny, { promptToken: 3 }, 'task'))) as Error;
    expect(error.message).toBe('task.options.promptToken: expected one of the options at this level: promptTokens, lineBreaks, labels, nested (did you mean "promptTokens"?)');
    const nested = (await rejectionOf(validateComponentOptions(asAny, { nested: { wieght: 2 } }, 'task'))) as Error;
    expect(nested.message).toContain('task.options.nested.wieght: expected one of the options at this level: weight (did you mean "weight"?)');
  });

  it('reports every issue in one line', async () => {
    const error = (await rejectionOf(validateComponentOptions(asAny, { promptTokens: 'x', lineBreaks: 1 }, 'task'))) as Error;
    expect(error.message.split('\n')).toHaveLength(1);
    expect(error.message).toContain('task.options.promptTokens: got "x", expected number; task.options.lineBreaks: got 1');
  });

  it('passes raw options through for a factory without a schema', async () => {
    const raw = { ...factory, optionsSchema: undefined } as ComponentFactoryV1<'task'>;
    await expect(validateComponentOptions(raw, { anything: 1 }, 'task')).resolves.toEqual({ anything: 1 });
  });

  it('documents each option from the schema: type, description, default', () => {
    expect(describeOptions(asAny)).toEqual([
      { name: 'promptTokens', type: 'integer', description: 'policy tokens of the prompt', default: '64', required: false },
      { name: 'lineBreaks', type: '"newline" | "space"', description: 'how <br /> renders', default: '"newline"', required: false },
      { name: 'labels', type: '(0 | 1)[]', description: 'labels kept', default: undefined, required: false },
      { name: 'nested', type: 'object', description: 'a nested object', default: undefined, required: false },
    ]);
  });
});

describe('closestName', () => {
  it('finds typos (one edit, a swap) and ignores case, but not unrelated names', () => {
    expect(closestName('itertions', ['iterations', 'seed'])).toBe('iterations');
    expect(closestName('promtpTokens', ['promptTokens'])).toBe('promptTokens');
    expect(closestName('TOPK', ['topK', 'topP'])).toBe('topK');
    expect(closestName('learningRate', ['seed', 'name'])).toBeUndefined();
  });
});
