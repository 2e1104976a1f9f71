import { InvalidArgumentError, type DecodingV1 } from '@rlgf/contracts';
import type { ModelReference } from '@rlgf/models';

export interface LocalGuideOptions {
  readonly model: ModelReference;
  readonly decoding: DecodingV1;
  readonly tokenization: 'auto' | 'shared' | 'text';
  readonly batchSize: number;
}

export const localGuideOptionDocs = {
  model: 'the guide model: a local directory or a Hub id owner/name[/subfolder] (string), or { source, revision, format }',
  decoding: 'how the guide samples; default { strategy: sample, topP: 0.92 } as in the authors\' IMDB setup',
  tokenization: '`auto` (default): `shared` when the guide encodes like the policy, else `text`; or force one',
  batchSize: 'prompts per generate call (default 16)',
};

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function parseModel(value: unknown): ModelReference {
  if (typeof value === 'string' && value !== '') return { source: value };
  if (isRecord(value) && typeof value.source === 'string' && value.source !== '') {
    const format = value.format ?? 'auto';
    if (format !== 'auto' && format !== 'hf' && format !== 'llama2c') {
      throw new InvalidArgumentError({ argument: 'guide.options.model.format', value: format, expected: 'auto, hf or llama2c' });
    }
    return { source: value.source, revision: typeof value.revision === 'string' ? value.revision : undefined, format };
  }
  throw new InvalidArgumentError({ argument: 'guide.options.model', value, expected: 'a model directory or Hub id (string), or { source, revision, format }' });
}

function parseDecoding(value: unknown): DecodingV1 {
  if (value === undefined) return { strategy: 'sample', topP: 0.92, temperature: 1, topK: 0 };
  if (!isRecord(value) || !['greedy', 'sample'].includes(String(value.strategy))) {
    throw new InvalidArgumentError({ argument: 'guide.options.decoding', value, expected: '{ strategy: greedy } or { strategy: sample, temperature?, topK?, topP? }' });
  }
  if (value.strategy === 'greedy') return { strategy: 'greedy' };
  const number = (key: string, fallback: number, valid: (x: number) => boolean) => {
    const x = value[key] ?? fallback;
    if (typeof x !== 'number' || !valid(x)) throw new InvalidArgumentError({ argument: `guide.options.decoding.${key}`, value: x, expected: 'a valid number' });
    return x;
  };
  return {
    strategy: 'sample',
    temperature: number('temperature', 1, (x) => x > 0),
    topK: number('topK', 0, (x) => Number.isInteger(x) && x >= 0),
    topP: number('topP', 1, (x) => x > 0 && x <= 1),
  };
}

/** Validates the recipe's `guide.options` for the local guide. */
export function parseLocalGuideOptions(options: Readonly<Record<string, unknown>>): LocalGuideOptions {
  const unknown = Object.keys(options).filter((key) => !(key in localGuideOptionDocs));
  if (unknown.length > 0) {
    throw new InvalidArgumentError({ argument: 'guide.options', value: unknown, expected: `only ${Object.keys(localGuideOptionDocs).join(', ')}` });
  }
  const tokenization = options.tokenization ?? 'auto';
  if (tokenization !== 'auto' && tokenization !== 'shared' && tokenization !== 'text') {
    throw new InvalidArgumentError({ argument: 'guide.options.tokenization', value: tokenization, expected: 'auto, shared or text' });
  }
  const batchSize = options.batchSize ?? 16;
  if (typeof batchSize !== 'number' || !Number.isInteger(batchSize) || batchSize < 1) {
    throw new InvalidArgumentError({ argument: 'guide.options.batchSize', value: batchSize, expected: 'a positive integer' });
  }
  return { model: parseModel(options.model), decoding: parseDecoding(options.decoding), tokenization, batchSize };
}
