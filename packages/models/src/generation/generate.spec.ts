import * as tf from '@tensorflow/tfjs-core';
import { InvalidArgumentError } from '@rlgf/contracts';
import { goldenNetwork } from '../architectures/__fixtures__/golden-fixtures';
import type { CausalLmNetwork } from '../architectures/causal-lm';
import { sequenceInputs } from '../architectures/forward-inputs';
import { describeOnBackends } from '../backend/__fixtures__/backend-suites';
import { setBackend } from '../backend/set-backend';
import { scoreTokens } from '../scoring/score-tokens';
import { generate } from './generate';

const prompts = [[1, 5, 9, 3], [7], [2, 4, 6, 8, 10, 12]];
const settings = { eosTokenIds: [2], padTokenId: 0 };

describeOnBackends('generate on %s', ['cpu', 'wasm', 'webgpu'], (backend) => {
  let llama: CausalLmNetwork;
  let gpt2: CausalLmNetwork;
  beforeAll(async () => {
    await setBackend(backend);
    llama = goldenNetwork('llama-tiny-untied');
    gpt2 = goldenNetwork('gpt2-tiny');
  });
  afterAll(() => {
    llama.dispose();
    gpt2.dispose();
  });

  describe.each(['host', 'device'] as const)('choosing tokens on the %s', (chooseTokensOn) => {
    const onPath = { ...settings, chooseTokensOn };

    it.each(['llama', 'gpt2'])('%s: cached, uncached and one-row-at-a-time greedy decoding agree', async (name) => {
      const network = name === 'llama' ? llama : gpt2;
      const request = { promptIds: prompts, maxNewTokens: 8, decoding: { strategy: 'greedy' as const }, stopAtEos: false };
      const before = tf.memory().numTensors;
      const cached = await generate(network, request, onPath);
      expect(tf.memory().numTensors).toBe(before);
      const uncached = await generate(network, request, { ...onPath, useCache: false });
      expect(uncached.ids).toEqual(cached.ids);
      for (const [row, prompt] of prompts.entries()) {
        const alone = await generate(network, { ...request, promptIds: [prompt] }, onPath);
        expect(alone.ids[0]).toEqual(cached.ids[row]);
        alone.logProbs[0].forEach((logProb, step) => expect(cached.logProbs[row][step]).toBeCloseTo(logProb, 4));
      }
    });

    it('reports the log-probs the model gives the generated tokens', async () => {
      const result = await generate(llama, { promptIds: prompts, maxNewTokens: 6, decoding: { strategy: 'sample', temperature: 1.5 }, seed: 3, stopAtEos: false }, onPath);
      const scored = await scoreTokens(llama, prompts, result.ids, 0);
      scored.forEach((row, r) => row.forEach((logProb, step) => expect(result.logProbs[r][step]).toBeCloseTo(logProb, 4)));
    });

    it('teacher-forces prefixes of any length and scores them under the model', async () => {
      const forcedPrefixIds = [[11, 12, 13], [], [4]];
      const result = await generate(llama, { promptIds: prompts, forcedPrefixIds, maxNewTokens: 5, decoding: { strategy: 'greedy' }, stopAtEos: false }, onPath);
      forcedPrefixIds.forEach((prefix, row) => expect(result.ids[row].slice(0, prefix.length)).toEqual(prefix));
      const scored = await scoreTokens(llama, prompts, result.ids, 0);
      scored.forEach((row, r) => row.forEach((logProb, step) => expect(result.logProbs[r][step]).toBeCloseTo(logProb, 4)));
    });

    it('samples reproducibly from a seed; top-k 1 is greedy', async () => {
      const request = { promptIds: prompts, maxNewTokens: 10, decoding: { strategy: 'sample' as const, temperature: 2 }, stopAtEos: false };
      const a = await generate(llama, { ...request, seed: 11 }, onPath);
      const b = await generate(llama, { ...request, seed: 11 }, onPath);
      const c = await generate(llama, { ...request, seed: 12 }, onPath);
      expect(a.ids).toEqual(b.ids);
      expect(c.ids).not.toEqual(a.ids);
      const topOne = await generate(llama, { ...request, decoding: { strategy: 'sample', topK: 1 }, seed: 5 }, onPath);
      const greedy = await generate(llama, { ...request, decoding: { strategy: 'greedy' } }, onPath);
      expect(topOne.ids).toEqual(greedy.ids);
    });

    it('stops rows at EOS, masks the rest, and holds EOS back until minNewTokens', async () => {
      const greedy = await generate(llama, { promptIds: prompts, maxNewTokens: 12, decoding: { strategy: 'greedy' }, stopAtEos: false }, onPath);
      // Make the first greedy token of row 0 the EOS token: generation must stop right there.
      const eos = greedy.ids[0][0];
      const stopped = await generate(llama, { promptIds: prompts, maxNewTokens: 12, decoding: { strategy: 'greedy' } }, { ...onPath, eosTokenIds: [eos] });
      expect(stopped.ids[0][0]).toBe(eos);
      expect(stopped.mask[0]).toEqual([1, ...new Array(11).fill(0)]);
      expect(stopped.ids[0].slice(1)).toEqual(new Array(11).fill(0));
      const held = await generate(llama, { promptIds: prompts, maxNewTokens: 12, minNewTokens: 3, decoding: { strategy: 'greedy' } }, { ...onPath, eosTokenIds: [eos] });
      expect(held.ids[0].slice(0, 3)).not.toContain(eos);
      expect(held.mask[0].slice(0, 3)).toEqual([1, 1, 1]);
    });

    it('leaks nothing when every row stops early', async () => {
      const greedy = await generate(llama, { promptIds: prompts, maxNewTokens: 1, decoding: { strategy: 'greedy' } }, onPath);
      const before = tf.memory().numTensors;
      const stopped = await generate(llama, { promptIds: prompts, maxNewTokens: 30, decoding: { strategy: 'greedy' } }, { ...onPath, eosTokenIds: greedy.ids.map((row) => row[0]) });
      expect(tf.memory().numTensors).toBe(before);
      expect(stopped.mask).toEqual(prompts.map(() => [1, ...new Array(29).fill(0)]));
      expect(stopped.ids.map((row) => row.slice(1))).toEqual(prompts.map(() => new Array(29).fill(0)));
    });
  });

  it('chooses the same greedy tokens on the device as on the host, with their log-probs', async () => {
    const request = { promptIds: prompts, forcedPrefixIds: [[11, 12], [], [4]], maxNewTokens: 12, decoding: { strategy: 'greedy' as const }, minNewTokens: 2 };
    const host = await generate(llama, request, { ...settings, chooseTokensOn: 'host' });
    const device = await generate(llama, request, { ...settings, chooseTokensOn: 'device' });
    expect(device.ids).toEqual(host.ids);
    expect(device.mask).toEqual(host.mask);
    host.logProbs.forEach((row, r) => row.forEach((logProb, step) => expect(device.logProbs[r][step]).toBeCloseTo(logProb, 4)));
  });

  it('finds the best two-token continuation with enough beams', async () => {
    const vocab = llama.config.vocabSize;
    const prompt = [1, 5, 9];
    // Exhaustive search: log p(a | prompt) + log p(b | prompt, a) for every pair, in one batch.
    const rows = Array.from({ length: vocab }, (_, a) => [...prompt, a]);
    const logProbsTensor = tf.tidy(() => tf.logSoftmax(llama.forward(sequenceInputs(rows)).logits));
    const logProbs = (await logProbsTensor.array()) as number[][][];
    logProbsTensor.dispose();
    let best = [0, 0];
    let bestTotal = -Infinity;
    for (let a = 0; a < vocab; a++) {
      for (let b = 0; b < vocab; b++) {
        const total = logProbs[a][prompt.length - 1][a] + logProbs[a][prompt.length][b];
        if (total > bestTotal) [best, bestTotal] = [[a, b], total];
      }
    }
    const before = tf.memory().numTensors;
    const beam = await generate(llama, { promptIds: [prompt], maxNewTokens: 2, decoding: { strategy: 'beam', numBeams: vocab, lengthPenalty: 0 }, stopAtEos: false }, settings);
    expect(tf.memory().numTensors).toBe(before);
    expect(beam.ids[0]).toEqual(best);
    const single = await generate(llama, { promptIds: prompts, maxNewTokens: 6, decoding: { strategy: 'beam', numBeams: 1 }, stopAtEos: false }, settings);
    const greedy = await generate(llama, { promptIds: prompts, maxNewTokens: 6, decoding: { strategy: 'greedy' }, stopAtEos: false }, settings);
    expect(single.ids).toEqual(greedy.ids);
  });

  it('rejects requests it cannot serve', async () => {
    const base = { promptIds: prompts, maxNewTokens: 4, decoding: { strategy: 'greedy' as const } };
    await expect(generate(llama, { ...base, promptIds: [[]] }, settings)).rejects.toThrow(InvalidArgumentError);
    await expect(generate(llama, { ...base, promptIds: [[999]] }, settings)).rejects.toThrow(/promptIds\[0\]/);
    await expect(generate(llama, { ...base, maxNewTokens: 100 }, settings)).rejects.toThrow(/64 positions/);
    await expect(generate(llama, { ...base, forcedPrefixIds: [[1]] }, settings)).rejects.toThrow(/one prefix per prompt/);
    await expect(generate(llama, { ...base, decoding: { strategy: 'sample', temperature: 0 } }, settings)).rejects.toThrow(/decoding\.temperature/);
  });
});
