import { createHubFiles, hubSettingsFromEnv } from '@rlgf/hub';
import { sharedHubMirror } from '@rlgf/testing';
import * as tf from '@tensorflow/tfjs-core';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setBackend } from '../backend/set-backend';
import type { CausalLanguageModel } from '../model/causal-language-model';
import { loadCausalLanguageModel } from '../model/load-language-model';
import { resolveModelReference } from '../model/resolve-model-reference';

describe.each(['cpu', 'wasm'] as const)('continuation scoring on %s', (backend) => {
  let model: CausalLanguageModel;
  beforeAll(async () => {
    await setBackend(backend);
    const hub = createHubFiles({ ...hubSettingsFromEnv({}), mirrorDir: sharedHubMirror() });
    const dir = await resolveModelReference({ source: 'karpathy/tinyllamas/stories260K' }, { hub, cacheDir: await mkdtemp(join(tmpdir(), 'rlgf-cont-')) });
    model = await loadCausalLanguageModel(dir, { trainable: false });
  });
  afterAll(() => model.dispose());

  it('gives each continuation token its log-prob given the prompt, whatever the padding', async () => {
    const rows = [
      { promptIds: model.tokenizer.encode('Once upon a time'), tokens: model.tokenizer.encode(' there was a cat', { addSpecialTokens: false }) },
      { promptIds: model.tokenizer.encode('The dog ran'), tokens: model.tokenizer.encode(' home', { addSpecialTokens: false }) },
    ];
    const width = 6;
    const before = tf.memory().numTensors;
    const batch = model.continuationBatch(rows, width);
    const { logProbs, entropies, hidden } = tf.tidy(() => {
      const scores = model.scoreContinuations(batch);
      return { logProbs: scores.logProbs.arraySync(), entropies: scores.entropies.arraySync(), hidden: scores.hidden.shape };
    });
    batch.dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(hidden).toEqual([2, width, model.hiddenSize]);
    const reference = await model.scoreTokens(rows.map((r) => r.promptIds), rows.map((r) => r.tokens));
    rows.forEach((row, i) => {
      row.tokens.forEach((_, j) => expect(logProbs[i][j]).toBeCloseTo(reference[i][j], 4));
      for (let j = 0; j < row.tokens.length; j++) expect(entropies[i][j]).toBeGreaterThan(0);
    });
  });
});
