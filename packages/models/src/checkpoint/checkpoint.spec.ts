import { mkdtemp, readdir, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { InvalidArgumentError, ModelFormatError } from '@rlgf/contracts';
import { createHubFiles } from '@rlgf/hub';
import { rejectionOf, sharedHubMirror, startHubServer } from '@rlgf/testing';
import { writeSafetensorsFile } from '../safetensors/write-safetensors';
import type { WeightMap } from '../weights/weight-map';
import { readCheckpoint } from './read-checkpoint';
import { writeCheckpoint } from './write-checkpoint';

const mirror = sharedHubMirror();
const tinyGpt2 = join(mirror, 'models/sshleifer/tiny-gpt2');
let scratch: string;
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'rlgf-ckpt-'));
});
afterEach(() => rm(scratch, { recursive: true, force: true }));

function missing(name: string): never {
  throw new Error(`missing tensor ${name}`);
}

function expectSameWeights(actual: WeightMap, expected: WeightMap): void {
  expect([...actual.keys()].sort()).toEqual([...expected.keys()].sort());
  for (const [name, tensor] of expected) {
    const other = actual.get(name);
    if (!other) throw new Error(`missing tensor ${name}`);
    expect([name, other.shape]).toEqual([name, tensor.shape]);
    // Bit-exact, NaN and -0 included.
    expect(Buffer.from(other.data.buffer, other.data.byteOffset, other.data.byteLength).equals(Buffer.from(tensor.data.buffer, tensor.data.byteOffset, tensor.data.byteLength))).toBe(true);
  }
}

describe('readCheckpoint', () => {
  it('loads tiny-gpt2 from a local directory, with the stored names and a GPT-2 tokenizer', async () => {
    const checkpoint = await readCheckpoint(tinyGpt2);
    expect(checkpoint.config['model_type']).toBe('gpt2');
    expect(checkpoint.weights.get('transformer.wte.weight')?.shape).toEqual([50257, 2]);
    expect(checkpoint.weights.get('lm_head.weight')?.shape).toEqual([50257, 2]);
    expect(checkpoint.weights.size).toBe(27);
    expect(checkpoint.tokenizer.encode('Hello world')).toEqual([15496, 995]);
    expect(checkpoint.tokenizer.eosTokenId).toBe(50256);
    expect(checkpoint.files.weights).toEqual([join(tinyGpt2, 'model.safetensors')]);
  });

  it('loads a Hub model id over HTTP into the cache, from a subfolder too', async () => {
    const checkpoint = await readCheckpoint(tinyGpt2);
    await writeCheckpoint(join(scratch, 'root/models/acme/tiny/step-10'), checkpoint);
    const server = await startHubServer({ root: join(scratch, 'root') });
    try {
      const hub = createHubFiles({ endpoint: server.url, cacheDir: join(scratch, 'cache'), offline: false });
      const fromId = await readCheckpoint('acme/tiny/step-10', { hub });
      const fromOption = await readCheckpoint('acme/tiny', { hub, subfolder: 'step-10' });
      expect(fromId.files.source).toBe('acme/tiny/step-10');
      expect(fromId.files.config.startsWith(join(scratch, 'cache'))).toBe(true);
      expectSameWeights(fromId.weights, checkpoint.weights);
      expectSameWeights(fromOption.weights, checkpoint.weights);
      expect(fromOption.tokenizer.encode('Hello world')).toEqual([15496, 995]);
      expect(server.requests.some((request) => request.url.includes('/resolve/main/step-10/model.safetensors'))).toBe(true);
    } finally {
      await server.close();
    }
  });

  it('reads the mirror through HubFilesV1 like the Hub itself', async () => {
    const hub = createHubFiles({ mirrorDir: mirror, cacheDir: join(scratch, 'cache'), offline: true });
    const checkpoint = await readCheckpoint('sshleifer/tiny-gpt2', { hub });
    expect(checkpoint.files.source).toBe('sshleifer/tiny-gpt2');
    expect(checkpoint.weights.get('transformer.h.1.mlp.c_fc.weight')?.shape).toEqual([2, 8]);
  });

  it('reads sharded weights through the index', async () => {
    const checkpoint = await readCheckpoint(tinyGpt2);
    const dir = join(scratch, 'sharded');
    await writeCheckpoint(dir, checkpoint);
    await unlink(join(dir, 'model.safetensors'));
    const names = [...checkpoint.weights.keys()];
    const halves = [names.slice(0, 10), names.slice(10)];
    const weightMap: Record<string, string> = {};
    for (const [i, part] of halves.entries()) {
      const shard = `model-0000${i + 1}-of-00002.safetensors`;
      await writeSafetensorsFile(join(dir, shard), new Map(part.map((name) => [name, checkpoint.weights.get(name) ?? missing(name)])));
      for (const name of part) weightMap[name] = shard;
    }
    await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
    const sharded = await readCheckpoint(dir);
    expectSameWeights(sharded.weights, checkpoint.weights);
    expect(sharded.files.weights).toHaveLength(2);
  });

  it('refuses pickled weights with instructions to convert them', async () => {
    await writeFile(join(scratch, 'config.json'), '{"model_type": "gpt2"}');
    await writeFile(join(scratch, 'pytorch_model.bin'), 'pickle');
    const error = await rejectionOf<ModelFormatError>(readCheckpoint(scratch));
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect(error.message).toBe(`${scratch}: has only pickled PyTorch weights (pytorch_model.bin), no model.safetensors`);
    expect(error.hint).toContain("save_pretrained('<out-dir>', safe_serialization=True)");
    expect(error.hint).toContain('safetensors.torch import save_file');
  });

  it('says what is missing: config, weights, tokenizer, Hub access', async () => {
    expect((await rejectionOf<Error>(readCheckpoint(scratch))).message).toBe(`${scratch}: has no config.json`);
    await writeFile(join(scratch, 'config.json'), '{}');
    expect((await rejectionOf<Error>(readCheckpoint(scratch))).message).toMatch(/has no weights: neither model.safetensors/);
    await writeSafetensorsFile(join(scratch, 'model.safetensors'), {});
    await writeFile(join(scratch, 'tokenizer.model'), 'sentencepiece');
    const noTokenizer = await rejectionOf<ModelFormatError>(readCheckpoint(scratch));
    expect(noTokenizer.message).toMatch(/has only a SentencePiece tokenizer.model/);
    expect(noTokenizer.hint).toMatch(/AutoTokenizer.*save_pretrained/);
    await writeFile(join(scratch, 'config.json'), '{"model_type": ');
    expect((await rejectionOf<Error>(readCheckpoint(scratch))).message).toMatch(/config.json: is not valid JSON/);
    const noHub = await rejectionOf<InvalidArgumentError>(readCheckpoint('acme/not-here'));
    expect(InvalidArgumentError.isInstance(noHub)).toBe(true);
    expect((await rejectionOf<Error>(readCheckpoint('./not/here'))).message).toBe('./not/here: is not a directory');
  });
});

