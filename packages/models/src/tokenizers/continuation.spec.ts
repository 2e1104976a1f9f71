import type { TokenizerV1 } from '@rlgf/contracts';
import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readCheckpoint } from '../checkpoint/read-checkpoint';
import { resolveModelReference } from '../model/resolve-model-reference';
import { continuationIds, continuationText } from './continuation';

describe('text continuations re-tokenized with the policy tokenizer', () => {
  const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
  let llama: TokenizerV1;
  let gpt2: TokenizerV1;

  beforeAll(async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-continuation-'));
    llama = (await readCheckpoint(await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir }), { hub })).tokenizer;
    gpt2 = (await readCheckpoint('sshleifer/tiny-gpt2', { hub })).tokenizer;
  });

  const context = (tokenizer: TokenizerV1, text: string) => {
    const ids = tokenizer.encode(text);
    return { ids, text: tokenizer.decode(ids) };
  };

  it.each([['llama', () => llama], ['gpt2', () => gpt2]])('%s: a continuation starting with a space gets the tokens the whole text would have', (_, tokenizer) => {
    const t = tokenizer();
    const prompt = context(t, 'The dog was happy');
    const whole = t.encode('The dog was happy and the sun was out.');
    expect(continuationIds(t, prompt, ' and the sun was out.')).toEqual(whole.slice(prompt.ids.length));
  });

  it('keeps the context tokens when the text merges with a context cut mid-word', () => {
    const prompt = context(llama, 'The dog was hap');
    const ids = continuationIds(llama, prompt, 'py and');
    expect(ids).toEqual(llama.encode('py and', { addSpecialTokens: false }));
    expect(llama.decode([...prompt.ids, ...ids]).replace(/\s+/g, ' ')).toContain('hap');
  });

  it('decodes a continuation with the space its left context gives it', () => {
    const prompt = llama.encode('Once upon a time');
    const tail = llama.encode('Once upon a time there was a cat').slice(prompt.length);
    expect(continuationText(llama, prompt, tail)).toBe(' there was a cat');
    expect(continuationText(gpt2, gpt2.encode('Hello'), gpt2.encode(' world'))).toBe(' world');
    expect(continuationText(llama, prompt, [])).toBe('');
    expect(continuationIds(llama, { ids: prompt, text: 'Once upon a time' }, '')).toEqual([]);
  });
});
