import * as tf from '@tensorflow/tfjs-core';
import { copyFile, mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedHubMirror } from '@rlgf/testing';
import { readFamilyFixture, type FamilyFixtureName } from '../architectures/__fixtures__/family-fixtures';
import { sameBits, weightOf } from '../architectures/__fixtures__/golden-fixtures';
import { sequenceInputs } from '../architectures/forward-inputs';
import { setBackend } from '../backend/set-backend';
import { bfloat16ToFloat, floatToBfloat16 } from '../safetensors/float-conversions';
import { writeSafetensorsFile } from '../safetensors/write-safetensors';
import type { HostTensor } from '../weights/weight-map';
import { asCausalLanguageModel, loadLanguageModel, saveLanguageModel } from './load-language-model';

const tinyGpt2 = join(sharedHubMirror(), 'models/sshleifer/tiny-gpt2');
const bf16 = (tensor: HostTensor): HostTensor => ({ shape: tensor.shape, data: tensor.data.map((value) => bfloat16ToFloat(floatToBfloat16(value))) });

/**
 * A Hub-layout folder of a family fixture: two shards behind model.safetensors.index.json, the
 * first F32, the second BF16 (as most Hub checkpoints are stored), tiny-gpt2's tokenizer files.
 * Returns the weights as they are after BF16 rounding.
 */
async function writeShardedCheckpoint(dir: string, name: FamilyFixtureName): Promise<Map<string, HostTensor>> {
  const fixture = readFamilyFixture(name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'config.json'), JSON.stringify(fixture.config));
  for (const file of ['vocab.json', 'merges.txt', 'tokenizer_config.json', 'special_tokens_map.json']) await copyFile(join(tinyGpt2, file), join(dir, file));
  const names = [...fixture.weights.keys()];
  const halves = [names.slice(0, names.length / 2), names.slice(names.length / 2)];
  const expected = new Map<string, HostTensor>();
  const weightMap: Record<string, string> = {};
  for (const [i, part] of halves.entries()) {
    const shard = `model-0000${i + 1}-of-00002.safetensors`;
    const tensors = new Map(part.map((key) => [key, weightOf(fixture.weights, key)]));
    await writeSafetensorsFile(join(dir, shard), tensors, { dtype: i === 0 ? 'F32' : 'BF16' });
    for (const [key, tensor] of tensors) {
      weightMap[key] = shard;
      expected.set(key, i === 0 ? tensor : bf16(tensor));
    }
  }
  await writeFile(join(dir, 'model.safetensors.index.json'), JSON.stringify({ metadata: {}, weight_map: weightMap }));
  return expected;
}

describe('family checkpoints in the Hub layout', () => {
  let scratch: string;
  beforeAll(async () => {
    await setBackend('wasm');
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-families-'));
  });
  afterAll(() => rm(scratch, { recursive: true, force: true }));

  it.each(['qwen2', 'gpt-neox-parallel'] as const)('loads %s from F32 and BF16 shards, and saves it back bit-exactly', async (name) => {
    const expected = await writeShardedCheckpoint(join(scratch, name), name);
    const model = asCausalLanguageModel(await loadLanguageModel(join(scratch, name), { trainable: false }));
    const loaded = await model.getWeights();
    for (const [key, tensor] of expected) expect(sameBits(weightOf(loaded, key), tensor)).toBe(true);
    await saveLanguageModel(model, join(scratch, `${name}-saved`));
    const again = asCausalLanguageModel(await loadLanguageModel(join(scratch, `${name}-saved`), { trainable: false }));
    const reloaded = await again.getWeights();
    for (const [key, tensor] of expected) expect(sameBits(weightOf(reloaded, key), tensor)).toBe(true);
    const fixture = readFamilyFixture(name);
    const logits = (m: typeof model) => tf.tidy(() => m.forward(sequenceInputs(fixture.inputIds, fixture.attentionMask)).logits.dataSync());
    expect(Array.from(logits(again))).toEqual(Array.from(logits(model)));
    model.dispose();
    again.dispose();
  });

  it('names a tensor the shards lack, and a shard the index points at that is missing', async () => {
    const dir = join(scratch, 'phi3-broken');
    await writeShardedCheckpoint(dir, 'phi3');
    const indexFile = join(dir, 'model.safetensors.index.json');
    const index = JSON.parse(await readFile(indexFile, 'utf8')) as { weight_map: Record<string, string> };
    const { 'model.layers.1.mlp.gate_up_proj.weight': dropped, ...rest } = index.weight_map;
    expect(dropped).toBeDefined();
    await writeFile(indexFile, JSON.stringify({ ...index, weight_map: rest }));
    await expect(loadLanguageModel(dir)).rejects.toThrow(/missing tensor model\.layers\.1\.mlp\.gate_up_proj\.weight/);
    await unlink(join(dir, 'model-00002-of-00002.safetensors'));
    await expect(loadLanguageModel(dir)).rejects.toThrow(/model-00002-of-00002\.safetensors/);
  });
});
