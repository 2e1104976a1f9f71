import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sharedHubMirror } from '@rlgf/testing';
import { convertLlama2c } from '../llama2c/convert-llama2c';
import type { CausalLanguageModel } from '../model/causal-language-model';
import { loadCausalLanguageModel } from '../model/load-language-model';

interface RunCGeneration {
  readonly prompt: string;
  readonly promptIds: number[];
  readonly ids: number[];
  readonly stoppedAtBos: boolean;
}

const fixture = JSON.parse(readFileSync(join(__dirname, '../llama2c/__fixtures__/run-c-generations.json'), 'utf8')) as {
  generations: RunCGeneration[];
};
const stories = join(sharedHubMirror(), 'models/karpathy/tinyllamas/stories260K');
const bos = 1;

// The full recorded length runs on wasm (the default backend); the pure-JS cpu backend checks a
// prefix of every row, which keeps CI fast.
describe.each([
  ['wasm', Infinity],
  ['cpu', 40],
] as const)("stories260K greedy decoding against llama2.c's run.c on %s", (backend, checkedTokens) => {
  let scratch: string;
  let model: CausalLanguageModel;
  beforeAll(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'rlgf-stories-'));
    const outDir = join(scratch, 'stories260K');
    await convertLlama2c({ checkpointPath: join(stories, 'stories260K.bin'), tokenizerPath: join(stories, 'tok512.bin'), outDir });
    model = await loadCausalLanguageModel(outDir, { backend, trainable: false });
  });
  afterAll(async () => {
    model.dispose();
    await rm(scratch, { recursive: true, force: true });
  });

  it('reproduces every recorded generation token for token, all prompts in one left-padded batch', async () => {
    const recorded = fixture.generations.map((g) => g.ids.slice(g.promptIds.length));
    expect(Math.min(...recorded.map((ids) => ids.length))).toBeGreaterThanOrEqual(137);
    expect(recorded.filter((ids) => ids.length >= 200)).toHaveLength(5);
    const generated = recorded.map((ids) => ids.slice(0, checkedTokens));
    // One step past the recorded tokens: run.c stopped there because the model chose BOS.
    const maxNewTokens = Math.max(...generated.map((ids) => ids.length)) + 1;
    const before = tf.memory().numTensors;
    const result = await model.generate({
      promptIds: fixture.generations.map((g) => g.promptIds),
      maxNewTokens,
      decoding: { strategy: 'greedy' },
      stopAtEos: false,
    });
    expect(tf.memory().numTensors).toBe(before);
    fixture.generations.forEach((g, row) => {
      expect([g.prompt, result.ids[row].slice(0, generated[row].length)]).toEqual([g.prompt, generated[row]]);
      if (g.stoppedAtBos && generated[row].length === recorded[row].length) expect(result.ids[row][generated[row].length]).toBe(bos);
    });
  });
});
