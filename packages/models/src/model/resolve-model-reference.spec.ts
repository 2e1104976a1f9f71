import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { sharedHubMirror } from '@rlgf/testing';
import { mkdtemp, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveModelReference } from './resolve-model-reference';

describe('model references', () => {
  const mirror = sharedHubMirror();
  const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: mirror });

  it('converts a llama2.c Hub folder once and reuses the conversion', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-models-cache-'));
    const messages: string[] = [];
    const logger = { debug: () => undefined, info: (m: string) => messages.push(m), warn: () => undefined, error: () => undefined };
    const dir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir, logger });
    expect((await readdir(dir)).sort()).toEqual(expect.arrayContaining(['config.json', 'model.safetensors', 'tokenizer.json']));
    const firstWrite = (await stat(join(dir, 'model.safetensors'))).mtimeMs;
    expect(await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir, logger })).toBe(dir);
    expect((await stat(join(dir, 'model.safetensors'))).mtimeMs).toBe(firstWrite);
    expect(messages.filter((m) => m.startsWith('converting llama2.c'))).toHaveLength(1);
  });

  it('passes Hugging Face folders through unchanged', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-models-cache-'));
    expect(await resolveModelReference({ source: 'sshleifer/tiny-gpt2' }, { hub, cacheDir })).toBe('sshleifer/tiny-gpt2');
    expect(await resolveModelReference({ source: join(mirror, 'models/sshleifer/tiny-gpt2') }, { hub, cacheDir })).toBe(join(mirror, 'models/sshleifer/tiny-gpt2'));
  });

  it('explains a folder that is neither format', async () => {
    const cacheDir = await mkdtemp(join(tmpdir(), 'rlgf-models-cache-'));
    await expect(resolveModelReference({ source: cacheDir }, { hub, cacheDir })).rejects.toThrow(/has no config.json and is not one llama2.c checkpoint/);
  });
});
