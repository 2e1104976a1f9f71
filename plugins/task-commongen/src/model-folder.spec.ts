import { loadModelReference, setBackend, type TrainableLanguageModel } from '@rlgf/models';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { commonGenPrompt } from './commongen-task';

// The tiny T5 shipped for training from scratch: its config and SentencePiece-unigram tokenizer.
const folder = resolve(__dirname, '../model');

describe('the tiny CommonGen T5 folder', () => {
  let model: TrainableLanguageModel;
  beforeAll(async () => {
    await setBackend('wasm');
    model = await loadModelReference({ source: folder, init: 'random' }, { seed: 0, cacheDir: tmpdir() });
  });
  afterAll(() => model.dispose());

  it('builds a T5 encoder-decoder with T5 special tokens', async () => {
    const config = JSON.parse(await readFile(join(folder, 'config.json'), 'utf8')) as Record<string, unknown>;
    expect(model.info).toMatchObject({ modelType: 't5', isEncoderDecoder: true, vocabSize: config.vocab_size });
    expect(model.info.parameterCount).toBeLessThan(400_000);
    expect([model.tokenizer.padTokenId, model.tokenizer.eosTokenId, model.padTokenId, model.eosTokenIds]).toEqual([0, 1, 0, [1]]);
  });

  it('encodes a prompt in few pieces, ending with </s>, and decodes text back', () => {
    const prompt = commonGenPrompt(['dog', 'frisbee', 'catch', 'throw'], { prefix: 'generate a sentence with: ', separator: ' ', suffix: '.' });
    const ids = model.tokenizer.encode(prompt);
    expect(ids.length).toBeLessThanOrEqual(20);
    expect(ids[ids.length - 1]).toBe(1);
    expect(model.tokenizer.decode(ids)).toBe(prompt);
    const sentence = 'A dog leaps to catch a frisbee thrown by its owner.';
    expect(model.tokenizer.decode(model.tokenizer.encode(sentence, { addSpecialTokens: false }))).toBe(sentence);
  });

  it('generates with 5-beam search from random weights', async () => {
    const result = await model.generate({ promptIds: [model.tokenizer.encode('generate a sentence with: sun beach.')], maxNewTokens: 5, decoding: { strategy: 'beam', numBeams: 5 } });
    expect(result.mask[0].filter(Boolean).length).toBeGreaterThan(0);
  });
});
