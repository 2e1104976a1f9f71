import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ModelFormatError } from '@rlgf/contracts';
import { rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { readCheckpoint, type Checkpoint } from '../checkpoint/read-checkpoint';
import encodings from './__fixtures__/run-c-encodings.json';
import generations from './__fixtures__/run-c-generations.json';
import { convertLlama2c } from './convert-llama2c';
import { permuteRotaryRows } from './llama2c-to-hf';
import { parseLlama2cCheckpoint } from './read-llama2c-checkpoint';
import { parseLlama2cTokenizer } from './read-llama2c-tokenizer';

const stories = join(sharedHubMirror(), 'models/karpathy/tinyllamas/stories260K');
const checkpointPath = join(stories, 'stories260K.bin');
const tokenizerPath = join(stories, 'tok512.bin');
let scratch: string;
let converted: Checkpoint;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'rlgf-llama2c-'));
  await convertLlama2c({ checkpointPath, tokenizerPath, outDir: join(scratch, 'stories260K') });
  converted = await readCheckpoint(join(scratch, 'stories260K'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

/** Rotates each head of `vector` by position `pos`, pairing dims as llama2.c or as HF does. */
function rope(vector: Float64Array, heads: number, pos: number, layout: 'interleaved' | 'halves'): Float64Array {
  const headSize = vector.length / heads;
  const out = new Float64Array(vector.length);
  for (let h = 0; h < heads; h += 1) {
    for (let i = 0; i < headSize / 2; i += 1) {
      const angle = pos * 10000 ** ((-2 * i) / headSize);
      const [a, b] = layout === 'interleaved' ? [h * headSize + 2 * i, h * headSize + 2 * i + 1] : [h * headSize + i, h * headSize + i + headSize / 2];
      out[a] = vector[a] * Math.cos(angle) - vector[b] * Math.sin(angle);
      out[b] = vector[a] * Math.sin(angle) + vector[b] * Math.cos(angle);
    }
  }
  return out;
}

function matVec(weight: Float32Array, rows: number, x: Float64Array): Float64Array {
  const cols = x.length;
  return Float64Array.from({ length: rows }, (_, r) => x.reduce((sum, value, c) => sum + weight[r * cols + c] * value, 0));
}

describe('rotary permutation of q/k projections', () => {
  it('moves row 2i+p of each head to row p*headSize/2+i', () => {
    // 2 heads of size 4, one column: rows [0..7] become [0, 2, 1, 3, 4, 6, 5, 7].
    expect([...permuteRotaryRows(Float32Array.from([0, 1, 2, 3, 4, 5, 6, 7]), 2, 8, 1)]).toEqual([0, 2, 1, 3, 4, 6, 5, 7]);
  });

  it("makes HF's rotate-half attention scores equal llama2.c's interleaved ones", () => {
    const heads = 2;
    const rows = 8;
    const cols = 3;
    const wq = Float32Array.from({ length: rows * cols }, (_, i) => Math.sin(i + 1));
    const wk = Float32Array.from({ length: rows * cols }, (_, i) => Math.cos(3 * i));
    const x = Float64Array.from([0.3, -1.2, 0.7]);
    const y = Float64Array.from([1.1, 0.4, -0.5]);
    const headScores = (q: Float64Array, k: Float64Array) =>
      Array.from({ length: heads }, (_, h) => q.slice(h * 4, h * 4 + 4).reduce((sum, value, i) => sum + value * k[h * 4 + i], 0));
    const llama2c = headScores(rope(matVec(wq, rows, x), heads, 5, 'interleaved'), rope(matVec(wk, rows, y), heads, 2, 'interleaved'));
    const hfQ = rope(matVec(permuteRotaryRows(wq, heads, rows, cols), rows, x), heads, 5, 'halves');
    const hfK = rope(matVec(permuteRotaryRows(wk, heads, rows, cols), rows, y), heads, 2, 'halves');
    const hf = headScores(hfQ, hfK);
    hf.forEach((score, h) => expect(score).toBeCloseTo(llama2c[h], 12));
    // Without the permutation the scores differ: the test can fail.
    const unpermuted = headScores(rope(matVec(wq, rows, x), heads, 5, 'halves'), rope(matVec(wk, rows, y), heads, 2, 'halves'));
    expect(Math.abs(unpermuted[0] - llama2c[0])).toBeGreaterThan(1e-3);
  });
});

describe('convertLlama2c on stories260K', () => {
  it('writes a LlamaForCausalLM config from the header', () => {
    expect(converted.config).toMatchObject({
      architectures: ['LlamaForCausalLM'],
      model_type: 'llama',
      hidden_size: 64,
      intermediate_size: 172,
      num_hidden_layers: 5,
      num_attention_heads: 8,
      num_key_value_heads: 4,
      vocab_size: 512,
      max_position_embeddings: 512,
      rms_norm_eps: 1e-5,
      rope_theta: 10000,
      tie_word_embeddings: true,
      bos_token_id: 1,
      eos_token_id: 2,
    });
  });

  it('stores every weight under its HF name, with the values at run.c offsets', async () => {
    expect(converted.weights.size).toBe(1 + 5 * 9 + 1);
    expect(converted.weights.has('lm_head.weight')).toBe(false);
    expect(converted.weights.get('model.layers.4.self_attn.k_proj.weight')?.shape).toEqual([32, 64]);
    expect(converted.weights.get('model.layers.0.mlp.down_proj.weight')?.shape).toEqual([64, 172]);
    const file = await readFile(checkpointPath);
    const raw = new Float32Array(file.buffer.slice(file.byteOffset + 28, file.byteOffset + file.length));
    // Floats before rms_final: embedding 512*64 + rms_att 5*64 + wq 5*64*64 + wk, wv 2*5*32*64
    // + wo 5*64*64 + rms_ffn 5*64 + w1, w2, w3 3*5*172*64 = 259968.
    expect([...(converted.weights.get('model.norm.weight')?.data ?? [])]).toEqual([...raw.subarray(259968, 259968 + 64)]);
    // v_proj of layer 1 is not permuted: it starts after embedding, rms_att, wq, wk and v of layer 0.
    const vStart = 512 * 64 + 5 * 64 + 5 * 64 * 64 + 5 * 32 * 64 + 32 * 64;
    expect([...(converted.weights.get('model.layers.1.self_attn.v_proj.weight')?.data ?? [])]).toEqual([...raw.subarray(vStart, vStart + 32 * 64)]);
    // q_proj row 1 (head 0, pair 1, real part) is llama2.c's row 2 of layer 0.
    const qStart = 512 * 64 + 5 * 64;
    expect([...(converted.weights.get('model.layers.0.self_attn.q_proj.weight')?.data.subarray(64, 128) ?? [])]).toEqual([...raw.subarray(qStart + 2 * 64, qStart + 3 * 64)]);
  });

  const isLiteralSpecial = (text: string) => /<s>|<\/s>|<unk>/.test(text);

  it("encodes like run.c's encode on the tricky and random corpus", () => {
    const compared = encodings.encodings.filter((entry) => !isLiteralSpecial(entry.text));
    expect(compared.length).toBeGreaterThan(130);
    for (const { text, ids } of compared) expect([text, converted.tokenizer.encode(text)]).toEqual([text, ids]);
  });

  it('reads "<s>" typed in text as the special token, like transformers (run.c spells it out)', () => {
    expect(converted.tokenizer.encode('<s> and </s> as text')).toEqual([1, 1, 410, 269, 410, 2, 410, 261, 419, 259, 411, 444, 413]);
  });

  it('adds BOS, encodes the fixture prompts as run.c did and decodes its generations to its printed text', () => {
    expect([converted.tokenizer.bosTokenId, converted.tokenizer.eosTokenId, converted.tokenizer.padTokenId]).toEqual([1, 2, 2]);
    expect(converted.tokenizer.encode('')).toEqual([1]);
    for (const generation of generations.generations) {
      expect(converted.tokenizer.encode(generation.prompt)).toEqual(generation.promptIds);
      expect(converted.tokenizer.decode(generation.ids)).toBe(generation.text);
    }
  });

  it('decodes byte-fallback tokens into UTF-8 text', () => {
    const ids = converted.tokenizer.encode('Zoë и 😀');
    expect(ids.some((id) => id >= 3 && id < 259)).toBe(true);
    expect(converted.tokenizer.decode(ids)).toBe('Zoë и 😀');
  });
});

describe('llama2.c files that do not fit', () => {
  it('refuses a checkpoint whose size does not match its header', async () => {
    const bytes = await readFile(checkpointPath);
    expect(() => parseLlama2cCheckpoint(bytes.subarray(0, bytes.length - 4), 'cut.bin')).toThrow(
      'cut.bin: holds 1056536 bytes but its header (dim 64, 5 layers, vocab 512, shared classifier) implies 1056540',
    );
    expect(() => parseLlama2cCheckpoint(bytes.subarray(0, 20), 'tiny.bin')).toThrow(/too short for the 28-byte llama2.c header/);
    const zeroHeads = Uint8Array.from(bytes.subarray(0, 28));
    new DataView(zeroHeads.buffer).setInt32(12, 0, true);
    expect(() => parseLlama2cCheckpoint(zeroHeads, 'zero.bin')).toThrow(/n_heads is 0/);
    const versioned = Uint8Array.from(bytes.subarray(0, 28));
    new DataView(versioned.buffer).setUint32(0, 0x616b3432, true);
    expect(() => parseLlama2cCheckpoint(versioned, 'v2.bin')).toThrow(ModelFormatError);
  });

  it('refuses a tokenizer that does not hold the vocabulary of the checkpoint', async () => {
    const bytes = await readFile(tokenizerPath);
    expect(parseLlama2cTokenizer(bytes, 512, 'tok512.bin').pieces[259]).toEqual({ score: -0, text: ' t' });
    expect(() => parseLlama2cTokenizer(bytes, 32000, 'tok512.bin')).toThrow(/ends after 512 of the 32000 tokens/);
    expect(() => parseLlama2cTokenizer(bytes, 256, 'tok512.bin')).toThrow(/bytes after the 256 tokens/);
    await writeFile(join(scratch, 'bad.bin'), bytes.subarray(0, 100));
    const error = await rejectionOf<ModelFormatError>(
      convertLlama2c({ checkpointPath, tokenizerPath: join(scratch, 'bad.bin'), outDir: join(scratch, 'never') }),
    );
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect(error.hint).toMatch(/tok512.bin/);
  });
});
