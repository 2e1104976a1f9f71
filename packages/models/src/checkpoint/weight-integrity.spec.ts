import * as tf from '@tensorflow/tfjs-core';
import { ModelFormatError, type LoggerV1 } from '@rlgf/contracts';
import { rejectionOf, sharedHubMirror } from '@rlgf/testing';
import { copyFile, mkdir, mkdtemp, open, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend } from '../backend/set-backend';
import { loadLanguageModel, saveLanguageModel } from '../model/load-language-model';
import { firstNonFinite } from '../weights/finite-weights';
import { readCheckpoint } from './read-checkpoint';
import { writeCheckpoint } from './write-checkpoint';

// Real files, damaged byte by byte: sshleifer/tiny-gpt2 from the shared Hub mirror. Its header
// is 2,496 bytes, so tensor data starts at byte 8 + 2,496; the offsets below are from that header
// (`transformer.h.0.ln_1.weight`: F32 [2] at [402136, 402144); `transformer.h.1.mlp.c_fc.bias`: F32 [8] at [402432, 402464)).
const tinyGpt2 = join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2');
const dataStart = 8 + 2496;
const float32NaN = [0x00, 0x00, 0xc0, 0x7f];
const float32Infinity = [0x00, 0x00, 0x80, 0x7f];

let scratch: string;
beforeAll(() => setBackend('cpu'));
beforeEach(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'rlgf-integrity-'));
});
afterEach(() => rm(scratch, { recursive: true, force: true }));

/** A copy of tiny-gpt2 with `bytes` written over its weights file at `offset` (same size). */
async function damagedCopy(offset: number, bytes: readonly number[]): Promise<string> {
  const dir = join(scratch, 'damaged');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir);
  for (const name of await readdir(tinyGpt2)) await copyFile(join(tinyGpt2, name), join(dir, name));
  const handle = await open(join(dir, 'model.safetensors'), 'r+');
  await handle.write(Buffer.from(bytes), 0, bytes.length, offset);
  await handle.close();
  return dir;
}

describe('non-finite weights', () => {
  it('finds the first NaN or infinity in one pass, and nothing in finite data', () => {
    expect(firstNonFinite(new Float32Array([1, -0, 3.4028234663852886e38, -Infinity, Number.NaN]))).toBe(3);
    expect(firstNonFinite(new Float32Array([Number.NaN]))).toBe(0);
    expect(firstNonFinite(new Float32Array([-3.4028234663852886e38, 1e-45, 0]))).toBe(-1);
    expect(firstNonFinite(new Float32Array(0))).toBe(-1);
  });

  it('a checkpoint whose weight bytes were overwritten with NaN is refused, naming the file and tensor', async () => {
    const dir = await damagedCopy(dataStart + 402136, float32NaN);
    const error = await rejectionOf<ModelFormatError>(readCheckpoint(dir));
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect(error.message).toBe(`${join(dir, 'model.safetensors')}: tensor transformer.h.0.ln_1.weight holds NaN at index 0 of 2`);
    expect(error.hint).toMatch(/earlier checkpoint/);
  });

  it('loading a model from it fails the same way, and so does an infinity, leaking no tensor', async () => {
    const before = tf.memory().numTensors;
    const dir = await damagedCopy(dataStart + 402432 + 4 * 5, float32Infinity);
    await expect(loadLanguageModel(dir)).rejects.toThrow(`${join(dir, 'model.safetensors')}: tensor transformer.h.1.mlp.c_fc.bias holds Infinity at index 5 of 8`);
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('tensors a checkpoint lacks', () => {
  it('are named in one warning when the loader starts them at zero (tiny-gpt2 has no c_attn.bias)', async () => {
    const warnings: string[] = [];
    const logger: LoggerV1 = { debug: () => undefined, info: () => undefined, warn: (line) => warnings.push(line), error: () => undefined };
    const model = await loadLanguageModel(tinyGpt2, { logger });
    try {
      expect(warnings).toEqual([
        `${tinyGpt2}: some weights were not initialized from the model checkpoint and are newly initialized (at zero): [transformer.h.0.attn.c_attn.bias, transformer.h.1.attn.c_attn.bias]`,
      ]);
      // 3 x n_embd (2) zeros each.
      expect(Array.from((await model.getWeights()).get('transformer.h.1.attn.c_attn.bias')?.data ?? [])).toEqual([0, 0, 0, 0, 0, 0]);
      // Saved, the biases are in the checkpoint: loading it again warns of nothing.
      await saveLanguageModel(model, join(scratch, 'saved'));
      const again = await loadLanguageModel(join(scratch, 'saved'), { logger });
      again.dispose();
      expect(warnings).toHaveLength(1);
    } finally {
      model.dispose();
    }
  });

  it('still refuses a checkpoint without a tensor the loader does not default', async () => {
    const checkpoint = await readCheckpoint(tinyGpt2);
    const weights = new Map(checkpoint.weights);
    weights.delete('transformer.h.0.mlp.c_fc.weight');
    await writeCheckpoint(join(scratch, 'partial'), { ...checkpoint, weights });
    await expect(loadLanguageModel(join(scratch, 'partial'))).rejects.toThrow('model weights: missing tensor transformer.h.0.mlp.c_fc.weight');
  });
});