describe('writeCheckpoint', () => {
  it('saves what it loaded so that loading again is bit-exact', async () => {
    const original = await readCheckpoint(tinyGpt2);
    const dir = join(scratch, 'out');
    await writeCheckpoint(dir, original);
    expect((await readdir(dir)).sort()).toEqual(['config.json', 'model.safetensors', 'special_tokens_map.json', 'tokenizer.json', 'tokenizer_config.json']);
    const again = await readCheckpoint(dir);
    expectSameWeights(again.weights, original.weights);
    expect(again.config).toEqual(original.config);
    for (const text of ['Hello world', " it's 3 o'clock\n😀"]) expect(again.tokenizer.encode(text)).toEqual(original.tokenizer.encode(text));
    expect([again.tokenizer.bosTokenId, again.tokenizer.eosTokenId, again.tokenizer.padTokenId]).toEqual([50256, 50256, 50256]);
    const tokenizerConfig = JSON.parse(await readFile(join(dir, 'tokenizer_config.json'), 'utf8'));
    expect(tokenizerConfig).toEqual({ bos_token: '<|endoftext|>', eos_token: '<|endoftext|>', model_max_length: 1024, unk_token: '<|endoftext|>' });
    const tokenizerJson = JSON.parse(await readFile(join(dir, 'tokenizer.json'), 'utf8'));
    expect(tokenizerJson.model.type).toBe('BPE');
    expect(tokenizerJson.added_tokens).toEqual([{ id: 50256, content: '<|endoftext|>', single_word: false, lstrip: false, rstrip: false, normalized: true, special: true }]);
    // transformers writes configs with sorted keys and a two-space indent.
    expect((await readFile(join(dir, 'config.json'), 'utf8')).startsWith('{\n  "activation_function": "gelu_new",\n')).toBe(true);
  });

  it('replaces an existing checkpoint whole and leaves no temporary folders', async () => {
    const original = await readCheckpoint(tinyGpt2);
    const dir = join(scratch, 'out');
    await writeCheckpoint(dir, original);
    await writeFile(join(dir, 'stale.txt'), 'from an older save');
    const halved = new Map([...original.weights].map(([name, t]) => [name, { shape: t.shape, data: t.data.map((v) => v / 2) }]));
    await writeCheckpoint(dir, { ...original, weights: halved, dtype: 'BF16' });
    expect(await readdir(scratch)).toEqual(['out']);
    expect(await readdir(dir)).not.toContain('stale.txt');
    const again = await readCheckpoint(dir);
    expect(again.storedDtypes.get('lm_head.weight')).toBe('BF16');
  });
});
